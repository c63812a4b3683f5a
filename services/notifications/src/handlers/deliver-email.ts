import { resolveLimits } from '@herald/shared/tenants/limits';
import type { DeliverDeps } from '../delivery/ports';
import { deliveryQueueHandler } from './delivery-queue';
import { deliverDeps, deliveryMetrics, emailCap, emails, settings } from '../wiring';

export const createHandler = (
  deps: () => Omit<DeliverDeps, 'log'>,
  metrics: ReturnType<typeof deliveryMetrics>,
) => deliveryQueueHandler(deps, () => 'email', metrics);

/**
 * Each tenant's cap: the stage's `tenantLimits` for it, else the stage's default. deliverEmail runs
 * from its queue, not behind the authorizer, so a tenant's own settings do not reach it.
 */
const tenantEmailCap = (tenantId: string) =>
  resolveLimits(
    undefined,
    { dailyEmailCap: settings().dailyEmailCapPerTenant },
    settings().stageTenantLimits[tenantId],
  ).dailyEmailCap;

export const handler = createHandler(
  () => ({ ...deliverDeps('email', emails()), emailCap: { ...emailCap(), limit: tenantEmailCap } }),
  deliveryMetrics(),
);
