/**
 * Audit entries: one per change a tenant or operator makes through an HTTP route, built the same way
 * by every route of every service (contract: contracts/audit-entry.schema.json). An entry is built
 * from what the auth middleware verified (never from unverified claims: a refused request has no
 * tenant, so it has no entry and goes to the security log alone) and from the request's source
 * address, user agent and correlation id. It names the resource and the fields that changed, never
 * their values, a payload, a secret or a header's value.
 *
 * The producing service writes the entry as an outbox item in the same DynamoDB transaction as the
 * change (`auditOutboxItem`), so there is no change without its entry and no entry without its
 * change; a stream reader carries it to the tenants service, which appends it to the tenant's
 * chain. The entry's id is a digest of the entry, so a carried entry delivered twice is the same
 * entry and the store keeps it once.
 */
import { createHash } from 'node:crypto';
import type { AuditEntry } from './contracts/audit-entry.types.generated';
import validateAuditEntry from './contracts/audit-entry.validator.generated';
import { describeViolations, validateWith } from './contracts/violations';
import { canonicalJson } from './signing/canonical';

export type { AuditEntry } from './contracts/audit-entry.types.generated';
export type AuditAction = AuditEntry['action'];
export type AuditResourceType = AuditEntry['resource']['type'];

/** What the auth middleware verified about the caller (AuthContext, or the authorizer's context). */
export interface AuditCaller {
  tenantId: string;
  subject: string;
  credential?: 'jwt' | 'api_key';
  keyId?: string;
}

/** The parts of an API Gateway v2 event an entry reads. */
export interface AuditRequest {
  headers?: Record<string, string | undefined> | null;
  requestContext?: { http?: { sourceIp?: string; userAgent?: string } };
}

export interface AuditChange {
  action: AuditAction;
  resource: { type: AuditResourceType; id: string };
  /** Names of the members set or removed; values are never recorded. */
  changedFields?: readonly string[];
  /** A credential made: its scopes and expiry (never the credential). */
  grant?: { scopes: readonly string[]; expiresAt?: string };
}

const USER_AGENT_MAX = 512;
const IP_MAX = 64;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
// Crockford's base32, lower case: no i, l, o, u, so an id reads unambiguously.
const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';

function base32(bytes: Buffer, length: number): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length === length) break;
  }
  return out;
}

/** `aud_` + 130 bits of SHA-256 over the RFC 8785 text of the entry without its id. */
export function auditEntryId(entry: Omit<AuditEntry, 'id'>): string {
  const { id: _ignored, ...rest } = entry as AuditEntry;
  return `aud_${base32(createHash('sha256').update(canonicalJson(rest)).digest(), 26)}`;
}

function headerOf(headers: AuditRequest['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

/** Printable, bounded: a user agent is the caller's text, kept only as far as it is safe to show. */
function clip(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, max);
  return clean === '' ? undefined : clean;
}

/**
 * The entry for a change made by `caller` through `request`. `at` is the change's time (the one it
 * writes, when it writes one), so that recording it again gives the same id.
 */
export function auditEntry(
  caller: AuditCaller,
  request: AuditRequest,
  correlationId: string,
  change: AuditChange,
  at: Date,
): AuditEntry {
  const fields = [...new Set(change.changedFields ?? [])].filter((name) => FIELD_NAME.test(name)).sort();
  const ip = clip(request.requestContext?.http?.sourceIp, IP_MAX);
  const userAgent = clip(
    headerOf(request.headers, 'user-agent') ?? request.requestContext?.http?.userAgent,
    USER_AGENT_MAX,
  );
  const withoutId: Omit<AuditEntry, 'id'> = {
    tenantId: caller.tenantId,
    at: at.toISOString(),
    actor: {
      subject: caller.subject.slice(0, 256),
      credential: caller.credential ?? 'jwt',
      ...(caller.keyId === undefined ? {} : { keyId: caller.keyId }),
    },
    action: change.action,
    resource: { type: change.resource.type, id: change.resource.id },
    changedFields: fields,
    ...(change.grant === undefined
      ? {}
      : {
          grant: {
            scopes: [...new Set(change.grant.scopes)],
            ...(change.grant.expiresAt === undefined ? {} : { expiresAt: change.grant.expiresAt }),
          },
        }),
    source: { ...(ip === undefined ? {} : { ip }), ...(userAgent === undefined ? {} : { userAgent }) },
    correlationId,
  };
  const entry = { ...withoutId, id: auditEntryId(withoutId) } as AuditEntry;
  return checkAuditEntry(entry);
}

/**
 * The entry of a change this request makes, bound to its caller, request and correlation id: what a
 * handler hands its logic, which knows the change (action, resource, fields) and its time.
 */
export type AuditOf = (change: AuditChange, at: Date) => AuditEntry;

export function auditRecorder(caller: AuditCaller, request: AuditRequest, correlationId: string): AuditOf {
  return (change, at) => auditEntry(caller, request, correlationId, change, at);
}

export class AuditEntryError extends Error {
  override readonly name = 'AuditEntryError';
}

/** The entry if it is one the contract describes (every member known), else AuditEntryError. */
export function checkAuditEntry(value: unknown): AuditEntry {
  const result = validateWith(validateAuditEntry, value);
  if (!result.ok) throw new AuditEntryError(`Invalid audit entry: ${describeViolations(result.violations)}`);
  return result.value;
}

/**
 * An entry as its consumer reads it, from a producer maybe one release ahead: unknown members are
 * let through, and the id must still be the digest of what was sent.
 */
export function parseAuditEntry(value: unknown): AuditEntry {
  const result = validateWith(validateAuditEntry, value, { unknownProperties: 'ignore' });
  if (!result.ok) throw new AuditEntryError(`Invalid audit entry: ${describeViolations(result.violations)}`);
  if (auditEntryId(result.value) !== result.value.id)
    throw new AuditEntryError('Invalid audit entry: its id is not the digest of its members');
  return result.value;
}

/** Sort key prefix of outbox items in a producing service's table. */
export const AUDIT_OUTBOX_PREFIX = 'AUDIT#';
/** How long an outbox item stays once written: its stream record is what is carried, within seconds. */
export const AUDIT_OUTBOX_TTL_SECONDS = 24 * 60 * 60;

export interface AuditOutboxItem {
  pk: string;
  sk: string;
  /** The entry's JSON text, carried as is. */
  auditEntry: string;
  expiresAt: number;
}

/** Where a table keeps its outbox items. */
export interface AuditOutboxOptions {
  /**
   * The item's partition: the tenant's own (`TENANT#<t>`, which every table's key starts with) by
   * default, so erasing a tenant's partition takes its outbox too; a table whose readers query the
   * whole partition gives one of its own (ingest's event types: `AUDIT#<t>`).
   */
  partition?: (tenantId: string) => string;
}

/**
 * The outbox item to put, with `attribute_not_exists(pk)`, in the same TransactWriteItems as the
 * change: its sort key from the entry's id, expiring by the table's `expiresAt` TTL once carried.
 */
export function auditOutboxItem(
  entry: AuditEntry,
  now: Date = new Date(entry.at),
  options: AuditOutboxOptions = {},
): AuditOutboxItem {
  return {
    pk: options.partition ? options.partition(entry.tenantId) : `TENANT#${entry.tenantId}`,
    sk: `${AUDIT_OUTBOX_PREFIX}${entry.id}`,
    auditEntry: JSON.stringify(entry),
    expiresAt: Math.floor(now.getTime() / 1000) + AUDIT_OUTBOX_TTL_SECONDS,
  };
}

/**
 * The outbox item's put as one of a TransactWriteItems' items, beside the change it records: if the
 * change's condition fails nothing is written, and an entry already written (the same request
 * retried after its transaction succeeded) cancels the transaction rather than making a second.
 */
export function auditOutboxPut(tableName: string, entry: AuditEntry, options: AuditOutboxOptions = {}) {
  return {
    Put: {
      TableName: tableName,
      Item: auditOutboxItem(entry, new Date(entry.at), options),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * On processing's bus an entry travels as `audit.recorded`, put by the producing service's outbox
 * reader under its own source. Several services publish it, so it is kept apart from bus.ts (whose
 * types have one publisher each): a consumer checks that the source owns the entry's resource, so
 * no service can record a change to another's (notifications' subscriptions, replays and
 * deliveries; ingest's event types; the tenants service's keys, portal tokens and tenants).
 */
export const AUDIT_DETAIL_TYPE = 'audit.recorded';

const RESOURCE_OWNER: Record<AuditResourceType, string> = {
  subscription: 'herald.notifications',
  replay: 'herald.notifications',
  delivery: 'herald.notifications',
  event_type: 'herald.ingest',
  api_key: 'herald.tenants',
  tenant: 'herald.tenants',
  portal_token: 'herald.tenants',
};

/** The bus source allowed to record a change to this kind of resource. */
export const auditSourceOf = (type: AuditResourceType): string => RESOURCE_OWNER[type];

export interface AuditBusEntry {
  Source: string;
  DetailType: typeof AUDIT_DETAIL_TYPE;
  Detail: string;
}

/** The PutEvents entry (without the bus name) for an outbox item's entry text. */
export function auditBusEntry(entry: AuditEntry): AuditBusEntry {
  const valid = checkAuditEntry(entry);
  return {
    Source: auditSourceOf(valid.resource.type),
    DetailType: AUDIT_DETAIL_TYPE,
    Detail: JSON.stringify(valid),
  };
}

/** An `audit.recorded` event as the recorder reads it: the entry, from the source that owns its resource. */
export function parseAuditBusEvent(event: {
  source: string;
  'detail-type': string;
  detail: unknown;
}): AuditEntry {
  if (event['detail-type'] !== AUDIT_DETAIL_TYPE)
    throw new AuditEntryError(`Unknown detail type ${JSON.stringify(event['detail-type'])}`);
  const entry = parseAuditEntry(event.detail);
  const owner = auditSourceOf(entry.resource.type);
  if (event.source !== owner)
    throw new AuditEntryError(
      `${entry.resource.type} changes are recorded by ${owner}, not ${JSON.stringify(event.source)}`,
    );
  return entry;
}
