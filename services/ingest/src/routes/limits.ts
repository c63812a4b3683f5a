/**
 * What ingest's routes answer when a tenant's rate or daily upload bytes refuse a request: 429
 * `rate-limited` with `Retry-After` and the RateLimit fields, 409 `quota-exceeded`; and 503 when the
 * limits table cannot be reached (fail closed: nothing was written or sent, so a retry loses no
 * event, where failing open would let one tenant take every other's share while it lasts).
 */
import type { HttpContext } from '@herald/shared/entry/http';
import { logger } from '@herald/shared/logger';
import { HttpProblem, problemType } from '@herald/shared/problem';
import type { TenantLimits } from '@herald/shared/tenants/authorizer-context';
import { resolveLimits, type StageTenantLimits } from '@herald/shared/tenants/limits';
import {
  rateLimitHeaders,
  takeRate,
  takeUploadBytes,
  type RateLimitStore,
  type RateSettings,
} from '../limits';

export type IngestLimits = Pick<
  TenantLimits,
  'ingestRequestsPerSecond' | 'ingestEventsPerSecond' | 'uploadBytesPerDay'
>;

export interface LimitSettings extends RateSettings {
  /** The stage's defaults (params). */
  defaults: IngestLimits;
  /** The stage's own limits for some tenants (TENANT_LIMITS). */
  tenants: StageTenantLimits;
}

/** The caller's limits: its tenant's settings, else the stage's for it, else the stage's defaults. */
export const callerLimits = (context: HttpContext, settings: LimitSettings): IngestLimits =>
  resolveLimits(context.auth.settings, settings.defaults, settings.tenants[context.auth.tenantId]);

const unavailable = (error: unknown) => {
  logger.error('The limits table could not be reached; refusing the request', error as Error);
  return new HttpProblem(503, {
    detail: 'Rate limiting is unavailable for a moment; nothing of this request was accepted. Retry it.',
    headers: { 'retry-after': '1' },
  });
};

/**
 * Counts the request (and its events) against the tenant's rates, or throws the 429. Answers the
 * RateLimit fields for the success.
 */
export async function admitRate(
  context: HttpContext,
  events: number,
  store: RateLimitStore,
  settings: LimitSettings,
  now: () => Date,
): Promise<Record<string, string>> {
  let decision;
  try {
    decision = await takeRate(context.auth.tenantId, events, callerLimits(context, settings), settings, {
      store,
      now,
    });
  } catch (error) {
    throw unavailable(error);
  }
  const headers = rateLimitHeaders(decision.state);
  if (decision.kind === 'allowed') return headers;
  const what = decision.limit === 'ingestRequestsPerSecond' ? 'requests' : 'events';
  const whole = events > 1 ? `The batch of ${events} events was refused whole: none was accepted. ` : '';
  const detail = decision.neverFits
    ? `${whole}It is more than the tenant's limit of ${decision.perSecond} ${what} a second and can never be accepted as one request; split it.`
    : `${whole}The tenant is over its limit of ${decision.perSecond} ${what} a second; retry after ${decision.retryAfterSeconds} s.`;
  throw new HttpProblem(429, {
    type: problemType('rate-limited'),
    detail,
    headers: { ...headers, 'retry-after': String(decision.retryAfterSeconds) },
    extra: {
      quota: decision.limit,
      limit: decision.perSecond,
      current: decision.current,
      requested: decision.requested,
      ...(events > 1 ? { refusedWhole: true } : {}),
    },
  });
}

/** Counts an upload's declared bytes on the tenant's day, or throws the 409. */
export async function admitUploadBytes(
  context: HttpContext,
  bytes: number,
  store: RateLimitStore,
  settings: LimitSettings,
  now: () => Date,
): Promise<void> {
  const limit = callerLimits(context, settings).uploadBytesPerDay;
  let decision;
  try {
    decision = await takeUploadBytes(context.auth.tenantId, bytes, limit, { store, now });
  } catch (error) {
    throw unavailable(error);
  }
  if (decision.kind === 'allowed') return;
  throw new HttpProblem(409, {
    type: problemType('quota-exceeded'),
    detail: `The tenant may upload ${decision.limit} bytes a UTC day; ${decision.current} are counted today, and this upload declares ${bytes}.`,
    extra: { quota: decision.quota, limit: decision.limit, current: decision.current, requested: bytes },
  });
}
