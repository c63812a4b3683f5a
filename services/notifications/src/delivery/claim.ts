/**
 * The claim: a conditional write on the delivery that only one message can win per attempt. It
 * makes every way a task can be repeated harmless: a second copy of a task, a task of a superseded
 * run, or a task that arrives after its attempt was recorded is recognised and dropped. A message
 * that lost the claim to itself (its function stopped mid-way and SQS gave it back) finishes its
 * own earlier work instead.
 */
import type { DeliveryRecord } from '../model/delivery';
import type { DeliveryTask } from '../model/delivery-task';
import { laneFor } from '../model/lanes';
import type { SubscriptionRecord } from '../model/subscription';
import { followUps } from './follow-ups';
import { hop } from './next-task';
import { earlySlot, type EarlySlot } from './pace';
import type { DeliverDeps, TaskOutcome } from './ports';

export interface Claimed {
  /** The task the attempt belongs to (a restarted run continues under its run number). */
  task: DeliveryTask;
  delivery: DeliveryRecord;
  /** The subscription as read beside the claim; undefined once deleted. */
  subscription: SubscriptionRecord | undefined;
  /** The delivery slot reserved beside the claim (pace.ts), if one was. */
  early?: EarlySlot;
}

/** Takes the delivery for this task's attempt, or says how the task ends without one. */
export async function claimDelivery(
  task: DeliveryTask,
  messageId: string,
  now: Date,
  deps: DeliverDeps,
): Promise<Claimed | TaskOutcome> {
  const [delivery, { subscription, early }] = await Promise.all([
    deps.store.claim(task, { messageId, now, leaseMs: deps.config.leaseMs }),
    deps.subscriptions
      .get(task.tenantId, task.subscriptionId)
      .then(async (subscription) => ({ subscription, early: await earlySlot(task, subscription, deps) })),
  ]);
  if (delivery) return { task, delivery, subscription, ...(early ? { early } : {}) };
  return afterLostClaim(task, messageId, subscription, deps);
}

/** Why the claim failed decides: finish my own earlier work, wait for a busy delivery, or drop a copy. */
async function afterLostClaim(
  task: DeliveryTask,
  messageId: string,
  subscription: SubscriptionRecord | undefined,
  deps: DeliverDeps,
): Promise<Claimed | TaskOutcome> {
  const current = await deps.store.get(task.tenantId, task.deliveryId);
  if (!current) return 'duplicate';
  const sameRun = task.run !== undefined ? current.run === task.run : current.startId === task.start?.id;
  if (sameRun && current.claimMessageId === messageId) {
    if (current.attemptCount === task.attempt - 1 && current.status === 'pending') {
      // This message started the run, then its function stopped before the attempt was recorded.
      const continuing: DeliveryTask = { ...task, run: current.run };
      delete continuing.start;
      const delivery = await deps.store.claim(continuing, {
        messageId,
        now: deps.now(),
        leaseMs: deps.config.leaseMs,
      });
      if (delivery) return { task: continuing, delivery, subscription };
    }
    if (current.attemptCount === task.attempt) {
      const lane = laneFor(current.kind, subscription?.slowSince !== undefined);
      await followUps(task, current, subscription, lane, deps);
      return 'completed-earlier-attempt';
    }
    return 'duplicate';
  }
  // A new run (redelivery, replay, release) waits while another message is mid-attempt.
  const startsNewRun =
    task.start !== undefined
      ? task.start.reason !== 'dispatch' && current.startId !== task.start.id
      : task.run! > current.run;
  const now = deps.now().getTime();
  if (startsNewRun && current.claimUntil !== undefined && current.claimUntil > now) {
    await hop(task, current.claimUntil - now, deps);
    return 'busy';
  }
  return 'duplicate';
}
