/**
 * GET /v1/tenant: the caller's tenant and its settings. A tenant with no record yet (a token naming
 * it on a stage that does not create tenants, seen by an operator) is shown as active with the
 * stage's defaults, which is how every service treats it.
 */
import type { AuthContext } from '@herald/shared/entry/http';
import { tenantView } from '../model/views';
import type { TenantStore } from '../ports';

export async function ownTenant(auth: AuthContext, store: Pick<TenantStore, 'get'>) {
  const tenant = await store.get(auth.tenantId);
  if (tenant) return tenantView(tenant);
  return { id: auth.tenantId, status: 'active' as const, settings: {} };
}
