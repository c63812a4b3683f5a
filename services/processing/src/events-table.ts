/**
 * Key design of the events table. Every key starts with the tenant, so a key or query built from a
 * token's tenant can only ever reach that tenant's items: isolation by construction, not by a check.
 *
 *   pk     = TENANT#<tenant>                 sk     = EVENT#<event id>         one event; dedupe on (tenant, id)
 *   gsi1pk = TENANT#<tenant>                 gsi1sk = <received>#<event id>   index byTime: the tenant's events
 *   gsi2pk = TENANT#<tenant>#TYPE#<type>     gsi1sk (shared)                  index byType: one type's events
 *   pk     = TENANT#<tenant>                 sk     = SUBJECTSEQ#<subject>     the subject's last sequence
 *                                                                              number (`last`) and its event's
 *                                                                              `lastStoredAt`, in no index
 *
 * `#` cannot occur in a tenant id, an event type or an event id (the envelope schema forbids it), so
 * no two tenants' or types' keys can run into each other. Received times are fixed-width ISO 8601 UTC,
 * so the sort key orders by time, then by id for events received in the same millisecond.
 */
import type { Envelope } from '@herald/shared/contracts';

export const EventIndex = {
  byTime: { name: 'byTime', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  byType: { name: 'byType', partitionKey: 'gsi2pk', sortKey: 'gsi1sk' },
} as const;
export type EventIndexName = keyof typeof EventIndex;

export interface EventKey {
  pk: string;
  sk: string;
}

export interface StoredEvent extends EventKey {
  gsi1pk: string;
  gsi1sk: string;
  gsi2pk: string;
  tenantId: string;
  eventId: string;
  type: string;
  correlationId: string;
  /** When SQS first received the message: the time the read API filters and orders on. */
  receivedAt: string;
  storedAt: string;
  /** Epoch seconds; DynamoDB's TTL removes the item after the stage's retention. */
  expiresAt: number;
  /**
   * The verified envelope as JSON text, published byte for byte. Text, not a DynamoDB map: a map
   * cannot hold every JSON document (numbers beyond 2^53 or 38 digits, nesting deeper than 32 levels)
   * and would not give back the same JSON it was given.
   */
  envelope: string;
  /**
   * The event's number among its subject's events (1, 2, ...), taken in the transaction that stored
   * it; absent for an event without a subject. Published beside the envelope (publish-events.ts) so
   * notifications can deliver a subject's events in the order they were stored.
   */
  subjectSequence?: number;
  /**
   * When the subject's previous event was stored (absent for its first): published beside the
   * sequence, so notifications knows an event whose predecessor came before a subscription turned
   * ordering on is the first of its order and need not wait for it.
   */
  subjectPreviousStoredAt?: string;
}

const SEPARATOR = '#';

export const tenantPartition = (tenantId: string): string => `TENANT#${tenantId}`;
export const typePartition = (tenantId: string, type: string): string =>
  `${tenantPartition(tenantId)}#TYPE#${type}`;

/** The counter of a subject's sequence numbers. Never read by the read API: its sort key is not EVENT#. */
export function subjectSequenceKey(tenantId: string, subject: string): EventKey {
  return { pk: tenantPartition(tenantId), sk: `SUBJECTSEQ#${subject}` };
}

export function eventKey(tenantId: string, eventId: string): EventKey {
  return { pk: tenantPartition(tenantId), sk: `EVENT#${eventId}` };
}

export const timeSortKey = (receivedAt: string, eventId: string): string =>
  `${receivedAt}${SEPARATOR}${eventId}`;

/** The parts of an index sort key, or undefined if it is not one this table writes. */
export function parseTimeSortKey(sortKey: string): { receivedAt: string; eventId: string } | undefined {
  const at = sortKey.indexOf(SEPARATOR);
  if (at < 0) return undefined;
  const receivedAt = sortKey.slice(0, at);
  const eventId = sortKey.slice(at + 1);
  if (!ISO_UTC_MILLIS.test(receivedAt) || !EVENT_ID.test(eventId)) return undefined;
  return { receivedAt, eventId };
}

// The shapes toISOString() and the envelope schema produce.
const ISO_UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const EVENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The full key DynamoDB needs to resume a query of `index` after the item with `sortKey`: the
 * index's keys and the table's. Built from the caller's tenant, so a resumed query stays in it.
 */
export function indexStartKey(
  tenantId: string,
  index: EventIndexName,
  partition: string,
  sortKey: string,
): Record<string, string> | undefined {
  const parts = parseTimeSortKey(sortKey);
  if (!parts) return undefined;
  const { partitionKey, sortKey: sortAttribute } = EventIndex[index];
  return { ...eventKey(tenantId, parts.eventId), [partitionKey]: partition, [sortAttribute]: sortKey };
}

export function toStoredEvent(
  envelope: Envelope,
  envelopeJson: string,
  receivedAt: Date,
  storedAt: Date,
  retentionDays: number,
): StoredEvent {
  const received = receivedAt.toISOString();
  return {
    ...eventKey(envelope.tenantid, envelope.id),
    gsi1pk: tenantPartition(envelope.tenantid),
    gsi1sk: timeSortKey(received, envelope.id),
    gsi2pk: typePartition(envelope.tenantid, envelope.type),
    tenantId: envelope.tenantid,
    eventId: envelope.id,
    type: envelope.type,
    correlationId: envelope.correlationid,
    receivedAt: received,
    storedAt: storedAt.toISOString(),
    expiresAt: Math.floor(storedAt.getTime() / 1000) + Math.round(retentionDays * 86_400),
    envelope: envelopeJson,
  };
}
