/**
 * What one tenant may use at once, and the one check that enforces it. The limits are the stage's
 * defaults for now; a tenant's own limits can be passed in at the same place later.
 */
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
