/**
 * Key design of the events table. Every key starts with the tenant, so a query built from a token's
 * tenant can only ever reach that tenant's items: isolation by construction, not by a check.
 *
 *   pk = TENANT#<tenant>          sk = EVENT#<event id>                 one event, dedupe on (tenant, id)
 *   gsi1pk = TENANT#<tenant>      gsi1sk = <received time>#<event id>   the tenant's events by time
 */
import type { Envelope } from '@herald/shared/contracts';

export interface EventKey {
  pk: string;
  sk: string;
}

export interface StoredEvent extends EventKey {
  gsi1pk: string;
  gsi1sk: string;
  tenantId: string;
  eventId: string;
  type: string;
  correlationId: string;
  receivedAt: string;
  storedAt: string;
  /** Epoch seconds; DynamoDB's TTL removes the item after the stage's retention. */
  expiresAt: number;
  /** The envelope exactly as signed, so it can be published and re-verified downstream. */
  envelope: Envelope;
}

const tenantPartition = (tenantId: string) => `TENANT#${tenantId}`;

export function eventKey(tenantId: string, eventId: string): EventKey {
  return { pk: tenantPartition(tenantId), sk: `EVENT#${eventId}` };
}

export function toStoredEvent(
  envelope: Envelope,
  receivedAt: Date,
  storedAt: Date,
  retentionDays: number,
): StoredEvent {
  const received = receivedAt.toISOString();
  return {
    ...eventKey(envelope.tenantid, envelope.id),
    gsi1pk: tenantPartition(envelope.tenantid),
    gsi1sk: `${received}#${envelope.id}`,
    tenantId: envelope.tenantid,
    eventId: envelope.id,
    type: envelope.type,
    correlationId: envelope.correlationid,
    receivedAt: received,
    storedAt: storedAt.toISOString(),
    expiresAt: Math.floor(storedAt.getTime() / 1000) + retentionDays * 86_400,
    envelope,
  };
}
