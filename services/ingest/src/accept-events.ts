/**
 * POST /v1/events as plain logic: turn a producer's request into signed envelopes and queue them,
 * reporting exactly which events were queued so a client can retry the rest alone.
 */
import { queueSafeJson } from '@herald/shared/aws/queue-body';
import {
  EnvelopeError,
  type Envelope,
  type UnsignedEnvelope,
  type Violation,
} from '@herald/shared/contracts';
import type { TypeCheck } from './catalog-cache';
import { eventViolations } from './event-checks';
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

/** Why the queue did not take an envelope. */
export interface QueueFailure {
  /** Sending it again may work (a passing fault); false when the queue refused its content for good. */
  retryable: boolean;
  /** The queue's error code. */
  code: string;
}

/** Where envelopes go: processing's inbound queue. Resolves to those it could NOT queue, by id. */
export interface EnvelopeQueue {
  send(envelopes: readonly Envelope[]): Promise<ReadonlyMap<string, QueueFailure>>;
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
  /** The tenant's event-type catalog (catalog-cache.ts): a checker of each event's type and data. */
  catalog?: (tenantId: string) => Promise<(type: string, data: unknown) => TypeCheck>;
}

/** A deprecated type the request used, once per type. */
export interface Deprecation {
  type: string;
  replacedBy?: string;
}

export interface Caller {
  tenantId: string;
  correlationId: string;
}

export type ItemStatus =
  { id: string; status: 'accepted' } | { id: string; status: 'failed'; retryable: boolean };

export interface AcceptEventsResult {
  items: ItemStatus[];
  accepted: number;
  failed: number;
  /** Deprecated types among the events (accepted all the same); absent when there are none. */
  deprecations?: Deprecation[];
}

export type AcceptEventsOutcome =
  | ({ kind: 'queued' } & AcceptEventsResult)
  /** A retry of a key's request, every event of it queued (again, or by a release that marked it). */
  | { kind: 'replayed'; ids: string[]; deprecations?: Deprecation[] }
  /** The idempotency key was used before with a different body. */
  | { kind: 'key-reused' }
  /** These events (indexes into the request) would not fit in a queue message once signed. */
  | { kind: 'too-large'; indexes: number[] }
  /** These events cannot be carried as they are (see event-checks.ts); paths are within the event. */
  | { kind: 'invalid'; violations: Array<Violation & { index: number }> };

export interface AcceptEventsOptions {
  /** From the Idempotency-Key header, already checked with parseIdempotencyKey. */
  idempotencyKey?: string;
}

export const isBatch = (body: AcceptEventsBody): body is { events: EventInput[] } => 'events' in body;

/** Producers that give no source are named after their tenant. */
export const defaultSource = (tenantId: string): string => `/tenants/${tenantId}`;

/** RFC 3339 UTC with milliseconds, whatever offset the producer used. */
const toUtc = (time: string): string => new Date(time).toISOString();

/**
 * Checks each event against its type's schema in the tenant's catalog: violations name the failing
 * value within the event (`/data<pointer>`) and the schema keyword; deprecated types are collected.
 */
export async function catalogChecks(
  inputs: readonly EventInput[],
  tenantId: string,
  catalog: AcceptEventsDeps['catalog'],
): Promise<{ violations: Array<Violation & { index: number }>; deprecations: Deprecation[] }> {
  if (catalog === undefined) return { violations: [], deprecations: [] };
  const check = await catalog(tenantId);
  const violations: Array<Violation & { index: number }> = [];
  const deprecations = new Map<string, Deprecation>();
  inputs.forEach((input, index) => {
    const result = check(input.type, input.data);
    if (result.kind === 'invalid') {
      violations.push({ index, path: `/data${result.error.pointer}`, message: result.error.message });
    } else if (result.deprecated) deprecations.set(input.type, result.deprecated);
  });
  return { violations, deprecations: [...deprecations.values()] };
}

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
    // Processing's dedupe window is measured from it. The time the request (or the upload's file)
    // was first received, so a retry re-sends byte-identical envelopes.
    ingesttime: plan.receivedAt,
  };
}

/** An envelope's size as the queue counts it: its JSON as sent (see @herald/shared/aws/queue-body). */
export const envelopeBytes = (envelope: Envelope): number =>
  Buffer.byteLength(queueSafeJson(JSON.stringify(envelope)));

export type SignedLine = { ok: true; envelope: Envelope } | { ok: false; reason: string };

/**
 * One upload line's event as an envelope, or why it cannot be one: what cannot be carried, what
 * does not fit the queue, and whatever signing refuses are that line's problem alone.
 */
export function signLine(
  input: EventInput,
  id: string,
  tenantId: string,
  plan: Pick<Plan, 'receivedAt' | 'correlationId'>,
  signer: EnvelopeSigner,
): SignedLine {
  let envelope: Envelope;
  try {
    envelope = signer.sign(toUnsignedEnvelope(input, id, tenantId, plan));
  } catch (error) {
    if (error instanceof EnvelopeError || error instanceof RangeError || error instanceof TypeError) {
      return { ok: false, reason: 'cannot be made into an event envelope (is any value out of range?)' };
    }
    throw error;
  }
  if (envelopeBytes(envelope) > MAX_ENVELOPE_BYTES) {
    return { ok: false, reason: `is larger than ${MAX_ENVELOPE_BYTES} bytes once signed` };
  }
  return { ok: true, envelope };
}

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
  const violations = inputs.flatMap((input, index) =>
    eventViolations(input).map((violation) => ({ index, ...violation })),
  );
  if (violations.length > 0) return { kind: 'invalid', violations };
  // After the checks above: a schema sees only data Herald can carry.
  const catalog = await catalogChecks(inputs, caller.tenantId, deps.catalog);
  if (catalog.violations.length > 0) return { kind: 'invalid', violations: catalog.violations };
  const deprecations = catalog.deprecations.length > 0 ? { deprecations: catalog.deprecations } : {};
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
  let replaying = false;
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
    if (decision.kind === 'replay') return { kind: 'replayed', ids: decision.ids, ...deprecations };
    if (decision.kind === 'resend') {
      replaying = true;
      const { ids, receivedAt: firstReceivedAt, correlationId } = decision.record;
      plan = { ids, receivedAt: firstReceivedAt, correlationId };
      envelopes = signAll(inputs, caller.tenantId, plan, deps.signer);
    }
  }

  const failures = await deps.queue.send(envelopes);
  const items: ItemStatus[] = envelopes.map(({ id }) => {
    const failure = failures.get(id);
    return failure ? { id, status: 'failed', retryable: failure.retryable } : { id, status: 'accepted' };
  });
  const failed = items.filter((item) => item.status === 'failed').length;
  if (replaying && failed === 0) return { kind: 'replayed', ids: plan.ids, ...deprecations };
  return { kind: 'queued', items, accepted: items.length - failed, failed, ...deprecations };
}
