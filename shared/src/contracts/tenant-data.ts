/**
 * The bus contracts of a tenant's export and erasure. Each service erases and exports what it owns
 * (a table belongs to its writer), so the tenants service cannot do it for them: it puts a request on
 * processing's bus, each service's own queue takes it, and each service answers with a completion
 * naming itself. The requests have one publisher, the tenants service; the answers have three, each
 * under its own source, so they are kept apart from bus.ts, whose types have exactly one publisher
 * each: here a consumer checks that the source and the detail's `service` agree, so no service can
 * answer for another.
 */
import type { ValidateFunction } from 'ajv';
import type { TenantErasureCompleted } from './tenant-erasure-completed.types.generated';
import validateErasureCompleted from './tenant-erasure-completed.validator.generated';
import type { TenantErasureRequested } from './tenant-erasure-requested.types.generated';
import validateErasureRequested from './tenant-erasure-requested.validator.generated';
import type { TenantExportRequested } from './tenant-export-requested.types.generated';
import validateExportRequested from './tenant-export-requested.validator.generated';
import type { TenantExportWritten } from './tenant-export-written.types.generated';
import validateExportWritten from './tenant-export-written.validator.generated';
import { BusDetailError, BUS_ENTRY_MAX_BYTES, type BusEventLike } from './bus';
import { describeViolations, validateWith } from './violations';

export type ErasureRequestedDetail = TenantErasureRequested;
export type ErasureCompletedDetail = TenantErasureCompleted;
export type ExportRequestedDetail = TenantExportRequested;
export type ExportWrittenDetail = TenantExportWritten;

/** The services that hold a tenant's data and answer its export and erasure requests. */
export type DataService = ErasureCompletedDetail['service'];
export const DATA_SERVICES: readonly DataService[] = ['ingest', 'processing', 'notifications'];

export const TenantDataDetailType = {
  erasureRequested: 'tenant.erasure.requested',
  erasureCompleted: 'tenant.erasure.completed',
  exportRequested: 'tenant.export.requested',
  exportWritten: 'tenant.export.written',
} as const;
export type TenantDataDetailTypeName = (typeof TenantDataDetailType)[keyof typeof TenantDataDetailType];

/** The requests' one publisher. */
export const TENANTS_BUS_SOURCE = 'herald.tenants';
export const dataServiceSource = (service: DataService): `herald.${DataService}` => `herald.${service}`;

export interface TenantDataDetails {
  'tenant.erasure.requested': ErasureRequestedDetail;
  'tenant.erasure.completed': ErasureCompletedDetail;
  'tenant.export.requested': ExportRequestedDetail;
  'tenant.export.written': ExportWrittenDetail;
}

export type TenantDataMessage = {
  [T in TenantDataDetailTypeName]: { detailType: T; detail: TenantDataDetails[T] };
}[TenantDataDetailTypeName];

const validators: { [T in TenantDataDetailTypeName]: ValidateFunction<TenantDataDetails[T]> } = {
  'tenant.erasure.requested': validateErasureRequested,
  'tenant.erasure.completed': validateErasureCompleted,
  'tenant.export.requested': validateExportRequested,
  'tenant.export.written': validateExportWritten,
};

export function isTenantDataDetailType(value: unknown): value is TenantDataDetailTypeName {
  return typeof value === 'string' && Object.hasOwn(validators, value);
}

/** The source a detail must come from: the tenants service for requests, its own service for answers. */
function expectedSource<T extends TenantDataDetailTypeName>(type: T, detail: TenantDataDetails[T]): string {
  if (type === 'tenant.erasure.requested' || type === 'tenant.export.requested') return TENANTS_BUS_SOURCE;
  return dataServiceSource((detail as ErasureCompletedDetail | ExportWrittenDetail).service);
}

function check<T extends TenantDataDetailTypeName>(
  type: T,
  detail: unknown,
  unknownProperties: 'refuse' | 'ignore',
): TenantDataDetails[T] {
  const result = validateWith(validators[type], detail, { unknownProperties });
  if (!result.ok) {
    throw new BusDetailError(
      'schema',
      `Invalid ${type} detail: ${describeViolations(result.violations)}`,
      result.violations,
    );
  }
  // What one schema cannot say without making its generated type a union: a subject erasure names
  // its subject, a whole tenant's does not.
  if (type === 'tenant.erasure.requested') {
    const request = result.value as ErasureRequestedDetail;
    if ((request.scope === 'subject') !== (request.subject !== undefined)) {
      throw new BusDetailError('schema', `Invalid ${type} detail: subject goes with scope "subject" alone`);
    }
  }
  return result.value;
}

/**
 * Checks an incoming EventBridge event: a known type, a detail its schema admits (unknown properties
 * ignored, as every consumer does), from the source allowed to publish it.
 */
export function parseTenantDataEvent(event: BusEventLike): TenantDataMessage {
  const type = event['detail-type'];
  if (!isTenantDataDetailType(type)) {
    throw new BusDetailError('unknown-detail-type', `Unknown detail type ${JSON.stringify(type)}`);
  }
  const detail = check(type, event.detail, 'ignore');
  const source = expectedSource(type, detail);
  if (event.source !== source) {
    throw new BusDetailError(
      'wrong-source',
      `${type} must come from ${source}, not ${JSON.stringify(event.source)}`,
    );
  }
  return { detailType: type, detail } as TenantDataMessage;
}

export interface TenantDataEntry {
  Source: string;
  DetailType: TenantDataDetailTypeName;
  Detail: string;
}

/** The PutEvents entry (without the bus name), refusing what a consumer would refuse. */
export function tenantDataEntry<T extends TenantDataDetailTypeName>(
  type: T,
  detail: TenantDataDetails[T],
): TenantDataEntry {
  const valid = check(type, detail, 'refuse');
  const entry = { Source: expectedSource(type, valid), DetailType: type, Detail: JSON.stringify(valid) };
  const size = Buffer.byteLength(entry.Source) + Buffer.byteLength(type) + Buffer.byteLength(entry.Detail);
  if (size > BUS_ENTRY_MAX_BYTES) {
    throw new BusDetailError(
      'too-large',
      `${type} entry is ${size} bytes; EventBridge allows ${BUS_ENTRY_MAX_BYTES}`,
    );
  }
  return entry;
}
