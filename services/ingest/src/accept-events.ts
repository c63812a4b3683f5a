/**
 * POST /v1/events as plain logic: turn a producer's request into signed envelopes and queue them,
 * reporting exactly which events were queued so a client can retry the rest alone.
 */
import type { Envelope, UnsignedEnvelope } from '@herald/shared/contracts';
import {
  decide,
  fingerprint,
  requestKey,
  type IdempotencyRecord,
  type IdempotencyStore,
} from './idempotency';
import type { AcceptEventsBody, EventInput } from './schemas/accept-events.types.generated';

/** One event, and the validated body (one event or a batch of up to 100): accept-events.schema.json. */
export type { AcceptEventsBody, EventInput };

/**
 * The largest envelope ingest sends (255 KiB). Processing's inbound queue takes messages of 256 KiB,
 * attributes included, so a margin is kept for the correlation id attribute (at most 147 bytes).
 */
export const MAX_ENVELOPE_BYTES = 255 * 1024;

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
  idempotency: IdempotencyStore;
  newId: () => string;
  now: () => Date;
  /** How long a key is remembered. */
  idempotencyTtlSeconds: number;
  /** Told about a failure that does not change the answer. */
  warn?: (message: string, details: Record<string, unknown>) => void;
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

export type AcceptEventsOutcome =
  | ({ kind: 'queued' } & AcceptEventsResult)
  /** A retry of a request whose events were all queued: nothing is sent again. */
  | { kind: 'replayed'; ids: string[] }
  /** The idempotency key was used before with a different body. */
  | { kind: 'key-reused' }
  /** These events (indexes into the request) would not fit in a queue message once signed. */
  | { kind: 'too-large'; indexes: number[] };

export interface AcceptEventsOptions {
  /** From the Idempotency-Key header, already checked with parseIdempotencyKey. */
  idempotencyKey?: string;
}

export const isBatch = (body: AcceptEventsBody): body is { events: EventInput[] } => 'events' in body;

/** Producers that give no source are named after their tenant. */
export const defaultSource = (tenantId: string): string => `/tenants/${tenantId}`;

/** RFC 3339 UTC with milliseconds, whatever offset the producer used. */
const toUtc = (time: string): string => new Date(time).toISOString();

/** What a request decided besides its body: the ids and the defaults of its events. */
export interface Plan {
  ids: string[];
  /** RFC 3339 UTC; the time of events that give none. */
  receivedAt: string;
  correlationId: string;
}

export function toUnsignedEnvelope(
  input: EventInput,
  id: string,
  tenantId: string,
  plan: Pick<Plan, 'receivedAt' | 'correlationId'>,
): UnsignedEnvelope {
  return {
    specversion: '1.0',
    id,
    source: input.source ?? defaultSource(tenantId),
    type: input.type,
    time: input.time ? toUtc(input.time) : plan.receivedAt,
    ...(input.subject === undefined ? {} : { subject: input.subject }),
    datacontenttype: 'application/json',
    data: input.data,
    tenantid: tenantId,
    correlationid: plan.correlationId,
  };
}

export const envelopeBytes = (envelope: Envelope): number => Buffer.byteLength(JSON.stringify(envelope));

function signAll(inputs: readonly EventInput[], tenantId: string, plan: Plan, signer: EnvelopeSigner) {
  return inputs.map((input, index) =>
    signer.sign(toUnsignedEnvelope(input, plan.ids[index]!, tenantId, plan)),
  );
}

export async function acceptEvents(
  body: AcceptEventsBody,
  caller: Caller,
  deps: AcceptEventsDeps,
  options: AcceptEventsOptions = {},
): Promise<AcceptEventsOutcome> {
  const inputs = isBatch(body) ? body.events : [body];
  const receivedAt = deps.now();
  let plan: Plan = {
    ids: inputs.map((input) => input.id ?? deps.newId()),
    receivedAt: receivedAt.toISOString(),
    correlationId: caller.correlationId,
  };
  let envelopes = signAll(inputs, caller.tenantId, plan, deps.signer);
  // Before any key is claimed: a request that can never be queued must not be remembered as one.
  const tooLarge = envelopes.flatMap((envelope, index) =>
    envelopeBytes(envelope) > MAX_ENVELOPE_BYTES ? [index] : [],
  );
  if (tooLarge.length > 0) return { kind: 'too-large', indexes: tooLarge };

  const key = requestKey(options.idempotencyKey, isBatch(body) ? undefined : body.id);
  if (key !== undefined) {
    const record: IdempotencyRecord = {
      tenantId: caller.tenantId,
      key,
      fingerprint: fingerprint(body),
      ...plan,
      status: 'pending',
      expiresAt: Math.floor(receivedAt.getTime() / 1000) + deps.idempotencyTtlSeconds,
    };
    const decision = decide(await deps.idempotency.claim(record, receivedAt), record.fingerprint);
    if (decision.kind === 'conflict') return { kind: 'key-reused' };
    if (decision.kind === 'replay') return { kind: 'replayed', ids: decision.ids };
    if (decision.kind === 'resend') {
      const { ids, receivedAt: firstReceivedAt, correlationId } = decision.record;
      plan = { ids, receivedAt: firstReceivedAt, correlationId };
      envelopes = signAll(inputs, caller.tenantId, plan, deps.signer);
    }
  }

  const failedIds = await deps.queue.send(envelopes);
  const items: ItemStatus[] = envelopes.map(({ id }) =>
    failedIds.has(id) ? { id, status: 'failed', retryable: true } : { id, status: 'accepted' },
  );
  const failed = items.filter((item) => item.status === 'failed').length;
  if (key !== undefined && failed === 0) {
    try {
      await deps.idempotency.complete(caller.tenantId, key);
    } catch (error) {
      // Everything is queued, so the answer stands; a retry would only re-send what processing dedupes.
      deps.warn?.('Could not mark the idempotency key completed', { error, key });
    }
  }
  return { kind: 'queued', items, accepted: items.length - failed, failed };
}
