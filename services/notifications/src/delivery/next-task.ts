/**
 * Tasks a delivery puts back on a queue: the next attempt of its run, or the same task again
 * later when it is early. SQS delays stop at 15 minutes; longer waits hop through the queue.
 */
import type { DeliveryTask } from '../model/delivery-task';
import type { DeliverDeps } from './ports';

export const MAX_DELAY_SECONDS = 900;
const MAX_HOPS = 200;

/** The task for attempt `attemptNumber` of run `run`, due at `notBefore` if given. */
export function nextTask(
  task: DeliveryTask,
  run: number,
  attemptNumber: number,
  notBefore?: string,
): DeliveryTask {
  const next: DeliveryTask = { ...task, run, attempt: attemptNumber, hops: 0 };
  delete next.start;
  delete next.forwardedFrom;
  delete next.notBefore;
  delete next.paced;
  if (notBefore !== undefined) next.notBefore = notBefore;
  return next;
}

/** Seconds to delay a message due in `waitMs`, within what SQS allows. */
export const delaySeconds = (waitMs: number, atLeast: number): number =>
  Math.min(MAX_DELAY_SECONDS, Math.max(atLeast, Math.ceil(waitMs / 1000)));

/**
 * Seconds to delay a task waiting `waitMs` for its delivery slot (delivery/pace.ts): rounded down,
 * so it comes back at most a second early (SQS delays are whole seconds) and waits the rest in the
 * function rather than coming back late.
 */
export const slotDelaySeconds = (waitMs: number): number =>
  Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.floor(waitMs / 1000)));

/** Sends the task round again on this function's lane, to come back after `waitMs` (or 15 minutes). */
export async function hop(
  task: DeliveryTask,
  waitMs: number,
  deps: Pick<DeliverDeps, 'queue' | 'config'>,
): Promise<void> {
  // Waiting for a delivery slot is bounded by the slot itself: no hop limit for it.
  const hops = task.paced ? (task.hops ?? 0) : (task.hops ?? 0) + 1;
  if (hops > MAX_HOPS) {
    // A task waiting this long is broken; say so loudly rather than circle for ever.
    throw new Error(`Task for delivery ${task.deliveryId} hopped ${MAX_HOPS} times`);
  }
  const delay = task.paced ? slotDelaySeconds(waitMs) : delaySeconds(waitMs, 1);
  await deps.queue.send({ ...task, hops }, { lane: deps.config.lane, delaySeconds: delay });
}
