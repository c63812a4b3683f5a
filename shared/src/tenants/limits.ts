/**
 * A tenant's limits as a service enforces them: the tenant's own where its settings (the tenants
 * service's, handed on by the authorizer in `context.auth.settings`) name one, else the stage's
 * default from the enforcing service's params. One resolver for every enforcement point, so a
 * setting means the same in ingest and notifications.
 *
 * Between the two, a stage may name limits for some tenants itself (`tenantLimits` in a service's
 * params, `TENANT_LIMITS`): for a stage without the tenants service's settings yet, and for the
 * local stage's tests, which give test tenants low limits without lowering everyone's.
 */
import type { TenantLimits, TenantSettings } from './authorizer-context';

export type LimitName = keyof TenantLimits;

/** Each limit a whole number from 0 (nothing allowed) up; anything else is not a limit. */
export function isLimit(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * The limits named in `defaults`, each the tenant's own when its settings hold a valid one. A value
 * the contract does not allow (negative, fractional, not a number) takes the default rather than
 * failing the request: the tenants service validates settings when they are written, so such a
 * value is a newer authorizer's or a bug's, and the stage's cap is the safe answer.
 */
export function resolveLimits<K extends LimitName>(
  settings: TenantSettings | undefined,
  defaults: Pick<TenantLimits, K>,
  stage: Partial<TenantLimits> = {},
): Pick<TenantLimits, K> {
  const own: Partial<Record<LimitName, unknown>> = settings?.limits ?? {};
  const resolved = { ...defaults };
  for (const name of Object.keys(defaults) as K[]) {
    const value = isLimit(own[name]) ? own[name] : stage[name];
    if (isLimit(value)) resolved[name] = value as TenantLimits[K];
  }
  return resolved;
}

/** Limits the stage names for some tenants, by tenant id. */
export type StageTenantLimits = Readonly<Record<string, Partial<TenantLimits>>>;

const LIMIT_NAMES: readonly LimitName[] = [
  'ingestRequestsPerSecond',
  'ingestEventsPerSecond',
  'maxSubscriptions',
  'maxConcurrentReplays',
  'uploadBytesPerDay',
  'dailyEmailCap',
];

/**
 * `TENANT_LIMITS`: JSON `{ "<tenant>": { "<limit>": <whole number> } }`, empty for none. Checked at
 * cold start: a misspelt limit or a bad value fails loudly rather than being ignored.
 */
export function stageTenantLimits(text: string | undefined, name = 'TENANT_LIMITS'): StageTenantLimits {
  if (text === undefined || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`Environment variable ${name} is not JSON`);
  }
  const fail = (why: string) => new Error(`Environment variable ${name}: ${why}`);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw fail('must be an object');
  for (const [tenant, limits] of Object.entries(parsed)) {
    if (typeof limits !== 'object' || limits === null || Array.isArray(limits))
      throw fail(`${tenant} must map limits to numbers`);
    for (const [limit, value] of Object.entries(limits)) {
      if (!LIMIT_NAMES.includes(limit as LimitName)) throw fail(`${tenant}: unknown limit ${limit}`);
      if (!isLimit(value)) throw fail(`${tenant}: ${limit} must be a whole number from 0`);
    }
  }
  return parsed as StageTenantLimits;
}
