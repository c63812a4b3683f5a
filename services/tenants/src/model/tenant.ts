/**
 * A tenant as the tenants service keeps it: its status (an active tenant is served; a suspended or
 * deleted one is refused on every route, by the authorizer) and its settings, which the authorizer
 * hands to every function (shared/src/tenants/authorizer-context.ts).
 */
import type { TenantSettings } from '@herald/shared/tenants/authorizer-context';

export type TenantStatus = 'active' | 'suspended' | 'deleted';

export interface Tenant {
  id: string;
  /** A name for people; the id is what tokens carry. */
  name?: string;
  status: TenantStatus;
  settings: TenantSettings;
  createdAt: string;
  updatedAt: string;
  /** Created by the authorizer on the tenant's first use (stages with autoCreateTenants). */
  autoCreated?: boolean;
}

/** A tenant made on the first use of a token naming it. */
export function autoCreatedTenant(id: string, now: Date): Tenant {
  const at = now.toISOString();
  return { id, status: 'active', settings: {}, createdAt: at, updatedAt: at, autoCreated: true };
}
