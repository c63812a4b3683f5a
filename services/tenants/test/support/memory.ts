/**
 * In-memory stand-ins of the tenants service's ports, with the promises of the DynamoDB adapters
 * (test/contract/stores.contract.test.ts runs both against one suite).
 */
import { decodeCursor, encodeCursor, InvalidCursor } from '@herald/shared/cursor';
import { ChainRace } from '../../src/audit/chain';
import type { AuditLog } from '../../src/audit/ports';
import type { LinkedAppend } from '../../src/audit/record';
import type { ApiKey } from '../../src/model/api-key';
import type { Tenant, TenantStatus } from '../../src/model/tenant';
import type { ApiKeyStore, Page, TenantEvents, TenantEventType, TenantStore } from '../../src/ports';
import type { TenantSettings } from '@herald/shared/tenants/authorizer-context';
import type { Answer, DataRequest, RequestKind } from '../../src/tenant-data/orchestrate';
import type { TenantRequests } from '../../src/tenant-data/tenant-requests';

const copy = <T>(value: T): T => structuredClone(value);

/**
 * A change's entry appended as the DynamoDB stores append it, in the change's write: called once the
 * change's condition holds and before it is applied; a link taken throws ChainRace.
 */
async function appendLink(log: AuditLog | undefined, audit: LinkedAppend | undefined): Promise<void> {
  if (!audit) return;
  if (!log) throw new Error('This store was made without the audit log');
  if ((await log.append(audit.link, audit.expiresAt)) === 'conflict') throw new ChainRace('link taken');
}

export class MemoryTenants implements TenantStore {
  readonly tenants = new Map<string, Tenant>();
  reads = 0;

  constructor(private readonly audit?: AuditLog) {}

  async get(id: string) {
    this.reads += 1;
    const tenant = this.tenants.get(id);
    return tenant && copy(tenant);
  }

  async create(tenant: Tenant, audit?: LinkedAppend) {
    if (this.tenants.has(tenant.id)) return false;
    await appendLink(this.audit, audit);
    this.tenants.set(tenant.id, copy(tenant));
    return true;
  }

  async list(limit: number, cursor?: string): Promise<Page<Tenant>> {
    const ids = [...this.tenants.keys()].sort();
    const after = cursor === undefined ? undefined : decodeCursor(cursor, 1)[0];
    const rest = after === undefined ? ids : ids.filter((id) => id > after);
    const items = rest.slice(0, limit).map((id) => copy(this.tenants.get(id)!));
    return {
      items,
      ...(rest.length > limit ? { next: encodeCursor([items[items.length - 1]!.id]) } : {}),
    };
  }

  async update(
    id: string,
    change: { settings?: Tenant['settings']; status?: TenantStatus; name?: string; updatedAt: string },
    from?: readonly TenantStatus[],
    audit?: LinkedAppend,
  ) {
    const tenant = this.tenants.get(id);
    if (!tenant || (from && !from.includes(tenant.status))) return undefined;
    await appendLink(this.audit, audit);
    const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
    const updated = { ...tenant, ...copy(defined) } as Tenant;
    this.tenants.set(id, updated);
    return copy(updated);
  }
}

export class MemoryApiKeys implements ApiKeyStore {
  readonly keys = new Map<string, ApiKey>();
  reads = 0;
  touches: Array<{ hash: string; at: string }> = [];

  constructor(private readonly audit?: AuditLog) {}

  async byHash(hash: string) {
    this.reads += 1;
    const key = this.keys.get(hash);
    return key && copy(key);
  }

  async create(key: ApiKey, audit?: LinkedAppend) {
    if (this.keys.has(key.hash)) throw new Error('a key of this hash exists');
    await appendLink(this.audit, audit);
    this.keys.set(key.hash, copy(key));
  }

  private owned(tenantId: string) {
    return [...this.keys.values()]
      .filter((key) => key.tenantId === tenantId && key.environment !== 'portal')
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async list(tenantId: string, limit: number, cursor?: string): Promise<Page<ApiKey>> {
    let after: string | undefined;
    if (cursor !== undefined) {
      const [cursorTenant, id] = decodeCursor(cursor, 3);
      if (cursorTenant !== tenantId) throw new InvalidCursor();
      after = id;
    }
    const rest = this.owned(tenantId).filter((key) => after === undefined || key.id > after);
    const items = rest.slice(0, limit).map(copy);
    const last = items[items.length - 1];
    return {
      items,
      ...(rest.length > limit && last ? { next: encodeCursor([tenantId, last.id, last.hash]) } : {}),
    };
  }

  async get(tenantId: string, keyId: string) {
    const key = this.owned(tenantId).find((k) => k.id === keyId);
    return key && copy(key);
  }

  async revoke(tenantId: string, keyId: string, at: string, audit?: LinkedAppend) {
    const key = this.owned(tenantId).find((k) => k.id === keyId);
    if (!key) return undefined;
    // Only a revocation that happens is recorded.
    if (key.revokedAt === undefined) await appendLink(this.audit, audit);
    key.revokedAt ??= at;
    return copy(key);
  }

  async touch(hash: string, at: string) {
    this.touches.push({ hash, at });
    const key = this.keys.get(hash);
    if (key) key.lastUsedAt = at;
  }
}

export class MemoryTenantEvents implements TenantEvents {
  readonly published: Array<{ type: TenantEventType; detail: { tenantId: string; at: string; by: string } }> =
    [];
  readonly settings: Array<{ tenantId: string; settings: TenantSettings; at: string; by: string }> = [];
  async publish(type: TenantEventType, detail: { tenantId: string; at: string; by: string }) {
    this.published.push({ type, detail });
  }
  async publishSettings(detail: { tenantId: string; settings: TenantSettings; at: string; by: string }) {
    this.settings.push(detail);
  }
}

/**
 * Export and erasure requests, with the DynamoDB adapter's starts: each tenant's and kind's count of
 * starts, read before counting the pending requests, and a start recorded only while it is unchanged.
 */
export class MemoryDataRequests implements TenantRequests {
  readonly items = new Map<string, DataRequest>();
  private readonly starts = new Map<string, number>();

  private static key = (tenantId: string, kind: RequestKind, id: string) => `${tenantId}/${kind}/${id}`;

  async create(request: DataRequest) {
    const key = MemoryDataRequests.key(request.tenantId, request.kind, request.id);
    if (this.items.has(key)) return false;
    this.items.set(key, copy(request));
    return true;
  }

  async get(tenantId: string, kind: RequestKind, id: string) {
    const item = this.items.get(MemoryDataRequests.key(tenantId, kind, id));
    return item && copy(item);
  }

  async countPending(tenantId: string, kind: RequestKind, since: string) {
    const version = this.starts.get(`${tenantId}/${kind}`) ?? 0;
    const count = [...this.items.values()].filter(
      (r) => r.tenantId === tenantId && r.kind === kind && r.status === 'pending' && r.requestedAt >= since,
    ).length;
    return { count, version };
  }

  async start(request: DataRequest, version: number) {
    const starts = `${request.tenantId}/${request.kind}`;
    if ((this.starts.get(starts) ?? 0) !== version) return false;
    const key = MemoryDataRequests.key(request.tenantId, request.kind, request.id);
    if (this.items.has(key)) throw new Error(`${key} exists already`);
    this.items.set(key, copy(request));
    this.starts.set(starts, version + 1);
    return true;
  }

  async answer(tenantId: string, kind: RequestKind, id: string, service: string, answer: Answer) {
    const item = this.items.get(MemoryDataRequests.key(tenantId, kind, id));
    if (!item) return undefined;
    item.answers[service] = copy(answer);
    return copy(item);
  }

  async finish(tenantId: string, kind: RequestKind, id: string, at: string) {
    const item = this.items.get(MemoryDataRequests.key(tenantId, kind, id));
    if (!item || item.status === 'done') return false;
    item.status = 'done';
    item.doneAt = at;
    return true;
  }
}
