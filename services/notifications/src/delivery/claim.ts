/**
 * The claim: a conditional write on the delivery that only one message can win per attempt. It
 * makes every way a task can be repeated harmless: a second copy of a task, a task of a superseded
 * run, or a task that arrives after its attempt was recorded is recognised and dropped. A message
 * that lost the claim to itself (its function stopped mid-way and SQS gave it back) finishes its
 * own earlier work instead.
 *
 * A first delivery (a task dispatch queued) whose delivery does not exist yet is claimed by its
 * record instead, when the store can (`recordFirst`): a consistent read (one per batch of tasks,
 * adapters/coalesced-ports.ts) finds no delivery, the attempt is made, and one conditional write
 * creates the delivery with the attempt recorded, only if it still does not exist. That saves a
 * write per delivered webhook; what it gives up is the lease while the first attempt is in flight:
 * two copies of the same first task run at the same moment (an SQS duplicate, a bus event repeated
 * at once) may both send, with the same `webhook-id` (receivers dedupe on it), and only one attempt
 * is recorded. A copy that comes after the record, or after a claim, is dropped as before. Until
 * the first attempt is recorded the delivery is not in the history (it appears with its attempt).
 * A task that cannot go straight to its attempt (held, cancelled, moved to the slow lane, waiting
 * for its slot, failed before sending, over the e-mail cap) writes its claim first (`claimNow`).
 */
import type { DeliveryRecord } from '../model/delivery';
import type { DeliveryTask } from '../model/delivery-task';
import { laneFor } from '../model/lanes';
import type { SubscriptionRecord } from '../model/subscription';
import { followUps, settleOrdered } from './follow-ups';
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
  /** A first delivery's claim not written yet: its record creates the delivery (see above). */
  deferred?: true;
}

/** Takes the delivery for this task's attempt, or says how the task ends without one. */
export async function claimDelivery(
  task: DeliveryTask,
  messageId: string,
  now: Date,
  deps: DeliverDeps,
): Promise<Claimed | TaskOutcome> {
  const read = deps.subscriptions
    .get(task.tenantId, task.subscriptionId)
    .then(async (subscription) => ({ subscription, early: await earlySlot(task, subscription, deps) }));
  if (task.start?.reason === 'dispatch' && deps.store.recordFirst) {
    const [current, { subscription, early }] = await Promise.all([
      deps.store.get(task.tenantId, task.deliveryId),
      read,
    ]);
    if (!current) {
      const delivery = firstDelivery(task, messageId, now, deps.config.leaseMs);
      return { task, delivery, subscription, ...(early ? { early } : {}), deferred: true };
    }
    // It exists: this task is a copy, and a first delivery's claim on an existing delivery fails.
    return afterLostClaim(task, messageId, subscription, deps, current);
  }
  const [delivery, { subscription, early }] = await Promise.all([
    deps.store.claim(task, { messageId, now, leaseMs: deps.config.leaseMs }),
    read,
  ]);
  if (delivery) return { task, delivery, subscription, ...(early ? { early } : {}) };
  return afterLostClaim(task, messageId, subscription, deps);
}

/**
 * Writes a deferred claim now, for a task that will not go straight to its attempt; false when it
 * is lost (another copy created the delivery meanwhile: this one must not go on). A claim already
 * written is kept.
 */
export async function claimNow(claimed: Claimed, messageId: string, deps: DeliverDeps): Promise<boolean> {
  if (!claimed.deferred) return true;
  const delivery =
    (await deps.store.claim(claimed.task, {
      messageId,
      now: deps.now(),
      leaseMs: deps.config.leaseMs,
    })) ?? (await ownClaim(claimed.task, messageId, deps));
  if (!delivery) return false;
  claimed.delivery = delivery;
  delete claimed.deferred;
  return true;
}

/**
 * A claim that reads as lost but is this message's own: the write was applied, its answer lost, and
 * the SDK's retry of it found the delivery there (as afterLostClaim recognises for a claim made at
 * the start). Anything else is another copy's.
 */
async function ownClaim(
  task: DeliveryTask,
  messageId: string,
  deps: DeliverDeps,
): Promise<DeliveryRecord | undefined> {
  const current = await deps.store.get(task.tenantId, task.deliveryId);
  const own =
    current?.claimMessageId === messageId &&
    current.startId === task.start?.id &&
    current.attemptCount === 0 &&
    current.status === 'pending';
  return own ? current : undefined;
}

/** The delivery as the first delivery's claim would have created it. */
function firstDelivery(task: DeliveryTask, messageId: string, now: Date, leaseMs: number): DeliveryRecord {
  const at = now.toISOString();
  return {
    id: task.deliveryId,
    tenantId: task.tenantId,
    subscriptionId: task.subscriptionId,
    kind: task.kind,
    eventId: task.eventId,
    eventType: task.eventType,
    eventKey: task.eventKey,
    createdAt: at,
    updatedAt: at,
    status: 'pending',
    run: 1,
    attemptCount: 0,
    startReason: 'dispatch',
    startId: task.start!.id,
    ...(task.order ? { order: task.order } : {}),
    claimMessageId: messageId,
    claimUntil: now.getTime() + leaseMs,
    attempts: [],
  };
}

/** Why the claim failed decides: finish my own earlier work, wait for a busy delivery, or drop a copy. */
async function afterLostClaim(
  task: DeliveryTask,
  messageId: string,
  subscription: SubscriptionRecord | undefined,
  deps: DeliverDeps,
  read?: DeliveryRecord,
): Promise<Claimed | TaskOutcome> {
  const current = read ?? (await deps.store.get(task.tenantId, task.deliveryId));
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
      // The settle of an ordered delivery, which the stopped message may not have reached.
      await settleOrdered(current, messageId, deps);
      return 'completed-earlier-attempt';
    }
    // Ended by this message without an attempt (cancelled, or failed before sending), which stopped
    // before its settle: an ordered delivery's next event waits for it.
    if (
      current.attemptCount === task.attempt - 1 &&
      (current.status === 'cancelled' || current.status === 'failed')
    )
      await settleOrdered(current, messageId, deps);
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
