/** What the tenants logic needs of storage and the bus; DynamoDB and EventBridge adapters in adapters/. */
import type { ApiKey } from './model/api-key';
import type { Tenant, TenantStatus } from './model/tenant';
import type { TenantSettings } from '@herald/shared/tenants/authorizer-context';
import type { LinkedAppend } from './audit/record';

export interface Page<T> {
  items: T[];
  /** Opaque; absent on the last page. */
  next?: string;
}

export interface TenantStore {
  get(id: string): Promise<Tenant | undefined>;
  /**
   * False when a tenant of that id exists already (whatever its status). With `audit`, the
   * creation's entry is appended to the tenant's chain in the same write (none when it is refused);
   * a lost link throws ChainRace (audit/record.ts, writeWithAuditEntry).
   */
  create(tenant: Tenant, audit?: LinkedAppend): Promise<boolean>;
  list(limit: number, cursor?: string): Promise<Page<Tenant>>;
  /**
   * Sets what is given, only while the tenant's status is one of `from` (when given); the tenant
   * as it is after, or undefined when there is none or its status is not one of `from`. With
   * `audit`, the change's entry in the same write, as for create.
   */
  update(
    id: string,
    change: { settings?: TenantSettings; status?: TenantStatus; name?: string; updatedAt: string },
    from?: readonly TenantStatus[],
    audit?: LinkedAppend,
  ): Promise<Tenant | undefined>;
}

export interface ApiKeyStore {
  /** The authorizer's lookup. */
  byHash(hash: string): Promise<ApiKey | undefined>;
  /** With `audit`, the creation's entry in the same write, as TenantStore.create. */
  create(key: ApiKey, audit?: LinkedAppend): Promise<void>;
  /** The tenant's keys by id (oldest first), portal tokens left out. */
  list(tenantId: string, limit: number, cursor?: string): Promise<Page<ApiKey>>;
  get(tenantId: string, keyId: string): Promise<ApiKey | undefined>;
  /**
   * Sets revokedAt once (a second revoke keeps the first time); the key after, or undefined. With
   * `audit`, the revocation's entry in the same write, only when this call revoked it.
   */
  revoke(tenantId: string, keyId: string, at: string, audit?: LinkedAppend): Promise<ApiKey | undefined>;
  /** Records the key's last use (best effort: a key gone meanwhile is not an error). */
  touch(hash: string, at: string): Promise<void>;
}

export type TenantEventType = 'tenant.suspended' | 'tenant.resumed' | 'tenant.deleted';

export interface TenantEvents {
  publish(type: TenantEventType, detail: { tenantId: string; at: string; by: string }): Promise<void>;
  /**
   * tenant.settings_updated: the tenant's whole settings after a write, for the services whose
   * queue-driven functions enforce them (the authorizer hands them only to HTTP functions).
   */
  publishSettings(detail: {
    tenantId: string;
    settings: TenantSettings;
    at: string;
    by: string;
  }): Promise<void>;
}
