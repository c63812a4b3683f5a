/** What the API shows of its records. */
import type { Tenant } from './tenant';

export function tenantView(tenant: Tenant) {
  return {
    id: tenant.id,
    ...(tenant.name === undefined ? {} : { name: tenant.name }),
    status: tenant.status,
    settings: tenant.settings,
    createdAt: tenant.createdAt,
    updatedAt: tenant.updatedAt,
  };
}
