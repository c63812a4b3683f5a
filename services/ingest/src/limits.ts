/**
 * A tenant's rates and daily upload bytes, as ingest enforces them (issue: per-tenant limits).
 *
 * Rates are counted in fixed windows shared by every container: one item per tenant and window of
 * `windowSeconds`, counting the requests and the events taken in it, moved on by one conditional
 * write that adds a request's cost only if both counts stay within the tenant's limits. A request
 * over either limit changes nothing and is refused whole, before anything is signed, queued or
 * recorded; so a refused batch never has a part accepted, and a request is never half-counted.
 *
 * Why a fixed window and not a token bucket with refill arithmetic: a bucket's refill depends on
 * what it held and when, which a conditional write cannot compute without reading first (DynamoDB
 * has no multiplication), so each request pays a read and a write, and writes racing from several
 * containers fail their condition and go round again. The window's counters need one UpdateItem
 * with ADD, which never races. What it trades: a tenant may take its quota at the end of one
 * window and again at the start of the next, twice its rate over that one second (the burst the
 * window allows), never more over any two windows.
 */
import type { TenantLimits } from '@herald/shared/tenants/authorizer-context';

export type RateLimits = Pick<TenantLimits, 'ingestRequestsPerSecond' | 'ingestEventsPerSecond'>;

export interface WindowCounts {
  requests: number;
  events: number;
}

export type TakeResult =
  | { allowed: true; counts: WindowCounts }
  /** Nothing was counted; `counts` is what the window held (zeros when unknown). */
  | { allowed: false; counts: WindowCounts };

/** The tenant's counters, shared by every container (its own table). */
export interface RateLimitStore {
  /**
   * Adds one request and `events` events to the tenant's window `window` if, after it, neither
   * count passes its maximum; otherwise counts nothing. `expiresAt` (epoch seconds) lets the store
   * forget the window once it is over.
   */
  take(
    tenantId: string,
    window: number,
    events: number,
    max: WindowCounts,
    expiresAt: number,
  ): Promise<TakeResult>;
  /**
   * Adds `amount` to the tenant's counter `counter` if it stays within `max`; otherwise adds
   * nothing. Answers the count after (or, refused, the count as it is).
   */
  add(
    tenantId: string,
    counter: string,
    amount: number,
    max: number,
    expiresAt: number,
  ): Promise<{ allowed: boolean; current: number }>;
}

export interface RateSettings {
  /** The length of a window; each limit a second times this is the window's quota. */
  windowSeconds: number;
}

export interface Clock {
  now: () => Date;
}

/** What the RateLimit / RateLimit-Policy headers say (IETF httpapi draft "RateLimit header fields for HTTP"). */
export interface RateState {
  windowSeconds: number;
  quota: WindowCounts;
  remaining: WindowCounts;
  /** Seconds until the window ends and the counts start again. */
  resetSeconds: number;
}

export type RateDecision =
  | { kind: 'allowed'; state: RateState }
  | {
      kind: 'refused';
      /** The limit that refused it: the request count, or the event count. */
      limit: 'ingestRequestsPerSecond' | 'ingestEventsPerSecond';
      perSecond: number;
      /** What the request asked for of that limit (1 request, or its events). */
      requested: number;
      /** What the window already held of that limit. */
      current: number;
      /** True when the request is larger than a whole window's quota: waiting will never let it through. */
      neverFits: boolean;
      retryAfterSeconds: number;
      state: RateState;
    };

/** The window a moment falls in, and the seconds left until it ends (at least 1). */
export function windowOf(nowMs: number, windowSeconds: number): { window: number; resetSeconds: number } {
  const length = windowSeconds * 1000;
  const window = Math.floor(nowMs / length);
  return { window, resetSeconds: Math.max(1, Math.ceil(((window + 1) * length - nowMs) / 1000)) };
}

/** Kept a little past its end so a slow request still meets its window; TTL deletes it later. */
const WINDOW_KEPT_SECONDS = 60;

/**
 * Counts a request of `events` events against the tenant's rates, or refuses it whole. A request
 * that can never fit a window (its events more than a window's quota, or a limit of 0) is refused
 * without a call.
 */
export async function takeRate(
  tenantId: string,
  events: number,
  limits: RateLimits,
  settings: RateSettings,
  deps: Clock & { store: RateLimitStore },
): Promise<RateDecision> {
  const nowMs = deps.now().getTime();
  const { window, resetSeconds } = windowOf(nowMs, settings.windowSeconds);
  const quota: WindowCounts = {
    requests: limits.ingestRequestsPerSecond * settings.windowSeconds,
    events: limits.ingestEventsPerSecond * settings.windowSeconds,
  };
  const state = (counts: WindowCounts): RateState => ({
    windowSeconds: settings.windowSeconds,
    quota,
    remaining: {
      requests: Math.max(0, quota.requests - counts.requests),
      events: Math.max(0, quota.events - counts.events),
    },
    resetSeconds,
  });
  const refuse = (limit: 'requests' | 'events', counts: WindowCounts, neverFits: boolean): RateDecision => ({
    kind: 'refused',
    limit: limit === 'requests' ? 'ingestRequestsPerSecond' : 'ingestEventsPerSecond',
    perSecond: limit === 'requests' ? limits.ingestRequestsPerSecond : limits.ingestEventsPerSecond,
    requested: limit === 'requests' ? 1 : events,
    current: limit === 'requests' ? counts.requests : counts.events,
    neverFits,
    retryAfterSeconds: resetSeconds,
    state: state(counts),
  });
  if (quota.requests < 1) return refuse('requests', { requests: 0, events: 0 }, true);
  if (events > quota.events) return refuse('events', { requests: 0, events: 0 }, true);

  const expiresAt = Math.ceil(nowMs / 1000) + settings.windowSeconds + WINDOW_KEPT_SECONDS;
  const taken = await deps.store.take(tenantId, window, events, quota, expiresAt);
  if (taken.allowed) return { kind: 'allowed', state: state(taken.counts) };
  // Which limit refused it: the request count if it alone is full, else the events.
  const requestsFull = taken.counts.requests + 1 > quota.requests;
  return refuse(requestsFull ? 'requests' : 'events', taken.counts, false);
}

/**
 * The draft's fields (draft-ietf-httpapi-ratelimit-headers-10, Structured Field lists): the two
 * policies, and what is left of each in this window and when it starts again.
 */
export function rateLimitHeaders(state: RateState): Record<string, string> {
  const { quota, remaining, windowSeconds: w, resetSeconds: t } = state;
  return {
    'ratelimit-policy': `"requests";q=${quota.requests};w=${w}, "events";q=${quota.events};w=${w}`,
    ratelimit: `"requests";r=${remaining.requests};t=${t}, "events";r=${remaining.events};t=${t}`,
  };
}

/** The UTC day of a moment, `YYYY-MM-DD`: daily quotas start again at 00:00 UTC. */
export const utcDay = (now: Date): string => now.toISOString().slice(0, 10);

export type QuotaDecision =
  | { kind: 'allowed'; current: number }
  | { kind: 'exceeded'; quota: 'uploadBytesPerDay'; limit: number; current: number; requested: number };

/**
 * Counts `bytes` on the tenant's upload bytes of the UTC day, or refuses it (nothing counted). The
 * declared size is counted when the upload is created: the presigned URL binds that exact size
 * (onUpload refuses a file of any other), so no more than it is ever read for the upload. An upload
 * whose file never arrives stays counted for its day.
 */
export async function takeUploadBytes(
  tenantId: string,
  bytes: number,
  limit: number,
  deps: Clock & { store: RateLimitStore },
): Promise<QuotaDecision> {
  const now = deps.now();
  const day = utcDay(now);
  // Kept two days past its day's start, so it is read for the whole day; TTL deletes it after.
  const expiresAt = Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + 2 * 86_400;
  const taken = await deps.store.add(tenantId, `UPLOADBYTES#${day}`, bytes, limit, expiresAt);
  return taken.allowed
    ? { kind: 'allowed', current: taken.current }
    : { kind: 'exceeded', quota: 'uploadBytesPerDay', limit, current: taken.current, requested: bytes };
}
