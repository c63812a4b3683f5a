/** Tasks, subscriptions, attempts and times the contract suites write through the ports. */
import type { RecordUpdate } from '../../src/delivery/ports';
import type { DeliveryRecord, DeliveryStatus } from '../../src/model/delivery';
import type { DeliveryTask, StartReason } from '../../src/model/delivery-task';
import type { SubscriptionRecord } from '../../src/model/subscription';
import { deliveryId, eventSortKey } from '../../src/model/table-keys';

export const T0 = Date.parse('2026-11-28T10:00:00.000Z');
/** A moment `ms` after T0. */
export const at = (ms: number): Date => new Date(T0 + ms);
export const LEASE_MS = 60_000;

/** A claim by `messageId` at `ms` after T0. */
export const claimBy = (messageId: string, ms = 0) => ({ messageId, now: at(ms), leaseMs: LEASE_MS });

export interface Target {
  tenantId?: string;
  subscriptionId?: string;
  eventId?: string;
}

function taskBase({ tenantId = 'acme', subscriptionId = 'sub_1', eventId = 'evt-1' }: Target = {}) {
  return {
    v: 1 as const,
    tenantId,
    subscriptionId,
    kind: 'webhook' as const,
    deliveryId: deliveryId(tenantId, subscriptionId, eventId),
    eventId,
    eventType: 'order.created',
    eventKey: eventSortKey('2026-11-28T09:59:59.000Z', eventId),
    correlationId: `corr-${eventId}`,
    attempt: 1,
  };
}

/** A task that starts a run: the first delivery (dispatch), a redelivery, a replay or a release. */
export const startTask = (reason: StartReason, id: string, target?: Target): DeliveryTask => ({
  ...taskBase(target),
  start: { reason, id },
});

/** A task for attempt `attempt` of run `run`. */
export const continueTask = (
  run: number,
  attempt: number,
  target?: Target & { forwardedFrom?: string },
): DeliveryTask => ({
  ...taskBase(target),
  run,
  attempt,
  ...(target?.forwardedFrom ? { forwardedFrom: target.forwardedFrom } : {}),
});

/** The outcome of the claimed attempt, made at `ms` after T0. */
export function attempted(
  delivery: DeliveryRecord,
  status: DeliveryStatus,
  ms: number,
  more: { nextAttemptAt?: string; reason?: string } = {},
): RecordUpdate {
  const time = at(ms).toISOString();
  const attempt = delivery.attemptCount + 1;
  return {
    status,
    attemptCount: attempt,
    attempts: [
      ...delivery.attempts,
      {
        run: delivery.run,
        attempt,
        at: time,
        durationMs: 12,
        outcome: status === 'succeeded' ? 'succeeded' : status === 'failed' ? 'failed' : 'retrying',
        statusCode: status === 'succeeded' ? 200 : 503,
      },
    ],
    updatedAt: time,
    lastAttemptAt: time,
    ...more,
  };
}

/** The delivery ended without an attempt (cancelled, or failed before sending), at `ms` after T0. */
export const endedWithout = (
  delivery: DeliveryRecord,
  status: 'cancelled' | 'failed',
  ms: number,
): RecordUpdate => ({
  status,
  attemptCount: delivery.attemptCount,
  attempts: delivery.attempts,
  updatedAt: at(ms).toISOString(),
  reason: `the subscription is ${status}`,
});

export type StoredSubscription = SubscriptionRecord & { secretsVersion: number };

export function subscription(overrides: Partial<StoredSubscription> = {}): StoredSubscription {
  const created = at(0).toISOString();
  return {
    id: 'sub_1',
    tenantId: 'acme',
    kind: 'webhook',
    url: 'https://hooks.example.com/herald',
    eventTypes: ['order.*'],
    description: 'orders',
    status: 'active',
    createdAt: created,
    updatedAt: created,
    secrets: [{ ciphertext: 'Y2lwaGVydGV4dA==', createdAt: created }],
    secretsVersion: 1,
    ...overrides,
  };
}
