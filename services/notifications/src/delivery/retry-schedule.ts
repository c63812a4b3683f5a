/**
 * When a failed delivery is tried again. The schedule is a stage setting: delays in seconds before
 * each attempt, the first normally 0 (send at once), e.g. `0,5,300,1800,7200,18000,36000,36000`
 * (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: about 28 hours in all). Each delay gets
 * up to ±20% jitter so a receiver coming back is not hit by every retry at the same second, and a
 * receiver's Retry-After is honoured when it asks for longer than the schedule.
 */

export type RetrySchedule = readonly number[];

/** Retry-After asking for more than a day is taken as a day: the schedule ends before that anyway. */
export const MAX_RETRY_AFTER_SECONDS = 24 * 3600;
const JITTER = 0.2;

export function parseSchedule(text: string): RetrySchedule {
  const parts = text.split(',').map((part) => part.trim());
  const delays = parts.map(Number);
  if (
    parts.length > 20 ||
    parts.some((part) => part === '') ||
    delays.some((d) => !Number.isInteger(d) || d < 0 || d > 7 * 86400)
  ) {
    throw new Error(
      `Retry schedule ${JSON.stringify(text)} must be 1-20 comma-separated whole numbers of seconds (each up to 7 days)`,
    );
  }
  return delays;
}

/** Attempts the schedule allows in all. */
export const maxAttempts = (schedule: RetrySchedule): number => schedule.length;

/**
 * Seconds from a failed attempt `attempt` (1-based) until attempt `attempt + 1`, or undefined when
 * there is none left. `random` returns [0, 1).
 */
export function delayBeforeNext(
  schedule: RetrySchedule,
  attempt: number,
  options: { retryAfterSeconds?: number; random?: () => number } = {},
): number | undefined {
  const base = schedule[attempt];
  if (base === undefined) return undefined;
  const random = options.random ?? Math.random;
  const jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random()));
  const asked = options.retryAfterSeconds;
  if (asked === undefined) return jittered;
  return Math.max(jittered, Math.min(asked, MAX_RETRY_AFTER_SECONDS));
}

/**
 * Retry-After as seconds from `now`: delta-seconds or an HTTP date (RFC 9110 §10.2.3). Anything
 * else, or a time already past, is ignored.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text);
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  const seconds = Math.ceil((at - now.getTime()) / 1000);
  return seconds > 0 ? seconds : undefined;
}
