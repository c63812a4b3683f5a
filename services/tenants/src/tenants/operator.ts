/**
 * The operator's tenant routes (scope tenants:admin): create, list, read, change settings, suspend,
 * resume, delete. Suspending, resuming and deleting put tenant.suspended / tenant.resumed /
 * tenant.deleted on processing's bus for the other services; the event is published whenever the
 * call leaves the tenant in that status, so a call retried after a failed publish publishes it
 * (consumers take it more than once alike). A deleted tenant stays, status `deleted`, so its tokens
 * and keys stay refused; erasing its data is each service's, on tenant.deleted. Writing a tenant's
 * settings (creating it with some, or a PATCH that names them) puts tenant.settings_updated, the
 * whole settings after the write: the services' queue-driven functions never see the authorizer's
 * copy, so they keep their own from it (notifications' daily e-mail cap).
 *
 * Given the route's `audit` (the request's entry maker), each change is recorded in the changed
 * tenant's audit log, with the operator as its actor, in the same write as the change
 * (audit/record.ts, writeAudited): a creation, a settings or name change (the members the patch
 * names), a status that changes. A call that changes nothing (a tenant suspended again, an empty
 * patch) has no entry; the event is still put, for a retry after a failed publish.
 */
import type { AuditOf } from '@herald/shared/audit';
import type { TenantLimits, TenantSettings } from '@herald/shared/tenants/authorizer-context';
import { writeAudited, type AuditChain } from '../audit/record';
import type { Tenant, TenantStatus } from '../model/tenant';
import { tenantView } from '../model/views';
import type { TenantEvents, TenantEventType, TenantStore } from '../ports';
import { Conflict, NotFound } from '../problems';

export interface OperatorDeps {
  store: TenantStore;
  events: TenantEvents;
  now?: () => Date;
  /** The audit chain, for the routes that record their changes. */
  chain?: AuditChain;
}

/** The names an entry gives a tenant's change: `name`, and each setting named. */
const tenantFields = (input: { name?: unknown; settings?: object | null }) => [
  ...(input.name === undefined ? [] : ['name']),
  ...Object.keys(input.settings ?? {}),
];

export async function createTenant(
  input: { id: string; name?: string; settings?: TenantSettings },
  deps: OperatorDeps,
  by = 'operator',
  audit?: AuditOf,
) {
  const when = deps.now?.() ?? new Date();
  const now = when.toISOString();
  const tenant: Tenant = {
    id: input.id,
    ...(input.name === undefined ? {} : { name: input.name }),
    status: 'active',
    settings: input.settings ?? {},
    createdAt: now,
    updatedAt: now,
  };
  const entry = audit?.(
    {
      action: 'tenant.created',
      resource: { type: 'tenant', id: tenant.id },
      changedFields: tenantFields(input),
    },
    when,
  );
  const created = await writeAudited(entry, tenant.settings, deps.chain, (append) =>
    deps.store.create(tenant, append),
  );
  if (!created) {
    throw new Conflict('tenant-exists', 'A tenant of this id exists already (deleted ones too)');
  }
  // Only settings of its own: a tenant without any has the stages' defaults, which every service knows.
  if (Object.keys(tenant.settings).length > 0) {
    await deps.events.publishSettings({ tenantId: tenant.id, settings: tenant.settings, at: now, by });
  }
  return tenantView(tenant);
}

export async function listTenants(
  limit: number,
  cursor: string | undefined,
  deps: Pick<OperatorDeps, 'store'>,
) {
  const page = await deps.store.list(limit, cursor);
  return { items: page.items.map(tenantView), ...(page.next ? { next: page.next } : {}) };
}

export async function readTenant(id: string, deps: Pick<OperatorDeps, 'store'>) {
  const tenant = await deps.store.get(id);
  if (!tenant) throw new NotFound('tenant');
  return tenantView(tenant);
}

type Patch<T> = { [K in keyof T]?: T[K] | null };
export interface TenantPatch {
  name?: string;
  settings?: {
    limits?: Patch<TenantLimits> | null;
    retentionDays?: number | null;
    allowedDestinations?: TenantSettings['allowedDestinations'] | null;
  };
}

/** RFC 7396 merge: a member given replaces, null removes; limits merge limit by limit. */
export function mergeSettings(
  current: TenantSettings,
  patch: NonNullable<TenantPatch['settings']>,
): TenantSettings {
  const merged: TenantSettings = { ...current };
  if (patch.limits === null) delete merged.limits;
  else if (patch.limits !== undefined) {
    const limits: Record<string, number> = { ...current.limits };
    for (const [name, value] of Object.entries(patch.limits)) {
      if (value === null) delete limits[name];
      else if (value !== undefined) limits[name] = value;
    }
    if (Object.keys(limits).length === 0) delete merged.limits;
    else merged.limits = limits as Partial<TenantLimits>;
  }
  for (const name of ['retentionDays', 'allowedDestinations'] as const) {
    const value = patch[name];
    if (value === null) delete merged[name];
    else if (value !== undefined) (merged as Record<string, unknown>)[name] = value;
  }
  return merged;
}

const LIVE: readonly TenantStatus[] = ['active', 'suspended'];

export async function updateTenant(
  id: string,
  patch: TenantPatch,
  deps: OperatorDeps,
  by = 'operator',
  audit?: AuditOf,
) {
  const tenant = await deps.store.get(id);
  if (!tenant) throw new NotFound('tenant');
  if (tenant.status === 'deleted') throw deletedConflict();
  const when = deps.now?.() ?? new Date();
  const settings = patch.settings === undefined ? undefined : mergeSettings(tenant.settings, patch.settings);
  const changedFields = tenantFields(patch);
  const entry =
    changedFields.length === 0
      ? undefined
      : audit?.({ action: 'tenant.settings_updated', resource: { type: 'tenant', id }, changedFields }, when);
  const updated = await writeAudited(entry, settings ?? tenant.settings, deps.chain, (append) =>
    deps.store.update(
      id,
      {
        ...(patch.name === undefined ? {} : { name: patch.name }),
        ...(settings === undefined ? {} : { settings }),
        updatedAt: when.toISOString(),
      },
      LIVE,
      append,
    ),
  );
  if (!updated) throw deletedConflict();
  // Published after the write with its time, so the consumers' copies keep the latest; a failed
  // publish fails the call (500), and the operator's retry writes and publishes again.
  if (patch.settings !== undefined) {
    await deps.events.publishSettings({
      tenantId: id,
      settings: updated.settings,
      at: updated.updatedAt,
      by,
    });
  }
  return tenantView(updated);
}

const deletedConflict = () => new Conflict('tenant-deleted', 'The tenant is deleted; it cannot be changed');

const TRANSITIONS: Record<
  'suspend' | 'resume' | 'delete',
  { to: TenantStatus; from: readonly TenantStatus[]; event: TenantEventType }
> = {
  suspend: { to: 'suspended', from: ['active', 'suspended'], event: 'tenant.suspended' },
  resume: { to: 'active', from: ['suspended', 'active'], event: 'tenant.resumed' },
  delete: { to: 'deleted', from: ['active', 'suspended', 'deleted'], event: 'tenant.deleted' },
};

/** Moves the tenant to the action's status (again, if it is there already) and says so on the bus. */
export async function changeStatus(
  id: string,
  action: keyof typeof TRANSITIONS,
  by: string,
  deps: OperatorDeps,
  audit?: AuditOf,
) {
  const { to, from, event } = TRANSITIONS[action];
  const when = deps.now?.() ?? new Date();
  const now = when.toISOString();
  let updated: Tenant | undefined;
  if (audit) {
    // Recorded only when the status changes: the write's condition is a status it leaves.
    const tenant = await deps.store.get(id);
    if (!tenant) throw new NotFound('tenant');
    const leaving = from.filter((status) => status !== to);
    if (leaving.includes(tenant.status)) {
      const entry = audit(
        { action: event, resource: { type: 'tenant', id }, changedFields: ['status'] },
        when,
      );
      updated = await writeAudited(entry, tenant.settings, deps.chain, (append) =>
        deps.store.update(id, { status: to, updatedAt: now }, leaving, append),
      );
    }
    // There already (or moved there meanwhile by a call that recorded it).
    updated ??= await deps.store.get(id);
    if (updated?.status !== to) throw deletedConflict();
  } else {
    updated = await deps.store.update(id, { status: to, updatedAt: now }, from);
    if (!updated) {
      if (!(await deps.store.get(id))) throw new NotFound('tenant');
      throw deletedConflict();
    }
  }
  await deps.events.publish(event, { tenantId: id, at: now, by });
  return tenantView(updated);
}
