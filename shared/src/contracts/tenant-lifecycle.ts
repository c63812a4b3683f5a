/**
 * The bus contract of a tenant's status changes: tenant.suspended, tenant.resumed and tenant.deleted,
 * put on processing's bus by the tenants service alone (source herald.tenants), for the services
 * that act on them (hold a suspended tenant's deliveries, erase a deleted one's data). One schema
 * for the three: the detail type names the change, `status` the tenant's status after it, and the
 * two must agree.
 */
import type { TenantLifecycle } from './tenant-lifecycle.types.generated';
import validateTenantLifecycle from './tenant-lifecycle.validator.generated';
import { BusDetailError, BUS_ENTRY_MAX_BYTES, type BusEventLike } from './bus';
import { describeViolations, validateWith } from './violations';

export type TenantLifecycleDetail = TenantLifecycle;

export const TenantLifecycleType = {
  suspended: 'tenant.suspended',
  resumed: 'tenant.resumed',
  deleted: 'tenant.deleted',
} as const;
export type TenantLifecycleTypeName = (typeof TenantLifecycleType)[keyof typeof TenantLifecycleType];

/** The one publisher. */
export const TENANT_LIFECYCLE_SOURCE = 'herald.tenants';

const STATUS_AFTER: Record<TenantLifecycleTypeName, TenantLifecycleDetail['status']> = {
  'tenant.suspended': 'suspended',
  'tenant.resumed': 'active',
  'tenant.deleted': 'deleted',
};

export function isTenantLifecycleType(value: unknown): value is TenantLifecycleTypeName {
  return typeof value === 'string' && Object.hasOwn(STATUS_AFTER, value);
}

function check(
  type: TenantLifecycleTypeName,
  detail: unknown,
  unknownProperties: 'refuse' | 'ignore',
): TenantLifecycleDetail {
  const result = validateWith(validateTenantLifecycle, detail, { unknownProperties });
  if (!result.ok) {
    throw new BusDetailError(
      'schema',
      `Invalid ${type} detail: ${describeViolations(result.violations)}`,
      result.violations,
    );
  }
  if (result.value.status !== STATUS_AFTER[type]) {
    throw new BusDetailError('schema', `Invalid ${type} detail: status must be ${STATUS_AFTER[type]}`);
  }
  return result.value;
}

/** Checks an incoming event: a lifecycle type, a detail its schema admits, from the tenants service. */
export function parseTenantLifecycleEvent(event: BusEventLike): {
  detailType: TenantLifecycleTypeName;
  detail: TenantLifecycleDetail;
} {
  const type = event['detail-type'];
  if (!isTenantLifecycleType(type)) {
    throw new BusDetailError('unknown-detail-type', `Unknown detail type ${JSON.stringify(type)}`);
  }
  const detail = check(type, event.detail, 'ignore');
  if (event.source !== TENANT_LIFECYCLE_SOURCE) {
    throw new BusDetailError(
      'wrong-source',
      `${type} must come from ${TENANT_LIFECYCLE_SOURCE}, not ${JSON.stringify(event.source)}`,
    );
  }
  return { detailType: type, detail };
}

/** The PutEvents entry (without the bus name), refusing what a consumer would refuse. */
export function tenantLifecycleEntry(type: TenantLifecycleTypeName, detail: TenantLifecycleDetail) {
  const valid = check(type, detail, 'refuse');
  const entry = { Source: TENANT_LIFECYCLE_SOURCE, DetailType: type, Detail: JSON.stringify(valid) };
  const size = Buffer.byteLength(entry.Source) + Buffer.byteLength(type) + Buffer.byteLength(entry.Detail);
  if (size > BUS_ENTRY_MAX_BYTES) {
    throw new BusDetailError(
      'too-large',
      `${type} entry is ${size} bytes; EventBridge allows ${BUS_ENTRY_MAX_BYTES}`,
    );
  }
  return entry;
}
