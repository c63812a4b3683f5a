/**
 * A tenant's own export and erasure requests (POST /v1/tenant/export, POST /v1/tenant/erasures) and
 * reading them back. Asking is this service's; the work is each data service's (orchestrate.ts
 * records their answers): a request is recorded, then put on the bus, so an answer always finds its
 * record. A request is read by the caller's tenant and its id together, so another tenant's id is
 * simply not found.
 *
 * An export is ready once ingest, processing and notifications have each answered; its files are
 * then given as presigned GET URLs, valid minutes (the files themselves expire with the bucket's
 * lifecycle, days). A subject erasure is done once those three and this service (its exports) have
 * answered; its record keeps each service's counts, never the subject.
 */
import type { AuditEntry, AuditOf } from '@herald/shared/audit';
import type { AuthContext } from '@herald/shared/entry/http';
import {
  DATA_SERVICES,
  type ErasureCompletedDetail,
  type ErasureRequestedDetail,
  type ExportRequestedDetail,
  type ExportWrittenDetail,
} from '@herald/shared/contracts/tenant-data';
import { ulid } from '@herald/shared/ulid';
import { Conflict, NotFound } from '../problems';
import { ANSWERING, type DataRequest, type DataRequests, type RequestKind } from './orchestrate';

/** How many of a tenant's exports may run at once; how many subject erasures. */
export const MAX_RUNNING_EXPORTS = 2;
export const MAX_RUNNING_ERASURES = 10;
/**
 * A request still pending after this long no longer counts against the limit: a service that never
 * answers (its queue's messages dead-lettered) must not lock the tenant out for the record's days.
 */
export const RUNNING_FOR_AT_MOST_MS = 60 * 60 * 1000;
/** How long a file's presigned URL is valid. */
export const EXPORT_URL_SECONDS = 15 * 60;

export interface TenantRequests extends DataRequests {
  get(tenantId: string, kind: RequestKind, id: string): Promise<DataRequest | undefined>;
  /**
   * How many of the tenant's requests of this kind are pending, asked at or after `since`, and the
   * version of its starts of that kind, read before counting: a start recorded after that read
   * moved it on, so `start` with it fails.
   */
  countPending(
    tenantId: string,
    kind: RequestKind,
    since: string,
  ): Promise<{ count: number; version: number }>;
  /**
   * Records a new request and moves its tenant's starts of its kind from `version` on, in one write,
   * only while they are still at `version`; false when another start (or a concurrent write of the
   * same starts) came first, and nothing is recorded.
   */
  start(request: DataRequest, version: number): Promise<boolean>;
}

export interface TenantRequestDeps {
  requests: TenantRequests;
  exportBucket: string;
  requestExport(detail: ExportRequestedDetail): Promise<void>;
  requestErasure(detail: ErasureRequestedDetail): Promise<void>;
  /** A GET URL of one file of the export bucket, valid `seconds`. */
  presign(key: string, seconds: number): Promise<string>;
  recordAudit(entry: AuditEntry): Promise<unknown>;
  now(): Date;
  newId?(): string;
}

export const newExportId = () => `exp_${ulid()}`;
export const newErasureId = () => `ers_${ulid()}`;
/** Where an export's files go; each service writes under <prefix><service>/. */
export const exportPrefix = (tenantId: string, exportId: string) => `exports/${tenantId}/${exportId}/`;

/**
 * Records the request unless the tenant has `limit` of its kind pending already (409 quota-exceeded).
 * Counted and recorded as one: the record moves the tenant's starts on only from the version read
 * before counting, so of starts made at the same time one is recorded and the others count again
 * (and see it). Each lost try is another start recorded meanwhile, so after `limit` + 2 of them the
 * tenant has been starting at least as many as it may run: the same 409.
 */
async function recordWithinLimit(request: DataRequest, limit: number, deps: TenantRequestDeps) {
  const refused = () =>
    new Conflict(
      'quota-exceeded',
      `At most ${limit} ${request.kind === 'export' ? 'exports' : 'erasures'} may run at once; wait for one to finish`,
    );
  for (let tries = 1; tries <= limit + 2; tries += 1) {
    const since = new Date(deps.now().getTime() - RUNNING_FOR_AT_MOST_MS).toISOString();
    const { count, version } = await deps.requests.countPending(request.tenantId, request.kind, since);
    if (count >= limit) throw refused();
    if (await deps.requests.start(request, version)) return;
  }
  throw refused();
}

export async function startExport(caller: AuthContext, auditOf: AuditOf, deps: TenantRequestDeps) {
  const { tenantId } = caller;
  const now = deps.now();
  const exportId = deps.newId?.() ?? newExportId();
  const time = now.toISOString();
  await recordWithinLimit(
    {
      tenantId,
      kind: 'export',
      id: exportId,
      status: 'pending',
      by: caller.subject,
      requestedAt: time,
      answers: {},
    },
    MAX_RUNNING_EXPORTS,
    deps,
  );
  await deps.requestExport({
    exportId,
    tenantId,
    bucket: deps.exportBucket,
    prefix: exportPrefix(tenantId, exportId),
    time,
  });
  await deps.recordAudit(
    auditOf(
      { action: 'tenant.export_requested', resource: { type: 'tenant', id: tenantId }, changedFields: [] },
      now,
    ),
  );
  return { exportId, status: 'pending' as const, requestedAt: time };
}

const answeredBy = (request: DataRequest, services: readonly string[]) => ({
  answered: services.filter((name) => request.answers[name] !== undefined),
  waitingFor: services.filter((name) => request.answers[name] === undefined),
});

export async function readExport(tenantId: string, exportId: string, deps: TenantRequestDeps) {
  const request = await deps.requests.get(tenantId, 'export', exportId);
  if (!request) throw new NotFound('export');
  const progress = answeredBy(request, DATA_SERVICES);
  const base = { exportId, requestedAt: request.requestedAt, ...progress };
  if (progress.waitingFor.length > 0) return { ...base, status: 'pending' as const };
  const expiresAt = new Date(deps.now().getTime() + EXPORT_URL_SECONDS * 1000).toISOString();
  const files = [];
  for (const service of DATA_SERVICES) {
    const answer = request.answers[service];
    const objects: ExportWrittenDetail['objects'] = answer && 'objects' in answer ? answer.objects : [];
    // Only this export's own folder: a URL signed here reads whatever its key names.
    for (const object of objects.filter((o) => o.key.startsWith(exportPrefix(tenantId, exportId)))) {
      files.push({
        service,
        key: object.key,
        records: object.records,
        bytes: object.bytes,
        url: await deps.presign(object.key, EXPORT_URL_SECONDS),
      });
    }
  }
  return {
    ...base,
    status: 'ready' as const,
    ...(request.doneAt ? { readyAt: request.doneAt } : {}),
    urlsExpireAt: expiresAt,
    files,
  };
}

export async function startErasure(
  caller: AuthContext,
  input: { subject: string },
  auditOf: AuditOf,
  deps: TenantRequestDeps,
) {
  const { tenantId } = caller;
  const requestId = deps.newId?.() ?? newErasureId();
  const now = deps.now();
  const time = now.toISOString();
  // The record does not keep the subject: it lives on only in the request on the bus.
  await recordWithinLimit(
    {
      tenantId,
      kind: 'erasure',
      id: requestId,
      status: 'pending',
      scope: 'subject',
      by: caller.subject,
      requestedAt: time,
      answers: {},
    },
    MAX_RUNNING_ERASURES,
    deps,
  );
  await deps.requestErasure({ requestId, tenantId, scope: 'subject', subject: input.subject, time });
  // Who asked and when, never the subject: the entry outlives the data it names.
  await deps.recordAudit(
    auditOf(
      { action: 'tenant.erasure_requested', resource: { type: 'tenant', id: tenantId }, changedFields: [] },
      now,
    ),
  );
  return { requestId, status: 'pending' as const, requestedAt: time };
}

export async function readErasure(tenantId: string, requestId: string, deps: TenantRequestDeps) {
  const request = await deps.requests.get(tenantId, 'erasure', requestId);
  if (!request) throw new NotFound('erasure');
  const counts: Record<string, ErasureCompletedDetail['counts']> = {};
  for (const [service, answer] of Object.entries(request.answers)) {
    if ('counts' in answer) counts[service] = answer.counts;
  }
  return {
    requestId,
    scope: request.scope ?? 'subject',
    status: request.status === 'done' ? ('done' as const) : ('pending' as const),
    requestedAt: request.requestedAt,
    ...(request.doneAt ? { doneAt: request.doneAt } : {}),
    ...answeredBy(request, ANSWERING),
    counts,
  };
}
