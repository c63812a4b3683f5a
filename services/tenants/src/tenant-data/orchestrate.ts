/**
 * The tenants service's side of a tenant's export and erasure: it asks, the services that hold the
 * data answer (each erases and exports what it owns, shared/src/contracts/tenant-data.ts), and it
 * keeps each request's record until every one of them has answered.
 *
 * A tenant deleted by an operator (tenant.deleted, which this service itself puts on the bus) is
 * erased whole: the request is recorded and tenant.erasure.requested goes to every service. This
 * service takes that request too, for its own part: the tenant's export files (any of which may hold
 * a subject's events, so a subject's erasure deletes them all) and, for a whole tenant, its API keys
 * (hashes, prefixes, scopes, last uses). The tenant's record stays, status `deleted`: a new tenant
 * under the same id would inherit whatever still names it (its audit trail, a token or key minted
 * before, a copy in a DLQ or a backup not yet expired), so an id is never reused silently; creating
 * it again is refused (tenant-exists). Its audit entries stay too: they hold ids and field names, no
 * payload, and the erasure's completion is one of them.
 *
 * When the last service answers, the request is done: an erasure's completion is recorded in the
 * tenant's audit log (action tenant.erasure_completed, the stores erased as its changed fields, since
 * an entry holds names, not numbers); the counts are in the request's record.
 */
import {
  parseTenantDataEvent,
  DATA_SERVICES,
  type ErasureCompletedDetail,
  type ErasureRequestedDetail,
  type ExportWrittenDetail,
} from '@herald/shared/contracts/tenant-data';
import { parseTenantLifecycleEvent } from '@herald/shared/contracts/tenant-lifecycle';
import type { BusEventLike } from '@herald/shared/contracts';
import { auditEntry, type AuditEntry } from '@herald/shared/audit';

export type RequestKind = 'erasure' | 'export';

/** What one service answered: an erasure's counts, or an export's files. */
export type Answer =
  { counts: ErasureCompletedDetail['counts'] } | { objects: ExportWrittenDetail['objects'] };

export interface DataRequest {
  tenantId: string;
  kind: RequestKind;
  id: string;
  status: 'pending' | 'done';
  scope?: 'tenant' | 'subject';
  /** Who asked: the operator's or the tenant's subject. */
  by: string;
  requestedAt: string;
  answers: Record<string, Answer>;
  doneAt?: string;
}

export interface DataRequests {
  /** Records a request unless one of that id exists; false if it did. */
  create(request: DataRequest): Promise<boolean>;
  /** Adds (or replaces) one service's answer; the request after, or undefined if there is none. */
  answer(
    tenantId: string,
    kind: RequestKind,
    id: string,
    service: string,
    answer: Answer,
  ): Promise<DataRequest | undefined>;
  /** Marks it done once; false if it was already. */
  finish(tenantId: string, kind: RequestKind, id: string, at: string): Promise<boolean>;
}

export interface OrchestrateDeps {
  requests: DataRequests;
  /** Deletes the tenant's API keys; how many. */
  eraseApiKeys(tenantId: string): Promise<number>;
  /** Deletes the tenant's export files (every export: any may hold the subject); how many. */
  eraseExports(tenantId: string): Promise<number>;
  requestErasure(detail: ErasureRequestedDetail): Promise<void>;
  recordAudit(entry: AuditEntry): Promise<unknown>;
  now(): Date;
}

/** The services that answer, this one's own part (its keys, the exports) among them. */
export const ANSWERING = [...DATA_SERVICES, 'tenants'];

/** A whole tenant's erasure, named by the deletion it follows: the same deletion, the same request. */
export const deletionErasureId = (deletedAt: string) => `tenant-deleted:${deletedAt}`;

export type Outcome =
  | { outcome: 'erasure-requested'; tenantId: string; requestId: string }
  | { outcome: 'own-data-erased'; tenantId: string; requestId: string; counts: Record<string, number> }
  | {
      outcome: 'answer-recorded' | 'request-done';
      tenantId: string;
      kind: RequestKind;
      id: string;
      service: string;
    }
  | { outcome: 'ignored'; reason: string };

/** One message of the tenant-data queue: tenant.deleted, or a service's answer. */
export async function orchestrate(event: BusEventLike, deps: OrchestrateDeps): Promise<Outcome> {
  if (event['detail-type'] === 'tenant.deleted') {
    const { detail } = parseTenantLifecycleEvent(event);
    const requestId = deletionErasureId(detail.time);
    await deps.requests.create({
      tenantId: detail.tenantId,
      kind: 'erasure',
      id: requestId,
      status: 'pending',
      scope: 'tenant',
      by: detail.by,
      requestedAt: deps.now().toISOString(),
      answers: {},
    });
    // Asked every time the deletion is seen: a redelivered request erases nothing more.
    await deps.requestErasure({ requestId, tenantId: detail.tenantId, scope: 'tenant', time: detail.time });
    return { outcome: 'erasure-requested', tenantId: detail.tenantId, requestId };
  }
  const message = parseTenantDataEvent(event);
  if (message.detailType === 'tenant.erasure.requested') {
    // This service's own part, whoever asked (an operator's deletion, the tenant's request): the
    // exports, which may hold anything of the tenant, and for a whole tenant its API keys.
    const { tenantId, requestId, scope } = message.detail;
    const counts: Record<string, number> = {};
    if (scope === 'tenant') counts['api-keys'] = await deps.eraseApiKeys(tenantId);
    counts.exports = await deps.eraseExports(tenantId);
    const result = await recordAnswer(tenantId, 'erasure', requestId, 'tenants', { counts }, deps);
    return result.outcome === 'ignored'
      ? { outcome: 'own-data-erased', tenantId, requestId, counts }
      : result;
  }
  if (message.detailType === 'tenant.erasure.completed' || message.detailType === 'tenant.export.written') {
    const erasure = message.detailType === 'tenant.erasure.completed';
    const { tenantId, service } = message.detail;
    const id = erasure ? message.detail.requestId : message.detail.exportId;
    const answer: Answer = erasure ? { counts: message.detail.counts } : { objects: message.detail.objects };
    return recordAnswer(tenantId, erasure ? 'erasure' : 'export', id, service, answer, deps);
  }
  return { outcome: 'ignored', reason: `${message.detailType} is not for this service` };
}

/** One service's answer recorded; the last one finishes the request (an erasure's, in the audit log). */
async function recordAnswer(
  tenantId: string,
  kind: RequestKind,
  id: string,
  service: string,
  answer: Answer,
  deps: OrchestrateDeps,
): Promise<Outcome> {
  const after = await deps.requests.answer(tenantId, kind, id, service, answer);
  if (!after) return { outcome: 'ignored', reason: `no ${kind} request ${id}` };
  const done = ANSWERING.every((name) =>
    name === 'tenants' && kind === 'export' ? true : after.answers[name] !== undefined,
  );
  if (!done || !(await deps.requests.finish(tenantId, kind, id, deps.now().toISOString()))) {
    return { outcome: 'answer-recorded', tenantId, kind, id, service };
  }
  if (kind === 'erasure') await deps.recordAudit(completionEntry(after, deps.now()));
  return { outcome: 'request-done', tenantId, kind, id, service };
}

/** The audit entry of an erasure's completion: who asked, and the stores erased from (names only). */
export function completionEntry(request: DataRequest, at: Date): AuditEntry {
  const erased = Object.entries(request.answers).flatMap(([service, answer]) =>
    'counts' in answer
      ? Object.entries(answer.counts)
          .filter(([, count]) => (count ?? 0) > 0)
          .map(([store]) => `${service}_${store}`.replace(/[^A-Za-z0-9_]/g, '_'))
      : [],
  );
  return auditEntry(
    { tenantId: request.tenantId, subject: request.by },
    {},
    request.id,
    {
      action: 'tenant.erasure_completed',
      resource: { type: 'tenant', id: request.tenantId },
      changedFields: erased,
    },
    at,
  );
}
