/**
 * What must happen after an attempt is recorded: queue the next attempt, or, once the delivery has
 * failed for good, say so on the bus (and disable the subscription after a 410). Safe to repeat,
 * which a message redelivered after a crash does.
 */
import { deliveryFailedCodec } from '@herald/shared/contracts';
import { clipReason, type DeliveryRecord } from '../model/delivery';
import type { DeliveryTask } from '../model/delivery-task';
import type { Lane } from '../model/lanes';
import type { SubscriptionRecord } from '../model/subscription';
import { settle } from '../ordering/subject-order';
import { disable } from './health';
import { delaySeconds, nextTask } from './next-task';
import type { DeliverDeps } from './ports';

export async function followUps(
  task: DeliveryTask,
  delivery: DeliveryRecord,
  subscription: SubscriptionRecord | undefined,
  lane: Lane,
  deps: DeliverDeps,
): Promise<void> {
  if (delivery.status === 'pending' && delivery.nextAttemptAt !== undefined) {
    const waitMs = Date.parse(delivery.nextAttemptAt) - deps.now().getTime();
    await deps.queue.send(nextTask(task, delivery.run, delivery.attemptCount + 1, delivery.nextAttemptAt), {
      lane,
      delaySeconds: delaySeconds(waitMs, 0),
    });
    return;
  }
  if (delivery.status !== 'failed') return;
  await publishFailed(delivery, delivery.reason ?? 'delivery failed', deps);
  const last = delivery.attempts?.at(-1);
  if (last?.statusCode === 410 && last.run === delivery.run) {
    await disable(delivery, subscription, 'the receiver answered 410 Gone', deps);
  }
}

export async function publishFailed(
  delivery: DeliveryRecord,
  reason: string,
  deps: Pick<DeliverDeps, 'bus' | 'now'>,
): Promise<void> {
  await deps.bus.publish(deliveryFailedCodec, {
    subscriptionId: delivery.subscriptionId,
    tenantid: delivery.tenantId,
    eventId: delivery.eventId,
    // Ingest raises herald.delivery.failed from this, except for an operational event's delivery.
    eventType: delivery.eventType,
    reason: clipReason(reason),
    time: deps.now().toISOString(),
  });
}

/**
 * An ordered delivery has ended (ordering/subject-order.ts): its subject's head moves onto it and
 * the next waiting event of the subject is queued. Nothing for a delivery without an order, or one
 * still running (a retry to come). Called after the follow-ups and the health check, so a
 * subscription they disable is disabled before the next event goes (and is held). Safe to repeat:
 * `messageId`, the message settling it, names the step on the mark it takes, so that the same
 * message given back sends that task again only if its delivery is not recorded (a read, then).
 */
export async function settleOrdered(
  delivery: DeliveryRecord,
  messageId: string,
  deps: Pick<DeliverDeps, 'order' | 'queue' | 'store'>,
): Promise<void> {
  if (delivery.order === undefined || deps.order === undefined) return;
  if (delivery.status !== 'succeeded' && delivery.status !== 'failed' && delivery.status !== 'cancelled')
    return;
  await settle({ tenantId: delivery.tenantId, subscriptionId: delivery.subscriptionId }, delivery.order, {
    order: deps.order,
    send: (task, lane) => deps.queue.send(task, { lane }),
    by: `deliver:${messageId}`,
    recorded: async (task) => (await deps.store.get(task.tenantId, task.deliveryId)) !== undefined,
  });
}
