/**
 * A subscription's health after an attempt: a success clears its failure record, a failure counts
 * towards disabling it (so many in a row, or failing for so long), and either sets or clears its
 * slow mark. Disabling is said on the bus as `subscription.disabled`, and a success that ends a run
 * of failures as `subscription.recovered` (ingest turns both into the tenant's operational events).
 * Each names the event type whose delivery caused it, so that no operational event is raised about
 * the delivery of an operational event.
 */
import { subscriptionDisabledCodec, subscriptionRecoveredCodec } from '@herald/shared/contracts';
import type { DeliveryRecord } from '../model/delivery';
import { laneOf } from '../model/lanes';
import type { SubscriptionRecord } from '../model/subscription';
import type { AttemptDecision } from './decision';
import type { DeliverConfig, DeliverDeps, SubscriptionHealthState } from './ports';

/** Why the subscription must be disabled after this failure, or undefined while it may go on. */
export function disableReason(
  health: SubscriptionHealthState,
  limits: Pick<DeliverConfig, 'disableAfterFailures' | 'disableAfterMs'>,
  now: Date,
): string | undefined {
  const byCount =
    limits.disableAfterFailures > 0 && health.consecutiveFailures >= limits.disableAfterFailures;
  const since = health.failingSince ? Date.parse(health.failingSince) : now.getTime();
  const byTime = limits.disableAfterMs > 0 && now.getTime() - since >= limits.disableAfterMs;
  if (byCount) return `${health.consecutiveFailures} attempts in a row failed`;
  if (byTime) return `every attempt has failed since ${health.failingSince}`;
  return undefined;
}

/**
 * An attempt from the fast lane that is still waiting for its answer after `slowThresholdMs` marks
 * its subscription slow there and then, not when the answer comes (up to the webhook timeout later).
 * Dispatch then sends the subscription's next tasks to the slow lane, and the fast lane forwards
 * those already queued unsent, while the first slow attempts still hold their deliverers. Nothing is
 * ended early: the attempt goes on to its answer or its timeout, so the receiver gets it once.
 */
export async function markSlowIfOverdue<T>(
  attempt: Promise<T>,
  subscription: SubscriptionRecord,
  deps: Pick<DeliverDeps, 'health' | 'config' | 'log' | 'now'>,
): Promise<T> {
  if (deps.config.lane !== 'fast' || laneOf(subscription) !== 'fast') return attempt;
  const { tenantId, id } = subscription;
  let marking: Promise<void> | undefined;
  const overdue = setTimeout(() => {
    marking = deps.health.markSlow(tenantId, id, deps.now()).catch((error: Error) => {
      // The answer's own decision marks it too: this one only comes earlier.
      deps.log.warn('Could not mark the subscription slow', { subscriptionId: id, reason: error.message });
    });
  }, deps.config.slowThresholdMs);
  try {
    return await attempt;
  } finally {
    clearTimeout(overdue);
    // Done before the invocation ends, so no write is left running in a frozen container.
    await marking;
  }
}

export async function trackHealth(
  subscription: SubscriptionRecord,
  delivery: DeliveryRecord,
  decision: Pick<AttemptDecision, 'verdict' | 'slow'>,
  deps: Pick<DeliverDeps, 'health' | 'config' | 'bus' | 'log' | 'now'>,
): Promise<void> {
  const { tenantId, subscriptionId } = delivery;
  const { slow } = decision;
  const now = deps.now();
  if (decision.verdict === 'success') {
    const wasSlow = subscription.slowSince !== undefined;
    const failures = subscription.consecutiveFailures ?? 0;
    if (failures > 0 || wasSlow !== slow) {
      await deps.health.recovered(tenantId, subscriptionId, { now, slow });
    }
    // After the clearing: a crash in between loses this notice rather than repeating it later for a
    // subscription whose record no longer shows the failures.
    if (failures > 0) {
      await deps.bus.publish(subscriptionRecoveredCodec, {
        subscriptionId,
        tenantid: tenantId,
        eventId: delivery.eventId,
        eventType: delivery.eventType,
        failures,
        ...(subscription.failingSince === undefined ? {} : { failingSince: subscription.failingSince }),
        time: now.toISOString(),
      });
    }
    return;
  }
  // A 410 disables the subscription on its own (see follow-ups).
  if (decision.verdict === 'gone') return;
  const health = await deps.health.failed(tenantId, subscriptionId, { now, slow });
  if (!health) return;
  const reason = disableReason(health, deps.config, now);
  if (reason !== undefined) await disable(delivery, { ...subscription, status: 'active' }, reason, deps);
}

export async function disable(
  delivery: DeliveryRecord,
  subscription: SubscriptionRecord | undefined,
  reason: string,
  deps: Pick<DeliverDeps, 'health' | 'bus' | 'log' | 'now'>,
): Promise<void> {
  const disabledNow = await deps.health.disable(delivery.tenantId, delivery.subscriptionId, {
    reason,
    deliveryId: delivery.id,
    now: deps.now(),
  });
  // Disabled by this delivery before a crash: publish again (the bus is at least once anyway).
  const disabledEarlier =
    subscription?.status === 'disabled' && subscription.disabledByDelivery === delivery.id;
  if (!disabledNow && !disabledEarlier) return;
  deps.log.warn('Subscription disabled', {
    subscriptionId: delivery.subscriptionId,
    reason,
    securityEvent: 'subscription.disabled',
  });
  await deps.bus.publish(subscriptionDisabledCodec, {
    subscriptionId: delivery.subscriptionId,
    tenantid: delivery.tenantId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    reason,
    time: deps.now().toISOString(),
  });
}
