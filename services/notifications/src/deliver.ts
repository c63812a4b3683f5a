/**
 * Delivering one task: claim the delivery, check the subscription, make one attempt, record it, and
 * schedule what follows (the next attempt, the failure event, disabling the subscription).
 *
 * At least once, never silently dropped: the attempt is recorded only after it was made, so a crash
 * in between sends again (same `webhook-id`, so the receiver can dedupe). Every other way a task can
 * be repeated is made harmless by the claim, a conditional write on the delivery that only one
 * message can win per attempt: a second copy of a task, a task of a superseded run, or a task that
 * arrives after its attempt was recorded is recognised and dropped. The message that recorded an
 * attempt and crashed before scheduling what follows finishes that work when it is redelivered.
 */
import type { BusDetails, DetailTypeName, Envelope } from '@herald/shared/contracts';
import type { EnvelopeVerifier } from '@herald/shared/signing';
import {
  MAX_ATTEMPTS_KEPT,
  type AttemptRecord,
  type DeliveryRecord,
  type DeliveryStatus,
} from './deliveries';
import type { DeliveryTask, Lane } from './delivery-task';
import { delayBeforeNext, parseRetryAfter, type RetrySchedule } from './retry-schedule';
import type { SubscriptionRecord } from './subscriptions-table';

export interface Log {
  debug(message: string, ...extra: Array<Record<string, unknown>>): void;
  info(message: string, ...extra: Array<Record<string, unknown>>): void;
  warn(message: string, ...extra: Array<Record<string, unknown>>): void;
  error(message: string, ...extra: Array<Record<string, unknown>>): void;
}

export interface Claim {
  messageId: string;
  now: Date;
  leaseMs: number;
}

export interface RecordUpdate {
  status: DeliveryStatus;
  attemptCount: number;
  attempts: AttemptRecord[];
  updatedAt: string;
  lastAttemptAt?: string;
  nextAttemptAt?: string;
  reason?: string;
}

export interface DeliveryStore {
  /**
   * Takes the delivery for this task's attempt, creating it on a first delivery and starting a new
   * run for a task that starts one. The delivery after the claim, or undefined when the task may
   * not proceed (see the module comment).
   */
  claim(task: DeliveryTask, claim: Claim): Promise<DeliveryRecord | undefined>;
  get(tenantId: string, deliveryId: string): Promise<DeliveryRecord | undefined>;
  /** Writes the outcome if `messageId` still holds the claim on this run; false if it lost it. */
  record(delivery: DeliveryRecord, update: RecordUpdate, messageId: string): Promise<boolean>;
  /**
   * Puts the delivery on hold while its subscription is paused, atomically with a check that it
   * still is: `not-paused` if it was resumed meanwhile, `lost` if the claim was lost.
   */
  hold(delivery: DeliveryRecord, messageId: string, now: Date): Promise<'held' | 'not-paused' | 'lost'>;
}

export interface SubscriptionHealthState {
  status: string;
  consecutiveFailures: number;
  failingSince?: string;
}

/** The subscription's health attributes, the only part of a subscription the delivery functions write. */
export interface HealthStore {
  /** Counts a failed attempt of an active subscription; its health after, or undefined if not active. */
  failed(
    tenantId: string,
    id: string,
    at: { now: Date; slow: boolean },
  ): Promise<SubscriptionHealthState | undefined>;
  /** After a success: no failures, and the slow mark set or cleared. */
  recovered(tenantId: string, id: string, at: { now: Date; slow: boolean }): Promise<void>;
  /** Disables an active subscription; false if it was not active. */
  disable(
    tenantId: string,
    id: string,
    why: { reason: string; deliveryId: string; now: Date },
  ): Promise<boolean>;
}

export interface TaskQueue {
  send(task: DeliveryTask, options: { lane: Lane; delaySeconds?: number }): Promise<void>;
}

export interface BusPublisher {
  publish<T extends DetailTypeName>(detailType: T, detail: BusDetails[T]): Promise<void>;
}

/** The result of one attempt, whatever the channel. */
export interface AttemptResult {
  durationMs: number;
  statusCode?: number;
  responseBody?: string;
  retryAfter?: string;
  /** No usable answer: why, and whether trying again could help (defaults by class). */
  error?: { class: string; message: string; retryable?: boolean };
}

export interface Channel {
  attempt(input: {
    delivery: DeliveryRecord;
    subscription: SubscriptionRecord;
    envelope: Envelope;
    correlationId: string;
    now: Date;
  }): Promise<AttemptResult>;
}

export interface DeliverConfig {
  schedule: RetrySchedule;
  /** Lane this function polls: a fast-lane task of a slow subscription moves to the slow lane. */
  lane: Lane;
  leaseMs: number;
  /** An answer slower than this marks the subscription slow. */
  slowThresholdMs: number;
  /** Disable after failing this long without a success (0: never by time). */
  disableAfterMs: number;
  /** Disable after this many failed attempts in a row (0: never by count). */
  disableAfterFailures: number;
}

export interface DeliverDeps {
  store: DeliveryStore;
  subscriptions: { get(tenantId: string, id: string): Promise<SubscriptionRecord | undefined> };
  health: HealthStore;
  events: { load(tenantId: string, eventKey: string): Promise<Envelope | undefined> };
  verifier: EnvelopeVerifier;
  queue: TaskQueue;
  bus: BusPublisher;
  channel: Channel;
  config: DeliverConfig;
  now: () => Date;
  random?: () => number;
  log: Log;
}

export type TaskOutcome =
  | 'succeeded'
  | 'retrying'
  | 'failed'
  | 'held'
  | 'cancelled'
  | 'forwarded'
  | 'waiting'
  | 'busy'
  | 'completed-earlier-attempt'
  | 'duplicate';

/** SQS delays stop at 15 minutes; longer waits hop through the queue. */
export const MAX_DELAY_SECONDS = 900;
const EARLY_TOLERANCE_MS = 500;
const MAX_HOPS = 200;
const REASON_LIMIT = 500;

type Verdict =
  | { kind: 'success' }
  | { kind: 'retry'; reason: string; retryAfterSeconds?: number }
  | { kind: 'fail'; reason: string }
  | { kind: 'gone'; reason: string };

/** Failures worth another attempt: the receiver or the path to it may recover. */
const RETRYABLE_ERRORS = new Set(['timeout', 'connection', 'dns', 'tls', 'throttled', 'unavailable']);

/** How an attempt's result decides the delivery's fate. */
export function classify(result: AttemptResult, now: Date): Verdict {
  if (result.error) {
    const retryable = result.error.retryable ?? RETRYABLE_ERRORS.has(result.error.class);
    const reason = `${result.error.class}: ${result.error.message}`;
    return retryable ? { kind: 'retry', reason } : { kind: 'fail', reason };
  }
  const status = result.statusCode ?? 0;
  if (status >= 200 && status < 300) return { kind: 'success' };
  if (status === 410) return { kind: 'gone', reason: 'the receiver answered 410 Gone' };
  if (status === 429 || status === 408 || status >= 500) {
    const retryAfterSeconds = parseRetryAfter(result.retryAfter, now);
    return {
      kind: 'retry',
      reason: `the receiver answered ${status}`,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    };
  }
  if (status >= 300 && status < 400) {
    return { kind: 'fail', reason: `the receiver answered ${status}; redirects are not followed` };
  }
  return { kind: 'fail', reason: `the receiver answered ${status}` };
}

const clip = (text: string): string =>
  text.length > REASON_LIMIT ? `${text.slice(0, REASON_LIMIT - 1)}…` : text;

export async function deliverTask(
  task: DeliveryTask,
  messageId: string,
  deps: DeliverDeps,
): Promise<TaskOutcome> {
  const now = deps.now();
  if (task.notBefore !== undefined) {
    const waitMs = Date.parse(task.notBefore) - now.getTime();
    if (waitMs > EARLY_TOLERANCE_MS) {
      await hop(task, waitMs, deps);
      return 'waiting';
    }
  }
  const [claimed, subscription] = await Promise.all([
    deps.store.claim(task, { messageId, now, leaseMs: deps.config.leaseMs }),
    deps.subscriptions.get(task.tenantId, task.subscriptionId),
  ]);
  if (claimed) return attempt(task, claimed, subscription, messageId, deps);
  return afterLostClaim(task, messageId, subscription, deps);
}

async function hop(task: DeliveryTask, waitMs: number, deps: DeliverDeps): Promise<void> {
  const hops = (task.hops ?? 0) + 1;
  if (hops > MAX_HOPS) {
    // A task waiting this long is broken; say so loudly rather than circle for ever.
    throw new Error(`Task for delivery ${task.deliveryId} hopped ${MAX_HOPS} times`);
  }
  await deps.queue.send(
    { ...task, hops },
    {
      lane: deps.config.lane,
      delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.ceil(waitMs / 1000))),
    },
  );
}

/** Why the claim failed decides: finish my own earlier work, wait for a busy delivery, or drop a copy. */
async function afterLostClaim(
  task: DeliveryTask,
  messageId: string,
  subscription: SubscriptionRecord | undefined,
  deps: DeliverDeps,
): Promise<TaskOutcome> {
  const current = await deps.store.get(task.tenantId, task.deliveryId);
  if (!current) return 'duplicate';
  const sameRun = task.run !== undefined ? current.run === task.run : current.startId === task.start?.id;
  if (sameRun && current.claimMessageId === messageId) {
    if (current.attemptCount === task.attempt - 1 && current.status === 'pending') {
      // This message started the run, then its function stopped before the attempt was recorded.
      const continuing: DeliveryTask = { ...task, run: current.run };
      delete continuing.start;
      const claimed = await deps.store.claim(continuing, {
        messageId,
        now: deps.now(),
        leaseMs: deps.config.leaseMs,
      });
      if (claimed) return attempt(continuing, claimed, subscription, messageId, deps);
    }
    if (current.attemptCount === task.attempt) {
      await followUps(task, current, subscription, deps, laneAfter(current, subscription));
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

function nextTask(task: DeliveryTask, run: number, attemptNumber: number, notBefore?: string): DeliveryTask {
  const next: DeliveryTask = { ...task, run, attempt: attemptNumber, hops: 0 };
  delete next.start;
  delete next.forwardedFrom;
  delete next.notBefore;
  if (notBefore !== undefined) next.notBefore = notBefore;
  return next;
}

async function finishWithout(
  delivery: DeliveryRecord,
  status: 'cancelled' | 'failed',
  reason: string,
  messageId: string,
  deps: DeliverDeps,
): Promise<boolean> {
  const now = deps.now().toISOString();
  return deps.store.record(
    delivery,
    {
      status,
      attemptCount: delivery.attemptCount,
      attempts: delivery.attempts ?? [],
      updatedAt: now,
      reason: clip(reason),
    },
    messageId,
  );
}

async function attempt(
  task: DeliveryTask,
  delivery: DeliveryRecord,
  found: SubscriptionRecord | undefined,
  messageId: string,
  deps: DeliverDeps,
): Promise<TaskOutcome> {
  const { log } = deps;
  let subscription = found;
  if (subscription?.status === 'paused') {
    const held = await deps.store.hold(delivery, messageId, deps.now());
    if (held === 'held') return 'held';
    if (held === 'lost') return 'duplicate';
    // Resumed between the read and the hold: read it again.
    subscription = await deps.subscriptions.get(task.tenantId, task.subscriptionId);
  }
  if (!subscription || subscription.status !== 'active') {
    const reason = !subscription
      ? 'the subscription was deleted'
      : `the subscription is ${subscription.status}`;
    await finishWithout(delivery, 'cancelled', reason, messageId, deps);
    log.info('Delivery cancelled', { deliveryId: delivery.id, reason });
    return 'cancelled';
  }
  if (
    deps.config.lane === 'fast' &&
    subscription.kind === 'webhook' &&
    subscription.slowSince !== undefined
  ) {
    // A slow receiver must not hold up the fast lane: its deliveries wait in their own queue.
    await deps.queue.send(
      { ...nextTask(task, delivery.run, delivery.attemptCount + 1), forwardedFrom: messageId },
      { lane: 'slow' },
    );
    return 'forwarded';
  }

  const envelope = task.envelope ?? (await deps.events.load(task.tenantId, delivery.eventKey));
  if (!envelope) {
    await finishWithout(
      delivery,
      'failed',
      'the event is no longer stored (past its retention)',
      messageId,
      deps,
    );
    await publishFailed(delivery, 'the event is no longer stored', deps);
    return 'failed';
  }
  try {
    deps.verifier.verify(envelope);
    if (envelope.tenantid !== delivery.tenantId || envelope.id !== delivery.eventId) {
      throw new Error('envelope does not belong to this delivery');
    }
  } catch (error) {
    log.error('Envelope failed verification before delivery', {
      securityEvent: 'envelope.rejected',
      deliveryId: delivery.id,
      reason: (error as Error).message,
    });
    await finishWithout(
      delivery,
      'failed',
      'the event failed its integrity check; nothing was sent',
      messageId,
      deps,
    );
    await publishFailed(delivery, 'the event failed its integrity check', deps);
    return 'failed';
  }

  const started = deps.now();
  const result = await deps.channel.attempt({
    delivery,
    subscription,
    envelope,
    correlationId: task.correlationId,
    now: started,
  });
  const finished = deps.now();
  const verdict = classify(result, finished);
  const number = delivery.attemptCount + 1;
  const run = delivery.run;

  let status: DeliveryStatus;
  let nextAttemptAt: string | undefined;
  let reason: string | undefined;
  if (verdict.kind === 'success') status = 'succeeded';
  else {
    const delay =
      verdict.kind === 'retry'
        ? delayBeforeNext(deps.config.schedule, number, {
            ...(verdict.retryAfterSeconds === undefined
              ? {}
              : { retryAfterSeconds: verdict.retryAfterSeconds }),
            ...(deps.random ? { random: deps.random } : {}),
          })
        : undefined;
    if (delay !== undefined) {
      status = 'pending';
      nextAttemptAt = new Date(finished.getTime() + delay * 1000).toISOString();
    } else {
      status = 'failed';
      reason = clip(
        verdict.kind === 'retry' ? `gave up after ${number} attempts: ${verdict.reason}` : verdict.reason,
      );
    }
  }
  const record: AttemptRecord = {
    run,
    attempt: number,
    at: started.toISOString(),
    durationMs: Math.round(result.durationMs),
    outcome: status === 'succeeded' ? 'succeeded' : status === 'pending' ? 'retrying' : 'failed',
    ...(result.statusCode === undefined ? {} : { statusCode: result.statusCode }),
    ...(result.responseBody ? { responseBody: result.responseBody } : {}),
    ...(result.error ? { error: result.error.class, detail: clip(result.error.message) } : {}),
  };
  const update: RecordUpdate = {
    status,
    attemptCount: number,
    attempts: [...(delivery.attempts ?? []), record].slice(-MAX_ATTEMPTS_KEPT),
    updatedAt: finished.toISOString(),
    lastAttemptAt: started.toISOString(),
    ...(nextAttemptAt ? { nextAttemptAt } : {}),
    ...(reason ? { reason } : {}),
  };
  if (!(await deps.store.record(delivery, update, messageId))) {
    // Our lease ran out and another message took the delivery over: it records its own attempt.
    log.warn('Attempt made but not recorded: the claim was lost', {
      deliveryId: delivery.id,
      run,
      attempt: number,
    });
    return 'duplicate';
  }
  const recorded: DeliveryRecord = { ...delivery, ...update };
  const slow = result.durationMs >= deps.config.slowThresholdMs || result.error?.class === 'timeout';
  const lane: Lane = subscription.kind === 'email' ? 'email' : slow ? 'slow' : 'fast';
  await followUps(task, recorded, subscription, deps, lane);
  await trackHealth(subscription, recorded, verdict, slow, deps);
  log.info('Delivery attempt', {
    deliveryId: delivery.id,
    subscriptionId: delivery.subscriptionId,
    run,
    attempt: number,
    status,
    statusCode: result.statusCode,
    error: result.error?.class,
    durationMs: record.durationMs,
    ...(nextAttemptAt ? { nextAttemptAt } : {}),
  });
  return status === 'succeeded' ? 'succeeded' : status === 'pending' ? 'retrying' : 'failed';
}

function laneAfter(delivery: DeliveryRecord, subscription: SubscriptionRecord | undefined): Lane {
  if (delivery.kind === 'email') return 'email';
  return subscription?.slowSince !== undefined ? 'slow' : 'fast';
}

/** What must happen after an attempt is recorded; safe to repeat, which a redelivered message does. */
async function followUps(
  task: DeliveryTask,
  delivery: DeliveryRecord,
  subscription: SubscriptionRecord | undefined,
  deps: DeliverDeps,
  lane: Lane,
): Promise<void> {
  if (delivery.status === 'pending' && delivery.nextAttemptAt !== undefined) {
    const waitMs = Date.parse(delivery.nextAttemptAt) - deps.now().getTime();
    const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(waitMs / 1000)));
    await deps.queue.send(nextTask(task, delivery.run, delivery.attemptCount + 1, delivery.nextAttemptAt), {
      lane,
      delaySeconds,
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

async function publishFailed(delivery: DeliveryRecord, reason: string, deps: DeliverDeps): Promise<void> {
  await deps.bus.publish('delivery.failed', {
    subscriptionId: delivery.subscriptionId,
    tenantid: delivery.tenantId,
    eventId: delivery.eventId,
    reason: clip(reason),
    time: deps.now().toISOString(),
  });
}

async function disable(
  delivery: DeliveryRecord,
  subscription: SubscriptionRecord | undefined,
  reason: string,
  deps: DeliverDeps,
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
  await deps.bus.publish('subscription.disabled', {
    subscriptionId: delivery.subscriptionId,
    tenantid: delivery.tenantId,
    eventId: delivery.eventId,
    reason,
    time: deps.now().toISOString(),
  });
}

async function trackHealth(
  subscription: SubscriptionRecord,
  delivery: DeliveryRecord,
  verdict: Verdict,
  slow: boolean,
  deps: DeliverDeps,
): Promise<void> {
  const { tenantId, subscriptionId } = delivery;
  const now = deps.now();
  if (verdict.kind === 'success') {
    const wasSlow = subscription.slowSince !== undefined;
    if ((subscription.consecutiveFailures ?? 0) > 0 || wasSlow !== slow) {
      await deps.health.recovered(tenantId, subscriptionId, { now, slow });
    }
    return;
  }
  if (verdict.kind === 'gone') return;
  const health = await deps.health.failed(tenantId, subscriptionId, { now, slow });
  if (!health) return;
  const { disableAfterFailures, disableAfterMs } = deps.config;
  const byCount = disableAfterFailures > 0 && health.consecutiveFailures >= disableAfterFailures;
  const since = health.failingSince ? Date.parse(health.failingSince) : now.getTime();
  const byTime = disableAfterMs > 0 && now.getTime() - since >= disableAfterMs;
  if (!byCount && !byTime) return;
  const reason = byCount
    ? `${health.consecutiveFailures} attempts in a row failed`
    : `every attempt has failed since ${health.failingSince}`;
  await disable(delivery, { ...subscription, status: 'active' }, reason, deps);
}
