/**
 * The jobs on the dispatch queue that page through stored events (replay) or held deliveries
 * (release on resume): each page queues its tasks and then the job for the next page. A replay
 * renews its lease as running (model/replays) at every page and frees it after its last one; a
 * replay whose record another has taken stops.
 */
import type { DeliveryTask, DispatchJob } from '../model/delivery-task';
import { laneOf } from '../model/lanes';
import type { PageKey } from '../model/pages';
import { replayLease } from '../model/replays';
import { matchesSubscription } from './content-filter';
import type { DispatchDeps } from './ports';
import { startTask } from './start-task';

export const JOB_PAGE_SIZE = 100;

export interface JobResult {
  kind: 'job';
  job: DispatchJob['job'];
  tenantId: string;
  tasks: number;
  more: boolean;
  /** A later replay of the subscription holds its record: this one stopped. */
  superseded?: true;
}

export async function runJob(job: DispatchJob, deps: DispatchDeps): Promise<JobResult> {
  const done = { kind: 'job' as const, job: job.job, tenantId: job.tenantId, tasks: 0, more: false };
  const subscription = await deps.subscriptions.get(job.tenantId, job.subscriptionId);
  if (!subscription || subscription.status === 'disabled') {
    await finishReplay(job, deps);
    return done;
  }
  const lane = laneOf(subscription);
  let tasks: DeliveryTask[];
  let next: PageKey | undefined;
  if (job.job === 'replay') {
    const now = deps.now();
    const held = await deps.replays.renew(job.tenantId, {
      id: job.id,
      subscriptionId: job.subscriptionId,
      startedAt: now.toISOString(),
      leaseUntil: replayLease(now),
    });
    if (!held) return { ...done, superseded: true };
    const page = await deps.events.between(
      job.tenantId,
      { from: job.since, to: job.until },
      JOB_PAGE_SIZE,
      job.cursor,
    );
    next = page.next;
    tasks = page.items
      .filter((event) => matchesSubscription(subscription, event.envelope))
      .map((event) =>
        startTask(
          event.envelope,
          {
            tenantId: job.tenantId,
            eventId: event.envelope.id,
            eventType: event.envelope.type,
            eventKey: event.eventKey,
            correlationId: job.correlationId,
          },
          subscription,
          { reason: 'replay', id: job.id },
        ),
      );
  } else {
    const page = await deps.held.list(job.tenantId, job.subscriptionId, JOB_PAGE_SIZE, job.cursor);
    next = page.next;
    tasks = page.items.map((held) =>
      startTask(
        undefined,
        {
          tenantId: job.tenantId,
          eventId: held.eventId,
          eventType: held.eventType,
          eventKey: held.eventKey,
          correlationId: job.correlationId,
        },
        subscription,
        { reason: 'release', id: job.id },
      ),
    );
  }
  await deps.queue.sendTasks(tasks.map((task) => ({ task, lane })));
  if (next) await deps.queue.sendJob({ ...job, cursor: next });
  else await finishReplay(job, deps);
  return { kind: 'job', job: job.job, tenantId: job.tenantId, tasks: tasks.length, more: next !== undefined };
}

/** A replay ends with its last page queued (or with nothing left to send to). */
async function finishReplay(job: DispatchJob, deps: DispatchDeps): Promise<void> {
  if (job.job === 'replay') await deps.replays.finish(job.tenantId, job.subscriptionId, job.id);
}
