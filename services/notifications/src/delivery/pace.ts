/**
 * The per-subscription rate limit: at most `rateLimit` deliveries per second, one every
 * 1/rateLimit seconds. Every attempt (first, retry, redelivery, replay) reserves the subscription's
 * next free slot with one atomic write shared by every deliver invocation, then goes at its slot:
 * after a wait in the function when it is a moment away (spent just before the send, so the work
 * before it cannot make the send late), or back on its queue until then (delayed to a little before
 * the slot, the rest waited for in the function, so it does not come back late and crowd the slots
 * after it). Nothing is dropped, and the wait is no attempt: it is not recorded, counts toward no hop
 * limit, and is not the receiver's answer time, so it neither marks a subscription slow nor brings
 * it closer to disabling.
 */
import type { DeliveryRecord } from '../model/delivery';
import type { DeliveryTask } from '../model/delivery-task';
import { effectiveRate, slotInterval } from '../model/rate-limit';
import { laneOf } from '../model/lanes';
import type { SubscriptionRecord } from '../model/subscription';
import { nextTask, slotDelaySeconds } from './next-task';
import type { DeliverDeps, TaskOutcome } from './ports';

/** A wait this short is spent in the function: cheaper and more exact than a round on the queue. */
export const MAX_IN_PROCESS_WAIT_MS = 1_000;

/**
 * One reservation: the slot a delivery gets at `now` (the subscription's next free slot, or now if
 * that has passed) and the next free slot after it. The store does this as one atomic write.
 */
export function reserveSlot(
  nextFree: number | undefined,
  now: number,
  intervalMs: number,
): { slot: number; nextFree: number } {
  const slot = nextFree === undefined || nextFree < now ? now : nextFree;
  return { slot, nextFree: slot + intervalMs };
}

export type PaceDecision =
  { kind: 'go' } | { kind: 'sleep'; ms: number } | { kind: 'queue'; notBefore: string; delaySeconds: number };

/** When a delivery whose slot is `slot` may go, seen at `now`. */
export function paceDecision(slot: number, now: number): PaceDecision {
  const waitMs = slot - now;
  if (waitMs <= 0) return { kind: 'go' };
  if (waitMs <= MAX_IN_PROCESS_WAIT_MS) return { kind: 'sleep', ms: waitMs };
  return {
    kind: 'queue',
    notBefore: new Date(slot).toISOString(),
    delaySeconds: slotDelaySeconds(waitMs),
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The pace step of the pipeline: the delivery's slot, when it is at most a moment away (the attempt
 * waits for it with waitForSlot just before it sends); otherwise how the task ended: `paced` (back on
 * its queue for its slot) or `gone` (the subscription was deleted meanwhile).
 */
export async function pace(
  task: DeliveryTask,
  delivery: DeliveryRecord,
  subscription: SubscriptionRecord,
  messageId: string,
  deps: DeliverDeps,
  early?: EarlySlot,
  /** Writes a deferred claim (claim.ts) before the task goes round; false: it was lost. */
  beforeRequeue: () => Promise<boolean> = async () => true,
): Promise<{ slot: number } | Extract<TaskOutcome, 'paced' | 'duplicate'> | 'gone'> {
  let slot: number;
  if (task.paced && task.notBefore !== undefined) {
    // Reserved before this task went round the queue: the slot is still its own.
    slot = Date.parse(task.notBefore);
  } else {
    const reserved = early ? early.slot : await reserve(task, subscription, deps);
    if (reserved === undefined) return 'gone';
    slot = reserved;
  }
  const decision = paceDecision(slot, deps.now().getTime());
  if (decision.kind !== 'queue') return { slot };
  // This message keeps the claim until the task comes back for its slot (as a slow-lane hand-off does).
  if (!(await beforeRequeue())) return 'duplicate';
  const later: DeliveryTask = {
    ...nextTask(task, delivery.run, delivery.attemptCount + 1, decision.notBefore),
    paced: true,
    forwardedFrom: messageId,
  };
  await deps.queue.send(later, { lane: deps.config.lane, delaySeconds: decision.delaySeconds });
  return 'paced';
}

/** A slot reserved as soon as the subscription was read (see earlySlot); undefined: it was gone. */
export interface EarlySlot {
  slot: number | undefined;
}

function reserve(task: DeliveryTask, subscription: SubscriptionRecord, deps: DeliverDeps) {
  const now = deps.now().getTime();
  return deps.slots.reserve(task.tenantId, task.subscriptionId, {
    now,
    intervalMs: slotInterval(effectiveRate(subscription.rateLimit, deps.config.rateLimits)),
    busy: subscription.rateSlotAt !== undefined && subscription.rateSlotAt > now,
  });
}

/**
 * The slot of a task that will go on to pace, reserved as soon as its subscription is read, beside
 * the claim: the tasks of a batch read their subscription together, so they reserve together too,
 * one write for a subscription's tasks in the batch (adapters/coalesced-ports.ts) instead of one
 * each as their claims come back. Only for a task pace would reserve for: not one that already has
 * its slot, nor one whose subscription is not active (held or cancelled, which must not use up
 * slots: a paused subscription's backlog would push its next free slot far ahead), nor one on its
 * way to the slow lane. Undefined when pace is to reserve itself. A claim lost after this leaves its
 * slot unused: the rate only errs low.
 */
export async function earlySlot(
  task: DeliveryTask,
  subscription: SubscriptionRecord | undefined,
  deps: DeliverDeps,
): Promise<EarlySlot | undefined> {
  if (task.paced && task.notBefore !== undefined) return undefined;
  if (subscription?.status !== 'active') return undefined;
  if (deps.config.lane === 'fast' && laneOf(subscription) === 'slow') return undefined;
  return { slot: await reserve(task, subscription, deps) };
}

/** Waits in the function until the slot (a moment at most: see pace). */
export async function waitForSlot(slot: number, deps: Pick<DeliverDeps, 'now' | 'sleep'>): Promise<void> {
  const waitMs = slot - deps.now().getTime();
  if (waitMs > 0) await (deps.sleep ?? sleep)(waitMs);
}
