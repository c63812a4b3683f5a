/**
 * What one tenant may use at once, and the one check that enforces it. The limits are the tenant's
 * own where its settings (the tenants service's, from the authorizer) name them, else the stage's
 * for that tenant, else the stage's defaults (params): `limitsFor`, through the shared resolver.
 */
import type { TenantSettings } from '@herald/shared/tenants/authorizer-context';
import { resolveLimits, type StageTenantLimits } from '@herald/shared/tenants/limits';
import { QuotaExceeded } from '../problems';

export interface TenantLimits {
  /** Subscriptions a tenant may have, whatever their status. */
  subscriptions: number;
  /** Replays of the tenant's subscriptions running at the same time. */
  concurrentReplays: number;
}

export type Quota = keyof TenantLimits;

/** Refuses one more of `quota` (QuotaExceeded, a 409) while the tenant already has `current` of its limit. */
export function checkTenantQuota(quota: Quota, current: number, limits: TenantLimits): void {
  const limit = limits[quota];
  if (current >= limit) throw new QuotaExceeded(quota, limit, current);
}

/** The caller's limits: its tenant's settings, else the stage's for that tenant, else the stage's defaults. */
export function limitsFor(
  caller: { tenantId: string; settings?: TenantSettings },
  defaults: TenantLimits,
  stage: StageTenantLimits = {},
): TenantLimits {
  const resolved = resolveLimits(
    caller.settings,
    { maxSubscriptions: defaults.subscriptions, maxConcurrentReplays: defaults.concurrentReplays },
    stage[caller.tenantId],
  );
  return { subscriptions: resolved.maxSubscriptions, concurrentReplays: resolved.maxConcurrentReplays };
}
