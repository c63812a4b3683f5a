/**
 * The jobs on the dispatch queue that page through stored events (replay) or held deliveries
 * (release on resume): each page queues its tasks and then the job for the next page.
 */
import type { DeliveryTask, DispatchJob } from '../model/delivery-task';
import { laneOf } from '../model/lanes';
import type { PageKey } from '../model/pages';
import { matchesAny } from './event-filters';
import type { DispatchDeps } from './ports';
import { startTask } from './start-task';

export const JOB_PAGE_SIZE = 100;

export interface JobResult {
  kind: 'job';
  job: DispatchJob['job'];
  tenantId: string;
  tasks: number;
  more: boolean;
}

export async function runJob(job: DispatchJob, deps: DispatchDeps): Promise<JobResult> {
  const subscription = await deps.subscriptions.get(job.tenantId, job.subscriptionId);
  if (!subscription || subscription.status === 'disabled') {
    return { kind: 'job', job: job.job, tenantId: job.tenantId, tasks: 0, more: false };
  }
  const lane = laneOf(subscription);
  let tasks: DeliveryTask[];
  let next: PageKey | undefined;
  if (job.job === 'replay') {
    const page = await deps.events.between(
      job.tenantId,
      { from: job.since, to: job.until },
      JOB_PAGE_SIZE,
      job.cursor,
    );
    next = page.next;
    tasks = page.items
      .filter((event) => matchesAny(subscription.eventTypes, event.envelope.type))
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
  return { kind: 'job', job: job.job, tenantId: job.tenantId, tasks: tasks.length, more: next !== undefined };
}
