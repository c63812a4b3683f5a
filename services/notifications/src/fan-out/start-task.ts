/** The task that starts a run of attempts for one event and one subscription. */
import type { Envelope } from '@herald/shared/contracts';
import type { DeliveryTask } from '../model/delivery-task';
import type { SubscriptionKind } from '../model/subscription';
import { deliveryId } from '../model/table-keys';

/** Envelopes above this travel by reference: tasks are batched ten to an SQS call of at most 256 KiB. */
export const INLINE_ENVELOPE_BYTES = 16 * 1024;

export interface EventFacts {
  tenantId: string;
  eventId: string;
  eventType: string;
  eventKey: string;
  correlationId: string;
}

export function startTask(
  envelope: Envelope | undefined,
  facts: EventFacts,
  subscription: { id: string; kind: SubscriptionKind },
  start: NonNullable<DeliveryTask['start']>,
): DeliveryTask {
  const inline =
    envelope !== undefined && Buffer.byteLength(JSON.stringify(envelope)) <= INLINE_ENVELOPE_BYTES;
  return {
    v: 1,
    tenantId: facts.tenantId,
    subscriptionId: subscription.id,
    kind: subscription.kind,
    deliveryId: deliveryId(facts.tenantId, subscription.id, facts.eventId),
    eventId: facts.eventId,
    eventType: facts.eventType,
    eventKey: facts.eventKey,
    correlationId: facts.correlationId,
    attempt: 1,
    start,
    ...(inline ? { envelope } : {}),
  };
}
