/**
 * The bus contract of a tenant's settings: tenant.settings_updated, put on processing's bus by the
 * tenants service alone (source herald.tenants) whenever it writes them. The authorizer hands a
 * tenant's settings to the HTTP functions; functions run from a queue (notifications' deliverEmail
 * and its daily cap) never see the authorizer, so their service keeps its own copy from this event.
 * The detail carries the whole settings after the write, with the write's time: a consumer keeps the
 * latest and is right whatever order the bus brings them in.
 */
import type { TenantSettingsUpdated } from './tenant-settings-updated.types.generated';
import validateTenantSettingsUpdated from './tenant-settings-updated.validator.generated';
import { BusDetailError, BUS_ENTRY_MAX_BYTES, type BusEventLike } from './bus';
import { TENANT_LIFECYCLE_SOURCE } from './tenant-lifecycle';
import { describeViolations, validateWith } from './violations';

export type TenantSettingsUpdatedDetail = TenantSettingsUpdated;

export const TENANT_SETTINGS_UPDATED = 'tenant.settings_updated';

function check(detail: unknown, unknownProperties: 'refuse' | 'ignore'): TenantSettingsUpdatedDetail {
  const result = validateWith(validateTenantSettingsUpdated, detail, { unknownProperties });
  if (!result.ok) {
    throw new BusDetailError(
      'schema',
      `Invalid ${TENANT_SETTINGS_UPDATED} detail: ${describeViolations(result.violations)}`,
      result.violations,
    );
  }
  return result.value;
}

/** Checks an incoming event: the type, a detail its schema admits, from the tenants service. */
export function parseTenantSettingsUpdatedEvent(event: BusEventLike): TenantSettingsUpdatedDetail {
  if (event['detail-type'] !== TENANT_SETTINGS_UPDATED) {
    throw new BusDetailError(
      'unknown-detail-type',
      `Unknown detail type ${JSON.stringify(event['detail-type'])}`,
    );
  }
  const detail = check(event.detail, 'ignore');
  if (event.source !== TENANT_LIFECYCLE_SOURCE) {
    throw new BusDetailError(
      'wrong-source',
      `${TENANT_SETTINGS_UPDATED} must come from ${TENANT_LIFECYCLE_SOURCE}, not ${JSON.stringify(event.source)}`,
    );
  }
  return detail;
}

/** The PutEvents entry (without the bus name), refusing what a consumer would refuse. */
export function tenantSettingsUpdatedEntry(detail: TenantSettingsUpdatedDetail) {
  const valid = check(detail, 'refuse');
  const entry = {
    Source: TENANT_LIFECYCLE_SOURCE,
    DetailType: TENANT_SETTINGS_UPDATED,
    Detail: JSON.stringify(valid),
  };
  const size =
    Buffer.byteLength(entry.Source) + Buffer.byteLength(entry.DetailType) + Buffer.byteLength(entry.Detail);
  if (size > BUS_ENTRY_MAX_BYTES) {
    throw new BusDetailError(
      'too-large',
      `${TENANT_SETTINGS_UPDATED} entry is ${size} bytes; EventBridge allows ${BUS_ENTRY_MAX_BYTES}`,
    );
  }
  return entry;
}
