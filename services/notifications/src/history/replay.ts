/**
 * Replay: every stored event in a window that matches the subscription's filters, delivered again
 * (a job on the dispatch queue pages through them). Each keeps its delivery's `webhook-id`.
 */
import type { DispatchJob } from '../model/delivery-task';
import { InvalidInput, NotFound, type FieldProblem } from '../problems';
import type { ReplayBody } from '../schemas/replay.types.generated';
import type { SubscriptionLookup } from './ports';
import { checkDeliverable } from './redelivery';

export async function requestReplay(
  tenantId: string,
  subscriptionId: string,
  input: ReplayBody,
  deps: {
    subscriptions: SubscriptionLookup;
    jobs: { send(job: DispatchJob): Promise<void> };
    now: () => Date;
    newId: () => string;
    correlationId: string;
    retentionDays: number;
  },
): Promise<{ replayId: string; since: string; until: string }> {
  const now = deps.now();
  const since = new Date(input.since);
  const until = input.until === undefined ? now : new Date(input.until);
  const problems: FieldProblem[] = [];
  if (since.getTime() > now.getTime())
    problems.push({ pointer: '/body/since', message: 'must not be in the future' });
  if (until.getTime() < since.getTime())
    problems.push({ pointer: '/body/until', message: 'must not be before since' });
  const oldest = now.getTime() - deps.retentionDays * 86400_000;
  if (since.getTime() < oldest) {
    problems.push({
      pointer: '/body/since',
      message: `must be within the last ${deps.retentionDays} day(s): older events are no longer stored`,
    });
  }
  if (problems.length > 0) throw new InvalidInput(problems);
  const subscription = await deps.subscriptions.get(tenantId, subscriptionId);
  if (!subscription) throw new NotFound('subscription');
  checkDeliverable(subscription);
  const job: DispatchJob = {
    v: 1,
    job: 'replay',
    id: deps.newId(),
    tenantId,
    subscriptionId,
    since: since.toISOString(),
    until: (until.getTime() > now.getTime() ? now : until).toISOString(),
    correlationId: deps.correlationId,
  };
  await deps.jobs.send(job);
  return { replayId: job.id, since: job.since, until: job.until };
}
