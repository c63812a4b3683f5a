/**
 * Delivering one task, as a pipeline read top to bottom:
 *
 *   1. wait      a task taken before its time goes round the queue again
 *   2. claim     take the delivery for this attempt (claim.ts: copies and stale tasks drop out);
 *                a new first delivery's claim is deferred to its record unless a step below must
 *                write before the attempt (claimNow)
 *   3. check     the subscription: its tenant suspended or itself paused → held, deleted or
 *                disabled → cancelled, slow → slow lane
 *      pace      reserve the subscription's next delivery slot under its rate limit (pace.ts): a
 *                slot more than a moment away sends the task round its queue until then
 *   4. envelope  load it if it is not inline, and verify ingest's signature again
 *      cap       e-mail only: count the mail on its tenant's UTC day (email-cap.ts); one over the
 *                daily cap is held, back on its queue until the next UTC day
 *   5. send      at its slot, one attempt through the channel (webhook or e-mail); one from the
 *                fast lane still unanswered after slowThresholdMs marks the subscription slow
 *   6. decide    outcome → status, next attempt, attempt record (decision.ts, a pure function)
 *   7. record    write the attempt if this message still holds the claim (or, deferred, if the
 *                delivery still does not exist), and count its outcome
 *   8. follow up queue the next attempt or publish the failure (follow-ups.ts), and track the
 *                subscription's health (health.ts)
 *
 * At least once, never silently dropped: the attempt is recorded only after it was made, so a crash
 * in between sends again (same `webhook-id`, so the receiver can dedupe). The message that recorded
 * an attempt and crashed before its follow-ups finishes them when it is redelivered (claim.ts).
 */
import type { Envelope } from '@herald/shared/contracts';
import { clipReason, type DeliveryRecord } from '../model/delivery';
import type { DeliveryTask } from '../model/delivery-task';
import { laneFor, laneOf } from '../model/lanes';
import type { SubscriptionRecord } from '../model/subscription';
import { claimDelivery, claimNow, type Claimed } from './claim';
import { decideAttempt, type AttemptDecision } from './decision';
import { followUps, publishFailed, settleOrdered } from './follow-ups';
import { markSlowIfOverdue, trackHealth } from './health';
import { enforceDailyEmailCap } from './email-cap';
import { delaySeconds, hop, nextTask } from './next-task';
import { MAX_IN_PROCESS_WAIT_MS, pace, waitForSlot } from './pace';
import { tenantHolds } from '../tenant-state/apply';
import type { DeliverDeps, HoldWhile, TaskOutcome } from './ports';

const EARLY_TOLERANCE_MS = 500;

export async function deliverTask(
  task: DeliveryTask,
  messageId: string,
  deps: DeliverDeps,
): Promise<TaskOutcome> {
  const now = deps.now();
  // 1. wait
  if (await waitIfEarly(task, now, deps)) return 'waiting';

  // 2. claim
  const claimed = await claimDelivery(task, messageId, now, deps);
  if (typeof claimed === 'string') return claimed;

  // 3. check
  const subscription = await checkSubscription(claimed, messageId, deps);
  if (typeof subscription === 'string') return subscription;
  // The slot reserved beside the claim is this subscription's only if the check kept the one read then.
  const early = subscription === claimed.subscription ? claimed.early : undefined;
  const paced = await pace(claimed.task, claimed.delivery, subscription, messageId, deps, early, () =>
    claimNow(claimed, messageId, deps),
  );
  if (paced === 'gone') {
    await finishWithout(claimed, 'cancelled', 'the subscription was deleted', messageId, deps);
    return 'cancelled';
  }
  if (paced === 'paced' || paced === 'duplicate') return paced;

  // 4. envelope
  const envelope = await loadVerifiedEnvelope(claimed, messageId, deps);
  if (!envelope) return 'failed';
  if (deps.emailCap) {
    const capped = await holdOverCap(claimed, messageId, deps);
    if (capped) return capped;
  }
  const { delivery } = claimed;

  // 5. send
  await waitForSlot(paced.slot, deps);
  const started = deps.now();
  const result = await markSlowIfOverdue(
    deps.channel.attempt({
      delivery,
      subscription,
      envelope,
      correlationId: claimed.task.correlationId,
      now: started,
    }),
    subscription,
    deps,
  );

  // 6. decide
  const decision = decideAttempt({
    delivery,
    result,
    started,
    finished: deps.now(),
    schedule: deps.config.schedule,
    slowThresholdMs: deps.config.slowThresholdMs,
    jitter: (deps.random ?? Math.random)(),
  });

  // 7. record
  const recorded = claimed.deferred
    ? await deps.store.recordFirst!(delivery, decision.update, messageId)
    : await deps.store.record(delivery, decision.update, messageId);
  if (!recorded) {
    // Our lease ran out and another message took the delivery over: it records its own attempt.
    deps.log.warn('Attempt made but not recorded: the claim was lost', {
      deliveryId: delivery.id,
      run: delivery.run,
      attempt: decision.attempt.attempt,
    });
    return 'duplicate';
  }
  const { status } = decision.update;
  if (status === 'succeeded' || status === 'failed')
    deps.outcomes.count(status, latency(delivery, status, deps));

  // 8. follow up
  await followUpAttempt(
    claimed.task,
    { ...delivery, ...decision.update },
    subscription,
    decision,
    messageId,
    deps,
  );
  return decision.attempt.outcome;
}

/**
 * Milliseconds from the delivery's creation (its first claim, just after fan-out) to the attempt
 * that delivered it. Only in its first run: a redelivery's or replay's run starts long after.
 */
function latency(delivery: DeliveryRecord, status: 'succeeded' | 'failed', deps: DeliverDeps) {
  if (status !== 'succeeded' || delivery.run !== 1) return undefined;
  return Math.max(0, deps.now().getTime() - Date.parse(delivery.createdAt));
}

/** 1. A task due later (a retry's delay beyond SQS's 15 minutes, or clock skew) waits again. */
async function waitIfEarly(task: DeliveryTask, now: Date, deps: DeliverDeps): Promise<boolean> {
  if (task.notBefore === undefined) return false;
  const waitMs = Date.parse(task.notBefore) - now.getTime();
  // A task waiting for its delivery slot comes back up to a second early and waits the rest later.
  if (waitMs <= (task.paced ? MAX_IN_PROCESS_WAIT_MS : EARLY_TOLERANCE_MS)) return false;
  await hop(task, waitMs, deps);
  return true;
}

/** 3. The subscription to send to, or how the task ends: held, cancelled or forwarded. */
async function checkSubscription(
  claimed: Claimed,
  messageId: string,
  deps: DeliverDeps,
): Promise<SubscriptionRecord | TaskOutcome> {
  const { task } = claimed;
  let subscription = claimed.subscription;
  const goesStraight =
    subscription?.status === 'active' &&
    !tenantHolds(subscription) &&
    !(deps.config.lane === 'fast' && laneOf(subscription) === 'slow');
  // Holding, cancelling and moving lanes are written on the claim.
  if (!goesStraight && !(await claimNow(claimed, messageId, deps))) return 'duplicate';
  const { delivery } = claimed;
  // Twice at most: a hold whose condition no longer holds (resumed between the read and the hold)
  // reads the subscription again, which may still be held for the other reason (its tenant resumed,
  // its owner's pause not).
  for (let round = 0; round < 2; round++) {
    const holdWhile = holdsWhile(subscription, delivery);
    if (!holdWhile) break;
    const held = await deps.store.hold(delivery, messageId, deps.now(), holdWhile);
    if (held === 'held') return 'held';
    if (held === 'lost') return 'duplicate';
    subscription = await deps.subscriptions.get(task.tenantId, task.subscriptionId);
  }
  if (!subscription || subscription.status !== 'active') {
    const reason = !subscription
      ? 'the subscription was deleted'
      : `the subscription is ${subscription.status}`;
    await finishWithout(claimed, 'cancelled', reason, messageId, deps);
    deps.log.info('Delivery cancelled', { deliveryId: delivery.id, reason });
    return 'cancelled';
  }
  if (deps.config.lane === 'fast' && laneOf(subscription) === 'slow') {
    // A slow receiver must not hold up the fast lane: its deliveries wait in their own queue.
    await deps.queue.send(
      { ...nextTask(task, delivery.run, delivery.attemptCount + 1), forwardedFrom: messageId },
      { lane: 'slow' },
    );
    return 'forwarded';
  }
  return subscription;
}

/**
 * Why a delivery waits rather than going or being cancelled: its tenant is suspended (or deleted,
 * for good: tenant-state/apply.ts), its subscription paused, or, for an ordered delivery, disabled
 * (those behind it wait with it; a resume releases it and they follow in turn,
 * ordering/subject-order.ts). The tenant's hold is for what would send or wait anyway: a disabled,
 * pending or unsubscribed subscription's deliveries end as they would.
 */
function holdsWhile(
  subscription: SubscriptionRecord | undefined,
  delivery: DeliveryRecord,
): HoldWhile | undefined {
  if (!subscription) return undefined;
  const { status } = subscription;
  if (tenantHolds(subscription) && (status === 'active' || status === 'paused')) return 'tenant';
  if (status === 'paused' || (status === 'disabled' && delivery.order)) return status;
  return undefined;
}

/** 4. The envelope, checked against ingest's signature and this delivery; undefined: failed, nothing sent. */
async function loadVerifiedEnvelope(
  claimed: Claimed,
  messageId: string,
  deps: DeliverDeps,
): Promise<Envelope | undefined> {
  const { task, delivery } = claimed;
  const envelope = task.envelope ?? (await deps.events.load(task.tenantId, delivery.eventKey));
  if (!envelope) {
    await finishWithout(
      claimed,
      'failed',
      'the event is no longer stored (past its retention)',
      messageId,
      deps,
    );
    await publishFailed(delivery, 'the event is no longer stored', deps);
    return undefined;
  }
  try {
    deps.verifier.verify(envelope);
    if (envelope.tenantid !== delivery.tenantId || envelope.id !== delivery.eventId) {
      throw new Error('envelope does not belong to this delivery');
    }
  } catch (error) {
    deps.outcomes.rejectedEnvelope?.();
    deps.log.error('Envelope failed verification before delivery', {
      securityEvent: 'envelope.rejected',
      deliveryId: delivery.id,
      reason: (error as Error).message,
    });
    await finishWithout(
      claimed,
      'failed',
      'the event failed its integrity check; nothing was sent',
      messageId,
      deps,
    );
    await publishFailed(delivery, 'the event failed its integrity check', deps);
    return undefined;
  }
  return envelope;
}

/**
 * 4. The daily e-mail cap: true when the mail is over its tenant's cap for today and was held. The
 * held task goes back on its queue for the next UTC day (hopping, as SQS delays stop at 15 minutes),
 * then claims the delivery again and is counted on that day. Holding is no attempt: nothing recorded
 * as one, nothing toward failing or disabling the subscription.
 */
async function holdOverCap(
  claimed: Claimed,
  messageId: string,
  deps: DeliverDeps,
): Promise<Extract<TaskOutcome, 'held' | 'duplicate'> | undefined> {
  const cap = deps.emailCap!;
  const now = deps.now();
  const decision = await enforceDailyEmailCap(claimed.task.tenantId, cap.limit, cap.counter, now);
  if (decision.send) return undefined;
  // The held task continues the run: the delivery must exist, claimed by this message.
  if (!(await claimNow(claimed, messageId, deps))) return 'duplicate';
  const { task, delivery } = claimed;
  // Queued before it is recorded: a crash in between leaves the delivery pending under this
  // message's claim, and SQS gives the message back to hold it again; the copy is dropped by its claim.
  const later: DeliveryTask = {
    ...nextTask(task, delivery.run, delivery.attemptCount + 1, decision.heldUntil),
    forwardedFrom: messageId,
  };
  const waitMs = Date.parse(decision.heldUntil) - now.getTime();
  await deps.queue.send(later, { lane: deps.config.lane, delaySeconds: delaySeconds(waitMs, 1) });
  const recorded = await deps.store.record(
    delivery,
    {
      status: 'held',
      attemptCount: delivery.attemptCount,
      attempts: delivery.attempts ?? [],
      updatedAt: now.toISOString(),
      reason: decision.reason,
      heldUntil: decision.heldUntil,
    },
    messageId,
  );
  // Not recorded: the claim was lost (the queued task may already have taken it over); either way
  // this message sends nothing.
  deps.log.info('Delivery held by the daily e-mail cap', {
    deliveryId: delivery.id,
    tenantId: task.tenantId,
    limit: decision.limit,
    heldUntil: decision.heldUntil,
    recorded,
  });
  return 'held';
}

/** 8. The next attempt or the failure event, the subscription's health, and the attempt's log line. */
async function followUpAttempt(
  task: DeliveryTask,
  recorded: DeliveryRecord,
  subscription: SubscriptionRecord,
  decision: AttemptDecision,
  messageId: string,
  deps: DeliverDeps,
): Promise<void> {
  await followUps(task, recorded, subscription, laneFor(subscription.kind, decision.slow), deps);
  await trackHealth(subscription, recorded, decision, deps);
  // Succeeded, or failed for good: the next event of its subject may go (an ordered subscription's).
  await settleOrdered(recorded, messageId, deps);
  const { attempt, update } = decision;
  deps.log.info('Delivery attempt', {
    deliveryId: recorded.id,
    subscriptionId: recorded.subscriptionId,
    run: recorded.run,
    attempt: attempt.attempt,
    status: update.status,
    statusCode: attempt.statusCode,
    error: attempt.error,
    durationMs: attempt.durationMs,
    ...(update.nextAttemptAt ? { nextAttemptAt: update.nextAttemptAt } : {}),
  });
}

/** Ends the delivery without an attempt: cancelled, or failed before anything was sent. */
async function finishWithout(
  claimed: Claimed,
  status: 'cancelled' | 'failed',
  reason: string,
  messageId: string,
  deps: DeliverDeps,
): Promise<boolean> {
  if (!(await claimNow(claimed, messageId, deps))) return false;
  const { delivery } = claimed;
  const recorded = await deps.store.record(
    delivery,
    {
      status,
      attemptCount: delivery.attemptCount,
      attempts: delivery.attempts ?? [],
      updatedAt: deps.now().toISOString(),
      reason: clipReason(reason),
    },
    messageId,
  );
  // Ended without an attempt (cancelled, or failed before sending): the next of its subject may go.
  if (recorded) await settleOrdered({ ...delivery, status }, messageId, deps);
  return recorded;
}
