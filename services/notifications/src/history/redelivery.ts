/**
 * Redelivery: one delivery sent again. It keeps the delivery's `webhook-id` (it is the same
 * message, tried again) and starts a new run of attempts.
 */
import type { DeliveryTask } from '../model/delivery-task';
import { laneOf, type Lane } from '../model/lanes';
import { Conflict, NotFound } from '../problems';
import type { AuditOf } from '@herald/shared/audit';
import type { AuditOutbox, DeliveryHistory, LookedUpSubscription, SubscriptionLookup } from './ports';

/** Re-sending needs a subscription that exists and is not disabled. */
export function checkDeliverable(
  subscription: LookedUpSubscription | undefined,
): asserts subscription is LookedUpSubscription {
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
    /** Its audit entry, written before the task is queued (a queued task is no write to join). */
    audit?: { of: AuditOf; outbox: AuditOutbox; now: () => Date };
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
  // Recorded first: a send that fails after leaves the entry of a redelivery asked for, which the
  // caller retries; the other order could queue one that is never recorded.
  if (deps.audit) {
    await deps.audit.outbox.recordAudit(
      deps.audit.of(
        { action: 'delivery.redelivered', resource: { type: 'delivery', id: delivery.id } },
        deps.audit.now(),
      ),
    );
  }
  await deps.queue.send(task, { lane: laneOf(subscription) });
  return { deliveryId: delivery.id, status: 'queued' };
}
