import type { DeliverDeps } from '../delivery/ports';
import { cachedTenantSettings, tenantLimit } from '../tenant-state/settings-cache';
import { deliveryQueueHandler } from './delivery-queue';
import { deliverDeps, deliveryMetrics, emailCap, emails, settings, tenantState } from '../wiring';

export const createHandler = (
  deps: () => Omit<DeliverDeps, 'log'>,
  metrics: ReturnType<typeof deliveryMetrics>,
) => deliveryQueueHandler(deps, () => 'email', metrics);

/**
 * Each tenant's cap: its own setting, else the stage's `tenantLimits` for it, else the stage's
 * default. deliverEmail runs from its queue, not behind the authorizer, so the tenant's settings
 * reach it through notifications' copy (tenant.settings_updated, tenant-state/), read at most once a
 * container every 30 s (settings-cache.ts).
 */
const tenantEmailCap = tenantLimit(
  cachedTenantSettings((tenantId) => tenantState().settings(tenantId)),
  'dailyEmailCap',
  () => settings().dailyEmailCapPerTenant,
  () => settings().stageTenantLimits,
);

export const handler = createHandler(
  () => ({ ...deliverDeps('email', emails()), emailCap: { ...emailCap(), limit: tenantEmailCap } }),
  deliveryMetrics(),
);
