/**
 * Delivery history and re-sending: a subscription's deliveries with their attempts, redelivery of
 * one delivery, and replay of every stored event since a time. Re-sending keeps the delivery's
 * `webhook-id` (it is the same message, tried again) and starts a new run of attempts.
 */
import { toDeliveryView, type DeliveryRecord, type DeliveryView } from './deliveries';
import { subscriptionIndexKey } from './deliveries-table';
import type { DeliveryTask, DispatchJob, Lane } from './delivery-task';
import { laneFor } from './dispatch';
import { DEFAULT_PAGE_SIZE, decodeIndexCursor, encodeIndexCursor, type IndexPageKey } from './pagination';
import { Conflict, InvalidInput, NotFound } from './problems';
import { tenantPartition, type SubscriptionKind, type SubscriptionStatus } from './subscriptions-table';

export interface DeliveryHistory {
  /** Newest first. */
  listBySubscription(
    tenantId: string,
    subscriptionId: string,
    limit: number,
    after?: IndexPageKey,
  ): Promise<{ items: DeliveryRecord[]; next?: IndexPageKey }>;
  get(tenantId: string, deliveryId: string): Promise<DeliveryRecord | undefined>;
}

export interface SubscriptionLookup {
  get(
    tenantId: string,
    id: string,
  ): Promise<
    { id: string; kind: SubscriptionKind; status: SubscriptionStatus; slowSince?: string } | undefined
  >;
}

export async function listDeliveries(
  tenantId: string,
  subscriptionId: string,
  query: { limit?: number; cursor?: string },
  deps: { history: DeliveryHistory; subscriptions: SubscriptionLookup },
): Promise<{ items: DeliveryView[]; nextCursor?: string }> {
  const after =
    query.cursor === undefined
      ? undefined
      : decodeIndexCursor(
          query.cursor,
          subscriptionIndexKey(tenantId, subscriptionId),
          tenantPartition(tenantId),
        );
  const [subscription, page] = await Promise.all([
    deps.subscriptions.get(tenantId, subscriptionId),
    deps.history.listBySubscription(tenantId, subscriptionId, query.limit ?? DEFAULT_PAGE_SIZE, after),
  ]);
  if (!subscription) throw new NotFound('subscription');
  const items = page.items.map(toDeliveryView);
  return page.next ? { items, nextCursor: encodeIndexCursor(page.next) } : { items };
}

function checkDeliverable(
  subscription: Awaited<ReturnType<SubscriptionLookup['get']>>,
): asserts subscription {
  if (!subscription) throw new Conflict('subscription-deleted', 'The subscription no longer exists');
  if (subscription.status === 'disabled') {
    throw new Conflict('subscription-disabled', 'The subscription is disabled; resume it first');
  }
}

export async function redeliver(
  tenantId: string,
  deliveryId: string,
  deps: {
    history: DeliveryHistory;
    subscriptions: SubscriptionLookup;
    queue: { send(task: DeliveryTask, options: { lane: Lane }): Promise<void> };
    newId: () => string;
    correlationId: string;
  },
): Promise<{ deliveryId: string; status: 'queued' }> {
  const delivery = await deps.history.get(tenantId, deliveryId);
  if (!delivery) throw new NotFound('delivery');
  const subscription = await deps.subscriptions.get(tenantId, delivery.subscriptionId);
  checkDeliverable(subscription);
  const task: DeliveryTask = {
    v: 1,
    tenantId,
    subscriptionId: delivery.subscriptionId,
    kind: delivery.kind,
    deliveryId: delivery.id,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    eventKey: delivery.eventKey,
    correlationId: deps.correlationId,
    attempt: 1,
    start: { reason: 'redeliver', id: deps.newId() },
  };
  await deps.queue.send(task, { lane: laneFor(subscription) });
  return { deliveryId: delivery.id, status: 'queued' };
}

export async function requestReplay(
  tenantId: string,
  subscriptionId: string,
  input: { since: string; until?: string },
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
  const problems = [];
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
