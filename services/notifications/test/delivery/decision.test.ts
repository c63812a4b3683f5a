/**
 * The decision after an attempt, as a table: plain inputs (what came back, when, the delivery so
 * far) to plain outputs (status, next attempt, the attempt record). No fakes: it is a pure function.
 */
import { describe, expect, test } from '@jest/globals';
import { decideAttempt, type AttemptFacts } from '../../src/delivery/decision';
import type { AttemptResult } from '../../src/delivery/ports';
import { MAX_ATTEMPTS_KEPT, type AttemptRecord } from '../../src/model/delivery';

const started = new Date('2026-11-28T10:00:00.000Z');
const finished = new Date('2026-11-28T10:00:00.250Z');
const after = (seconds: number) => new Date(finished.getTime() + seconds * 1000).toISOString();

function facts(result: AttemptResult, overrides: Partial<AttemptFacts> = {}): AttemptFacts {
  return {
    delivery: { run: 1, attemptCount: 0, attempts: [] },
    result,
    started,
    finished,
    schedule: [0, 10, 300],
    slowThresholdMs: 1000,
    // The middle of the jitter range: no jitter at all.
    jitter: 0.5,
    ...overrides,
  };
}

const ok = (statusCode: number, extra: Partial<AttemptResult> = {}): AttemptResult => ({
  durationMs: 250,
  statusCode,
  ...extra,
});
const broken = (cls: string, retryable?: boolean): AttemptResult => ({
  durationMs: 250,
  error: { class: cls, message: 'what happened', ...(retryable === undefined ? {} : { retryable }) },
});

describe('decideAttempt: outcome → status, next attempt', () => {
  test.each<[string, AttemptResult, { status: string; outcome: string; next?: string; reason?: string }]>([
    ['200', ok(200), { status: 'succeeded', outcome: 'succeeded' }],
    ['204', ok(204), { status: 'succeeded', outcome: 'succeeded' }],
    [
      '500: the next delay of the schedule',
      ok(500),
      { status: 'pending', outcome: 'retrying', next: after(10) },
    ],
    ['503', ok(503), { status: 'pending', outcome: 'retrying', next: after(10) }],
    ['429', ok(429), { status: 'pending', outcome: 'retrying', next: after(10) }],
    ['408', ok(408), { status: 'pending', outcome: 'retrying', next: after(10) }],
    [
      '429 with a longer Retry-After',
      ok(429, { retryAfter: '120' }),
      { status: 'pending', outcome: 'retrying', next: after(120) },
    ],
    [
      '503 with a shorter Retry-After: the schedule wins',
      ok(503, { retryAfter: '2' }),
      { status: 'pending', outcome: 'retrying', next: after(10) },
    ],
    ['timeout', broken('timeout'), { status: 'pending', outcome: 'retrying', next: after(10) }],
    ['connection', broken('connection'), { status: 'pending', outcome: 'retrying', next: after(10) }],
    ['dns', broken('dns'), { status: 'pending', outcome: 'retrying', next: after(10) }],
    [
      'an unknown error class the channel calls retryable',
      broken('other', true),
      { status: 'pending', outcome: 'retrying', next: after(10) },
    ],
    ['410 Gone', ok(410), { status: 'failed', outcome: 'failed', reason: 'the receiver answered 410 Gone' }],
    ['400', ok(400), { status: 'failed', outcome: 'failed', reason: 'the receiver answered 400' }],
    ['404', ok(404), { status: 'failed', outcome: 'failed', reason: 'the receiver answered 404' }],
    [
      '301: redirects are not followed',
      ok(301),
      {
        status: 'failed',
        outcome: 'failed',
        reason: 'the receiver answered 301; redirects are not followed',
      },
    ],
    [
      'a refused address',
      broken('forbidden-address', false),
      { status: 'failed', outcome: 'failed', reason: 'forbidden-address: what happened' },
    ],
    [
      'an unknown error class',
      broken('weird'),
      { status: 'failed', outcome: 'failed', reason: 'weird: what happened' },
    ],
  ])('%s', (_name, result, expected) => {
    const { update, attempt } = decideAttempt(facts(result));
    expect(update.status).toBe(expected.status);
    expect(attempt.outcome).toBe(expected.outcome);
    expect(update.nextAttemptAt).toBe(expected.next);
    expect(update.reason).toBe(expected.reason);
  });

  test.each<[string, number, AttemptResult, { status: string; next?: string; reason?: string }]>([
    ['the second attempt waits the third delay', 1, ok(500), { status: 'pending', next: after(300) }],
    [
      'the last attempt gives up',
      2,
      ok(500),
      { status: 'failed', reason: 'gave up after 3 attempts: the receiver answered 500' },
    ],
    [
      'the last attempt gives up on a timeout too',
      2,
      broken('timeout'),
      { status: 'failed', reason: 'gave up after 3 attempts: timeout: what happened' },
    ],
    ['the last attempt may still succeed', 2, ok(200), { status: 'succeeded' }],
  ])('%s', (_name, attemptCount, result, expected) => {
    const { update } = decideAttempt(facts(result, { delivery: { run: 1, attemptCount, attempts: [] } }));
    expect(update).toMatchObject({ status: expected.status, attemptCount: attemptCount + 1 });
    expect(update.nextAttemptAt).toBe(expected.next);
    expect(update.reason).toBe(expected.reason);
  });

  test.each([
    [0, after(8)],
    [0.5, after(10)],
    [0.999, after(12)],
  ])('jitter %s spreads the delay within ±20%%', (jitter, next) => {
    expect(decideAttempt(facts(ok(500), { jitter })).update.nextAttemptAt).toBe(next);
  });
});

describe('decideAttempt: the attempt record', () => {
  test('says what was sent when and what came back', () => {
    const { attempt, update } = decideAttempt(
      facts(ok(503, { durationMs: 249.6, responseBody: 'busy' }), {
        delivery: { run: 2, attemptCount: 0, attempts: [] },
      }),
    );
    expect(attempt).toEqual({
      run: 2,
      attempt: 1,
      at: started.toISOString(),
      durationMs: 250,
      outcome: 'retrying',
      statusCode: 503,
      responseBody: 'busy',
    });
    expect(update).toMatchObject({
      attempts: [attempt],
      updatedAt: finished.toISOString(),
      lastAttemptAt: started.toISOString(),
    });
  });

  test('keeps an error’s class and its detail, clipped, and no status code it never had', () => {
    const long = 'x'.repeat(600);
    const { attempt } = decideAttempt(
      facts({ durationMs: 3000, error: { class: 'timeout', message: long } }),
    );
    expect(attempt).not.toHaveProperty('statusCode');
    expect(attempt.error).toBe('timeout');
    expect(attempt.detail).toHaveLength(500);
    expect(attempt.detail!.endsWith('…')).toBe(true);
  });

  test(`keeps the newest ${MAX_ATTEMPTS_KEPT} attempts`, () => {
    const earlier: AttemptRecord[] = Array.from({ length: MAX_ATTEMPTS_KEPT }, (_, i) => ({
      run: 1,
      attempt: i + 1,
      at: started.toISOString(),
      durationMs: 1,
      outcome: 'retrying',
    }));
    const { update } = decideAttempt(
      facts(ok(200), {
        delivery: { run: 2, attemptCount: 0, attempts: earlier },
      }),
    );
    expect(update.attempts).toHaveLength(MAX_ATTEMPTS_KEPT);
    expect(update.attempts[0]).toMatchObject({ run: 1, attempt: 2 });
    expect(update.attempts.at(-1)).toMatchObject({ run: 2, attempt: 1, outcome: 'succeeded' });
  });
});

describe('decideAttempt: what the subscription learns', () => {
  test.each<[string, AttemptResult, { verdict: string; slow: boolean }]>([
    ['a quick success', ok(200), { verdict: 'success', slow: false }],
    ['a slow success', ok(200, { durationMs: 1000 }), { verdict: 'success', slow: true }],
    [
      'a timeout is slow whatever its duration',
      { durationMs: 5, error: { class: 'timeout', message: 't' } },
      { verdict: 'retry', slow: true },
    ],
    ['a 500', ok(500), { verdict: 'retry', slow: false }],
    ['a 400', ok(400), { verdict: 'fail', slow: false }],
    ['a 410', ok(410), { verdict: 'gone', slow: false }],
  ])('%s', (_name, result, expected) => {
    expect(decideAttempt(facts(result))).toMatchObject(expected);
  });
});
