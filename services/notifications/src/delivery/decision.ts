/**
 * The decision after an attempt, as one pure function: what came back, and when, decides the
 * delivery's status, when its next attempt is due, and the attempt record its history shows.
 * Plain values in, plain values out: the pipeline makes the attempt, then records what this says.
 */
import { clipReason, MAX_ATTEMPTS_KEPT, type AttemptRecord, type DeliveryRecord } from '../model/delivery';
import type { AttemptResult, RecordUpdate } from './ports';
import { delayBeforeNext, parseRetryAfter, type RetrySchedule } from './retry-schedule';

export type Verdict =
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

export interface AttemptFacts {
  /** The delivery as claimed for this attempt. */
  delivery: Pick<DeliveryRecord, 'run' | 'attemptCount' | 'attempts'>;
  result: AttemptResult;
  /** When the request started, and when its answer was in. */
  started: Date;
  finished: Date;
  schedule: RetrySchedule;
  /** An answer slower than this marks the receiver slow. */
  slowThresholdMs: number;
  /** A draw from [0, 1) for the retry delay's jitter. */
  jitter: number;
}

export interface AttemptDecision {
  verdict: Verdict['kind'];
  /** The receiver answered slowly, or not in time: its deliveries belong in the slow lane. */
  slow: boolean;
  /** The attempt as the history shows it. */
  attempt: AttemptRecord;
  /** The delivery's state after the attempt. */
  update: RecordUpdate;
}

export function decideAttempt(facts: AttemptFacts): AttemptDecision {
  const { delivery, result, started, finished } = facts;
  const verdict = classify(result, finished);
  const number = delivery.attemptCount + 1;

  let status: RecordUpdate['status'] = 'succeeded';
  let nextAttemptAt: string | undefined;
  let reason: string | undefined;
  if (verdict.kind !== 'success') {
    const delay =
      verdict.kind === 'retry'
        ? delayBeforeNext(facts.schedule, number, {
            ...(verdict.retryAfterSeconds === undefined
              ? {}
              : { retryAfterSeconds: verdict.retryAfterSeconds }),
            random: () => facts.jitter,
          })
        : undefined;
    if (delay !== undefined) {
      status = 'pending';
      nextAttemptAt = new Date(finished.getTime() + delay * 1000).toISOString();
    } else {
      status = 'failed';
      reason = clipReason(
        verdict.kind === 'retry' ? `gave up after ${number} attempts: ${verdict.reason}` : verdict.reason,
      );
    }
  }

  const attempt: AttemptRecord = {
    run: delivery.run,
    attempt: number,
    at: started.toISOString(),
    durationMs: Math.round(result.durationMs),
    outcome: status === 'succeeded' ? 'succeeded' : status === 'pending' ? 'retrying' : 'failed',
    ...(result.statusCode === undefined ? {} : { statusCode: result.statusCode }),
    ...(result.responseBody ? { responseBody: result.responseBody } : {}),
    ...(result.error ? { error: result.error.class, detail: clipReason(result.error.message) } : {}),
  };
  return {
    verdict: verdict.kind,
    slow: result.durationMs >= facts.slowThresholdMs || result.error?.class === 'timeout',
    attempt,
    update: {
      status,
      attemptCount: number,
      attempts: [...(delivery.attempts ?? []), attempt].slice(-MAX_ATTEMPTS_KEPT),
      updatedAt: finished.toISOString(),
      lastAttemptAt: started.toISOString(),
      ...(nextAttemptAt ? { nextAttemptAt } : {}),
      ...(reason ? { reason } : {}),
    },
  };
}
