/**
 * GET /v1/events/{id} and GET /v1/events as plain logic. Every key and query is built here from the
 * caller's tenant (taken from the token), never from anything else the request carries, so another
 * tenant's event is simply not found.
 */
import { createHash } from 'node:crypto';
import type { Envelope } from '@herald/shared/contracts';
import { decodeCursor, encodeCursor, InvalidCursor } from '@herald/shared/cursor';
import {
  eventKey,
  EventIndex,
  indexStartKey,
  parseTimeSortKey,
  tenantPartition,
  typePartition,
  type EventIndexName,
  type EventKey,
  type StoredEvent,
} from './events-table';
import type { ListEventsQuery } from './schemas/list-events.types.generated';
import type { EventPage, StoredEvent as EventView } from './schemas/responses.types.generated';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

export interface IndexQuery {
  index: (typeof EventIndex)[EventIndexName];
  partition: string;
  /** Sort key bounds: `from` inclusive, `to` exclusive (a key is `<time>#<id>`, so it sorts after `<time>`). */
  from?: string;
  to?: string;
  limit: number;
  startKey?: Record<string, string>;
  /** Epoch seconds: items whose TTL has passed but DynamoDB has not yet removed are left out. */
  liveAfter: number;
}

export interface IndexPage {
  items: StoredEvent[];
  /** The key of the last item read, when DynamoDB has more. */
  lastKey?: Record<string, unknown>;
}

export interface EventReader {
  get(key: EventKey): Promise<StoredEvent | undefined>;
  /** Newest first. */
  query(query: IndexQuery): Promise<IndexPage>;
}

/** The query of GET /v1/events (list-events.schema.json), its `limit` the number the string stands for. */
export type ListQuery = Omit<NonNullable<ListEventsQuery>, 'limit'> & { limit?: number };

export interface Violation {
  pointer: string;
  message: string;
}

/** Query parameters that pass the schema but make no sense together (or name no real instant). */
export class InvalidQuery extends Error {
  override readonly name = 'InvalidQuery';
  constructor(readonly violations: Violation[]) {
    super(violations.map((v) => `${v.pointer} ${v.message}`).join('; '));
  }
}

function toView(tenantId: string, item: StoredEvent): EventView {
  // The keys already guarantee this; a mismatch would be a bug, and a bug must not leak an event.
  if (item.tenantId !== tenantId) throw new Error('Item outside the caller’s tenant');
  const envelope = JSON.parse(item.envelope) as Envelope;
  return {
    id: envelope.id,
    type: envelope.type,
    source: envelope.source,
    ...(envelope.subject === undefined ? {} : { subject: envelope.subject }),
    time: envelope.time,
    datacontenttype: envelope.datacontenttype,
    data: envelope.data,
    correlationId: item.correlationId,
    receivedAt: item.receivedAt,
    storedAt: item.storedAt,
  };
}

const epochSeconds = (now: Date): number => Math.floor(now.getTime() / 1000);

export async function getEvent(
  tenantId: string,
  eventId: string,
  reader: EventReader,
  now: Date,
): Promise<EventView | undefined> {
  const item = await reader.get(eventKey(tenantId, eventId));
  if (item === undefined || item.expiresAt <= epochSeconds(now)) return undefined;
  return toView(tenantId, item);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * An RFC 3339 time as the fixed-width UTC form the sort keys use, or undefined if it names no real
 * instant (February 30th, hour 24, a leap second). Digits past the millisecond round up: stored
 * times have milliseconds, so "at or after 10:00:00.0005" means "at or after 10:00:00.001".
 */
export function toSortableTime(value: string): string | undefined {
  const match = RFC3339.exec(value.toUpperCase());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', , sign, offsetHours, offsetMinutes] = match;
  const fields = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = fields;
  const local = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  local.setUTCFullYear(y);
  // Date.UTC rolls an impossible field over into the next one; a real instant reads back unchanged.
  if (
    local.getUTCFullYear() !== y ||
    local.getUTCMonth() !== mo - 1 ||
    local.getUTCDate() !== d ||
    local.getUTCHours() !== h ||
    local.getUTCMinutes() !== mi ||
    local.getUTCSeconds() !== s
  )
    return undefined;
  if (sign !== undefined && (Number(offsetHours) > 23 || Number(offsetMinutes) > 59)) return undefined;
  const offset =
    sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3)) + (/[1-9]/.test(fraction.slice(3)) ? 1 : 0);
  const instant = new Date(local.getTime() - offset * 60_000 + millis);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}

interface NormalisedQuery {
  type?: string;
  since?: string;
  until?: string;
}

function normalise(query: ListQuery): NormalisedQuery {
  const violations: Violation[] = [];
  const time = (name: 'since' | 'until'): string | undefined => {
    const raw = query[name];
    if (raw === undefined) return undefined;
    const parsed = toSortableTime(raw);
    if (parsed === undefined)
      violations.push({ pointer: `/queryStringParameters/${name}`, message: 'is not a real instant' });
    return parsed;
  };
  const since = time('since');
  const until = time('until');
  if (since !== undefined && until !== undefined && since >= until)
    violations.push({ pointer: '/queryStringParameters/until', message: 'must be later than since' });
  if (violations.length > 0) throw new InvalidQuery(violations);
  return {
    ...(query.type === undefined ? {} : { type: query.type }),
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
  };
}

/** Ties a cursor to the filters it was issued for, so it cannot resume a different query. */
function fingerprint(query: NormalisedQuery): string {
  return createHash('sha256')
    .update(JSON.stringify([query.type ?? null, query.since ?? null, query.until ?? null]))
    .digest('base64url')
    .slice(0, 16);
}

/** Opaque to clients: the fingerprint of the query and the sort key of the last event returned. */
export function encodeListCursor(sortKey: string, query: NormalisedQuery): string {
  return encodeCursor([fingerprint(query), sortKey]);
}

/** The sort key to resume after, or InvalidCursor. */
export function decodeListCursor(cursor: string, query: NormalisedQuery): string {
  const [issuedFor, key] = decodeCursor(cursor, 2) as [string, string];
  if (issuedFor !== fingerprint(query) || parseTimeSortKey(key) === undefined) throw new InvalidCursor();
  // DynamoDB refuses a start key outside the key condition; a hand-made cursor must not make a 500.
  if ((query.since !== undefined && key < query.since) || (query.until !== undefined && key >= query.until))
    throw new InvalidCursor();
  return key;
}

export async function listEvents(
  tenantId: string,
  query: ListQuery,
  reader: EventReader,
  now: Date,
): Promise<EventPage> {
  const filters = normalise(query);
  const indexName: EventIndexName = filters.type === undefined ? 'byTime' : 'byType';
  const index = EventIndex[indexName];
  const partition =
    filters.type === undefined ? tenantPartition(tenantId) : typePartition(tenantId, filters.type);
  const after = query.cursor === undefined ? undefined : decodeListCursor(query.cursor, filters);
  const startKey = after === undefined ? undefined : indexStartKey(tenantId, indexName, partition, after);
  const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);

  const page = await reader.query({
    index,
    partition,
    ...(filters.since === undefined ? {} : { from: filters.since }),
    ...(filters.until === undefined ? {} : { to: filters.until }),
    limit,
    ...(startKey === undefined ? {} : { startKey }),
    liveAfter: epochSeconds(now),
  });
  const items = page.items.map((item) => toView(tenantId, item));
  const lastSortKey = page.lastKey?.[index.sortKey];
  return typeof lastSortKey === 'string'
    ? { items, nextCursor: encodeListCursor(lastSortKey, filters) }
    : { items };
}
