/**
 * GET /v1/audit: the caller's tenant's entries, newest first, filtered by action, resource, actor
 * and time range, a page at a time. The tenant is the token's alone; the cursor is bound to the
 * tenant and the filters it was issued for, so it resumes nothing else.
 */
import { createHash } from 'node:crypto';
import type { AuditAction, AuditEntry, AuditResourceType } from '@herald/shared/audit';
import { AUDIT_ACTIONS, AUDIT_RESOURCE_TYPES } from '@herald/shared/contracts/audit-entry';
import { decodeCursor, encodeCursor, InvalidCursor } from '@herald/shared/cursor';
import { HttpProblem, problemType } from '@herald/shared/problem';
import type { ChainedEntry } from './chain';
import type { AuditLog, AuditQuery } from './ports';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;
const RESOURCE_ID = /^[A-Za-z0-9._:*-]{1,256}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** An entry as the route answers it: the entry, and its place in the chain so a reader can check it. */
export type AuditItem = AuditEntry & { seq: number; prevHash: string; hash: string; recordedAt: string };

export interface AuditListAnswer {
  items: AuditItem[];
  nextCursor?: string;
}

type Params = Record<string, string | undefined> | null | undefined;

/** As the validation middleware answers a schema's violation, so every route reads alike. */
function invalid(parameter: string, message: string): HttpProblem {
  return new HttpProblem(422, {
    type: problemType('validation-failed'),
    title: 'Unprocessable Content',
    detail: `/queryStringParameters/${parameter} ${message}`,
    extra: { errors: [{ pointer: `/queryStringParameters/${parameter}`, message }] },
  });
}

function invalidCursor(): HttpProblem {
  return new HttpProblem(400, { type: problemType('invalid-cursor'), detail: new InvalidCursor().message });
}

/** Milliseconds always, so that bounds compare as text with the entries' `at`. */
function instant(parameter: string, value: string): string {
  const time = TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw invalid(parameter, 'must be an RFC 3339 UTC time');
  return new Date(time).toISOString();
}

export function auditQuery(tenantId: string, params: Params): AuditQuery {
  const p = params ?? {};
  const query: AuditQuery = { limit: DEFAULT_LIMIT };
  if (p.limit !== undefined) {
    const limit = /^[1-9][0-9]{0,2}$/.test(p.limit) ? Number(p.limit) : 0;
    if (limit < 1 || limit > MAX_LIMIT) throw invalid('limit', `must be 1 to ${MAX_LIMIT}`);
    query.limit = limit;
  }
  if (p.action !== undefined) {
    if (!(AUDIT_ACTIONS as readonly string[]).includes(p.action))
      throw invalid('action', 'must be an audited action');
    query.action = p.action as AuditAction;
  }
  if (p.resourceId !== undefined && p.resourceType === undefined)
    throw invalid('resourceId', 'needs resourceType');
  if (p.resourceType !== undefined) {
    if (!(AUDIT_RESOURCE_TYPES as readonly string[]).includes(p.resourceType))
      throw invalid('resourceType', 'must be an audited resource type');
    if (p.resourceId !== undefined && !RESOURCE_ID.test(p.resourceId))
      throw invalid('resourceId', 'must be a resource id');
    query.resource = {
      type: p.resourceType as AuditResourceType,
      ...(p.resourceId === undefined ? {} : { id: p.resourceId }),
    };
  }
  if (p.actor !== undefined) {
    if (p.actor.length < 1 || p.actor.length > 256) throw invalid('actor', 'must be 1 to 256 characters');
    query.actor = p.actor;
  }
  if (p.since !== undefined) query.since = instant('since', p.since);
  if (p.until !== undefined) query.until = instant('until', p.until);
  if (query.since && query.until && query.since > query.until)
    throw invalid('until', 'must not be before since');
  if (p.cursor !== undefined) {
    let parts: string[];
    try {
      parts = decodeCursor(p.cursor, 3);
    } catch (error) {
      if (error instanceof InvalidCursor) throw invalidCursor();
      throw error;
    }
    const [cursorTenant, filters, seq] = parts as [string, string, string];
    if (cursorTenant !== tenantId || filters !== filterDigest(query) || !/^[1-9][0-9]{0,14}$/.test(seq))
      throw invalidCursor();
    query.beforeSeq = Number(seq);
  }
  return query;
}

/** What a cursor is bound to besides the tenant: every filter, not the page size. */
function filterDigest(query: AuditQuery): string {
  const { limit: _limit, beforeSeq: _before, ...filters } = query;
  return createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 22);
}

export function toItem(link: ChainedEntry): AuditItem {
  return {
    ...link.entry,
    seq: link.seq,
    prevHash: link.prevHash,
    hash: link.hash,
    recordedAt: link.recordedAt,
  };
}

export async function listAudit(tenantId: string, params: Params, log: AuditLog): Promise<AuditListAnswer> {
  const query = auditQuery(tenantId, params);
  const page = await log.page(tenantId, query);
  return {
    items: page.items.map(toItem),
    ...(page.nextBeforeSeq === undefined
      ? {}
      : { nextCursor: encodeCursor([tenantId, filterDigest(query), String(page.nextBeforeSeq)]) }),
  };
}

/** Whether a link passes the query's filters (the in-memory log, and the DynamoDB one after reading). */
export function matches(link: ChainedEntry, query: AuditQuery): boolean {
  const { entry } = link;
  if (query.action && entry.action !== query.action) return false;
  if (query.resource) {
    if (entry.resource.type !== query.resource.type) return false;
    if (query.resource.id !== undefined && entry.resource.id !== query.resource.id) return false;
  }
  if (query.actor !== undefined && entry.actor.subject !== query.actor) return false;
  if (query.since !== undefined && entry.at < query.since) return false;
  if (query.until !== undefined && entry.at > query.until) return false;
  return true;
}
