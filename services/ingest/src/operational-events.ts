/**
 * Herald's operational events as plain logic: what notifications says on the bus about a tenant's
 * subscriptions (`delivery.failed`, `subscription.disabled`, `subscription.recovered`) and what
 * onUpload finds when an upload finishes become events of that tenant (`herald.delivery.failed`,
 * ...), signed by ingest and queued to processing exactly as accepted events are, so they are
 * stored once and delivered like any other event to the subscriptions that name them.
 *
 * - Their id is derived from their cause (the bus detail's identity and time, the upload's id), so
 *   a bus event delivered twice, or an upload read again, queues the same id and processing keeps
 *   one event.
 * - Their data holds ids, counts and reasons only, never an event's payload.
 * - None is raised about the delivery of an operational event (the bus detail names the type of
 *   the event whose delivery failed or succeeded): a subscriber of operational events whose
 *   receiver fails could otherwise feed itself, or another such subscriber, without end.
 */
import { createHash } from 'node:crypto';
import {
  BusDetailError,
  deliveryFailedCodec,
  isReservedType,
  OperationalEventType,
  parseBusEvent,
  subscriptionDisabledCodec,
  subscriptionRecoveredCodec,
  type BusEventLike,
  type BusMessage,
  type Envelope,
  type JsonValue,
  type OperationalEventTypeName,
  type UnsignedEnvelope,
} from '@herald/shared/contracts';
import type { EnvelopeQueue, EnvelopeSigner } from './accept-events';
import type { UploadSummary } from './uploads';

/** The envelope `source` of every operational event: Herald itself, not one of the tenant's producers. */
export const OPERATIONAL_SOURCE = '/herald';

/**
 * The bus detail types that become operational events: notifications', never event.stored, which is
 * an unknown detail type here (and its validator stays out of this function's bundle).
 */
const CAUSES = [deliveryFailedCodec, subscriptionDisabledCodec, subscriptionRecoveredCodec] as const;

/** The bus events that become operational events. */
export type OperationalCause = BusMessage<(typeof CAUSES)[number]['detailType']>;

/** An upload that finished, whatever its status. */
export interface FinishedUpload {
  tenantId: string;
  uploadId: string;
  status: 'completed' | 'rejected' | 'failed';
  summary: UploadSummary;
  failure?: string;
  /** The upload's correlation id (its POST /v1/uploads), carried on to its operational event. */
  correlationId: string;
  /** When it finished, RFC 3339 UTC. */
  time: string;
}

/** The event to raise, before its id, correlation id and times are fixed. */
interface Raised {
  tenantId: string;
  type: OperationalEventTypeName;
  subject: string;
  time: string;
  data: { [key: string]: JsonValue };
  /** What identifies the cause: the same cause always gives the same id. */
  cause: readonly string[];
  correlationId?: string;
}

export type Mapping = { raise: UnsignedEnvelope } | { drop: string };

/**
 * The event's id: `herald_` and 32 hex digits (128 bits) of SHA-256 over its type, tenant and
 * cause. Within the envelope's id pattern, and never the same for two causes.
 */
export function operationalEventId(tenantId: string, type: string, cause: readonly string[]): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([type, tenantId, ...cause]))
    .digest('hex');
  return `herald_${digest.slice(0, 32)}`;
}

function envelopeOf(raised: Raised, now: Date): UnsignedEnvelope {
  const id = operationalEventId(raised.tenantId, raised.type, raised.cause);
  return {
    specversion: '1.0',
    id,
    source: OPERATIONAL_SOURCE,
    type: raised.type,
    time: new Date(raised.time).toISOString(),
    subject: raised.subject,
    datacontenttype: 'application/json',
    data: raised.data,
    tenantid: raised.tenantId,
    // The bus carries no correlation id from the delivery: the event's own id traces it.
    correlationid: raised.correlationId ?? id,
    ingesttime: now.toISOString(),
  };
}

const about = (eventType: string | undefined) =>
  eventType !== undefined && isReservedType(eventType)
    ? `it is about the delivery of an operational event (${eventType})`
    : undefined;

/**
 * An event about one of the tenant's subscriptions (its subject), unless the bus event was about
 * the delivery of an operational event: none is raised about those, so they cannot loop.
 */
function aboutSubscription(
  detail: { subscriptionId: string; tenantid: string; eventType?: string; time: string },
  type: OperationalEventTypeName,
  data: Raised['data'],
  cause: readonly string[],
  now: Date,
): Mapping {
  const loop = about(detail.eventType);
  if (loop) return { drop: loop };
  const { tenantid: tenantId, subscriptionId: subject, time } = detail;
  return { raise: envelopeOf({ tenantId, type, subject, time, data, cause }, now) };
}

/** The operational event a bus event raises, or why it raises none. */
export function fromBus(message: OperationalCause, now: Date): Mapping {
  switch (message.detailType) {
    case 'delivery.failed': {
      const { subscriptionId, eventId, eventType, reason, time } = message.detail;
      return aboutSubscription(
        message.detail,
        OperationalEventType.deliveryFailed,
        { subscriptionId, eventId, ...(eventType ? { eventType } : {}), reason },
        [subscriptionId, eventId, time],
        now,
      );
    }
    case 'subscription.disabled': {
      const { subscriptionId, eventId, eventType, reason, time } = message.detail;
      return aboutSubscription(
        message.detail,
        OperationalEventType.subscriptionDisabled,
        {
          subscriptionId,
          ...(eventId ? { eventId } : {}),
          ...(eventType ? { eventType } : {}),
          reason,
        },
        [subscriptionId, eventId ?? '', time],
        now,
      );
    }
    case 'subscription.recovered': {
      const { subscriptionId, eventId, eventType, failures, failingSince, time } = message.detail;
      return aboutSubscription(
        message.detail,
        OperationalEventType.subscriptionRecovered,
        { subscriptionId, eventId, eventType, failures, ...(failingSince ? { failingSince } : {}) },
        // A run of failures ends once: two successes that both saw it raise one event.
        failingSince ? [subscriptionId, 'since', failingSince] : [subscriptionId, eventId, time],
        now,
      );
    }
  }
}

/** The operational event of a finished upload: one per upload, whichever attempt finished it. */
export function fromUpload(upload: FinishedUpload, now: Date): UnsignedEnvelope {
  const { summary } = upload;
  return envelopeOf(
    {
      tenantId: upload.tenantId,
      type: OperationalEventType.uploadCompleted,
      subject: upload.uploadId,
      time: upload.time,
      data: {
        uploadId: upload.uploadId,
        status: upload.status,
        lines: summary.lines,
        accepted: summary.accepted,
        rejected: summary.rejected,
        blank: summary.blank,
        ...(upload.failure === undefined ? {} : { failure: upload.failure }),
      },
      cause: [upload.uploadId],
      correlationId: upload.correlationId,
    },
    now,
  );
}

/** A bus message that is not one this function takes, or breaks the contract: it cannot be raised. */
export class RejectedCause extends Error {
  override readonly name = 'RejectedCause';
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** The bus event as the rule put it on the queue, checked against the contract. */
export function parseCause(body: string): OperationalCause {
  let event: Partial<BusEventLike>;
  try {
    event = JSON.parse(body) as Partial<BusEventLike>;
  } catch {
    throw new RejectedCause('malformed', 'The message is not JSON');
  }
  try {
    return parseBusEvent(
      {
        source: String(event?.source),
        'detail-type': String(event?.['detail-type']),
        detail: event?.detail,
      },
      CAUSES,
    );
  } catch (error) {
    if (error instanceof BusDetailError) throw new RejectedCause(error.reason, error.message);
    throw error;
  }
}

export interface RaiseDeps {
  queue: EnvelopeQueue;
  signer: EnvelopeSigner;
  now: () => Date;
}

export type RaiseResult =
  | { outcome: 'raised'; id: string; type: string; tenantId: string }
  | { outcome: 'dropped'; reason: string; cause: string };

/** A passing failure of the queue: the cause is tried again (its id keeps the result single). */
export class NotQueued extends Error {
  override readonly name = 'NotQueued';
}

/** Signs and queues one operational event to processing, as accepted events go. */
export async function queueOperationalEvent(unsigned: UnsignedEnvelope, deps: RaiseDeps): Promise<Envelope> {
  const envelope = deps.signer.sign(unsigned);
  const failed = await deps.queue.send([envelope]);
  const failure = failed.get(envelope.id);
  if (failure) throw new NotQueued(`The inbound queue did not take ${envelope.type} (${failure.code})`);
  return envelope;
}

/** One message of the operational-events queue: a bus event, raised as the tenant's event or dropped. */
export async function raiseFromBus(body: string, deps: RaiseDeps): Promise<RaiseResult> {
  const cause = parseCause(body);
  const mapping = fromBus(cause, deps.now());
  if ('drop' in mapping) return { outcome: 'dropped', reason: mapping.drop, cause: cause.detailType };
  const envelope = await queueOperationalEvent(mapping.raise, deps);
  return { outcome: 'raised', id: envelope.id, type: envelope.type, tenantId: envelope.tenantid };
}

/** The correlation id of a message, for its log lines: the id its event will have. */
export function correlationInBody(body: string): string | undefined {
  const cause = parseCause(body);
  const mapping = fromBus(cause, new Date(0));
  return 'raise' in mapping ? mapping.raise.id : undefined;
}
