/**
 * A tenant's settings as a queue-driven function reads them: notifications' copy (tenant-state/
 * apply.ts), kept per container for `ttlMs` so a busy tenant's mails cost one read a container
 * a while, not one a mail. A change reaches every container within `ttlMs` of being kept.
 */
import type { TenantLimits, TenantSettings } from '@herald/shared/tenants/authorizer-context';
import { resolveLimits, type LimitName, type StageTenantLimits } from '@herald/shared/tenants/limits';

/** How long a container keeps a tenant's settings: the delay before a change is enforced everywhere. */
export const TENANT_SETTINGS_TTL_MS = 30_000;

export function cachedTenantSettings(
  read: (tenantId: string) => Promise<TenantSettings | undefined>,
  options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
): (tenantId: string) => Promise<TenantSettings | undefined> {
  const ttlMs = options.ttlMs ?? TENANT_SETTINGS_TTL_MS;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const kept = new Map<string, { settings: TenantSettings | undefined; until: number }>();
  return async (tenantId) => {
    const hit = kept.get(tenantId);
    if (hit && hit.until > now()) return hit.settings;
    const settings = await read(tenantId);
    // Oldest first out: a container serving many tenants keeps the last ones it saw.
    if (kept.size >= maxEntries) kept.delete(kept.keys().next().value!);
    kept.delete(tenantId);
    kept.set(tenantId, { settings, until: now() + ttlMs });
    return settings;
  };
}

/**
 * One of a tenant's limits where a queue-driven function enforces it: the tenant's own setting as
 * notifications keeps it, else the stage's `tenantLimits` for the tenant, else the stage's default
 * (the one resolver every enforcement point uses, shared/src/tenants/limits.ts).
 */
export function tenantLimit<K extends LimitName>(
  settingsOf: (tenantId: string) => Promise<TenantSettings | undefined>,
  name: K,
  stageDefault: () => number,
  stageTenants: () => StageTenantLimits,
): (tenantId: string) => Promise<number> {
  return async (tenantId) => {
    const defaults = { [name]: stageDefault() } as Pick<TenantLimits, K>;
    return resolveLimits(await settingsOf(tenantId), defaults, stageTenants()[tenantId])[name];
  };
}
