/**
 * POST /v1/events as plain logic: turn a producer's request into signed envelopes and queue them,
 * reporting exactly which events were queued so a client can retry the rest alone.
 */
import type { Envelope, JsonValue, UnsignedEnvelope } from '@herald/shared/contracts';

export interface EventInput {
  id?: string;
  type: string;
  data: JsonValue;
  subject?: string;
  time?: string;
  source?: string;
}

/** The validated body: one event, or a batch of up to 100. */
export type AcceptEventsBody = EventInput | { events: EventInput[] };

/** Where envelopes go: processing's inbound queue. Resolves to the ids it could NOT queue. */
export interface EnvelopeQueue {
  send(envelopes: readonly Envelope[]): Promise<ReadonlySet<string>>;
}

export interface EnvelopeSigner {
  sign(envelope: UnsignedEnvelope): Envelope;
}

export interface AcceptEventsDeps {
  queue: EnvelopeQueue;
  signer: EnvelopeSigner;
  newId: () => string;
  now: () => Date;
}

export interface Caller {
  tenantId: string;
  correlationId: string;
}

export type ItemStatus =
  { id: string; status: 'accepted' } | { id: string; status: 'failed'; retryable: true };

export interface AcceptEventsResult {
  items: ItemStatus[];
  accepted: number;
  failed: number;
}

export const isBatch = (body: AcceptEventsBody): body is { events: EventInput[] } => 'events' in body;

/** Producers that give no source are named after their tenant. */
export const defaultSource = (tenantId: string): string => `/tenants/${tenantId}`;

/** RFC 3339 UTC with milliseconds, whatever offset the producer used. */
const toUtc = (time: string): string => new Date(time).toISOString();

export function toUnsignedEnvelope(
  input: EventInput,
  caller: Caller,
  deps: Pick<AcceptEventsDeps, 'newId' | 'now'>,
): UnsignedEnvelope {
  return {
    specversion: '1.0',
    id: input.id ?? deps.newId(),
    source: input.source ?? defaultSource(caller.tenantId),
    type: input.type,
    time: input.time ? toUtc(input.time) : deps.now().toISOString(),
    ...(input.subject === undefined ? {} : { subject: input.subject }),
    datacontenttype: 'application/json',
    data: input.data,
    tenantid: caller.tenantId,
    correlationid: caller.correlationId,
  };
}

export async function acceptEvents(
  body: AcceptEventsBody,
  caller: Caller,
  deps: AcceptEventsDeps,
): Promise<AcceptEventsResult> {
  const inputs = isBatch(body) ? body.events : [body];
  const envelopes = inputs.map((input) => deps.signer.sign(toUnsignedEnvelope(input, caller, deps)));
  const failedIds = await deps.queue.send(envelopes);
  const items: ItemStatus[] = envelopes.map(({ id }) =>
    failedIds.has(id) ? { id, status: 'failed', retryable: true } : { id, status: 'accepted' },
  );
  return { items, accepted: items.length - failedIds.size, failed: failedIds.size };
}
