/**
 * One inbound message: verify the producer's signature and the envelope schema, check it is no older
 * than the dedupe window, then store the event once per (tenant, event id). A message that fails
 * either check is never stored; it is rejected so that the queue's redrive policy moves it to the
 * DLQ after maxReceiveCount receives.
 */
import type { Envelope } from '@herald/shared/contracts';
import { judgeAge } from './consume-window';
import { toStoredEvent, type StoredEvent } from './events-table';
import { fitsOnTheBus } from './publish-events';

const QUEUE_NONCHARACTER = /[\uFFFE\uFFFF]/;

export interface EventStore {
  /**
   * Writes the event unless one with the same key exists (a conditional write, not a read first).
   * With a subject, the event takes the subject's next sequence number (`subjectSequence`, set on
   * `event` when stored) in the same write: a duplicate takes none.
   */
  putIfAbsent(event: StoredEvent, subject?: string): Promise<'stored' | 'duplicate'>;
}

export interface EnvelopeVerifier {
  /** Returns the envelope if its schema and signature are good; throws otherwise. */
  verify(envelope: unknown): Envelope;
}

export interface ConsumeDeps {
  verifier: EnvelopeVerifier;
  store: EventStore;
  now: () => Date;
  /** The events table's retention, and so the dedupe window (see consume-window.ts). */
  retentionDays: number;
  /** Refuse envelopes without `ingesttime` (see consume-window.ts for when to turn it on). */
  requireIngestTime?: boolean;
  /**
   * Number each subject's events (EventStore.putIfAbsent's subject): on where the stage publishes
   * the numbers (publishSubjectSequence), so a stage without ordering pays one write an event, not a
   * read and a transaction.
   */
  numberSubjects?: boolean;
}

export interface Received {
  body: string;
  /** When SQS first received the message (its SentTimestamp). */
  receivedAt: Date;
}

/**
 * Thrown for an envelope that must never be stored: unsigned, tampered, malformed, unpublishable, or
 * older than the dedupe window. `details` are safe to log (never the payload).
 */
export class RejectedEnvelope extends Error {
  override readonly name = 'RejectedEnvelope';
  readonly details: Record<string, unknown>;
  constructor(
    readonly reason: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(`Envelope rejected: ${reason}`, options);
    this.details = options.details ?? {};
  }
}

export interface ConsumeOutcome {
  outcome: 'stored' | 'duplicate';
  tenantId: string;
  eventId: string;
  /** The subject's sequence number the event took, when it has a subject and was stored. */
  subjectSequence?: number;
}

export async function consumeEnvelope(message: Received, deps: ConsumeDeps): Promise<ConsumeOutcome> {
  let envelope: Envelope;
  try {
    envelope = deps.verifier.verify(message.body);
  } catch (error) {
    const reason = (error as { reason?: string }).reason ?? 'invalid';
    throw new RejectedEnvelope(reason, { cause: error });
  }
  // Serialised from what was verified, so what is stored and published is exactly what was checked.
  const envelopeJson = JSON.stringify(envelope);
  // Stored but never publishable would break the outbox; refusing it here sends it to the DLQ whole.
  // With a subject, the bus detail carries its sequence number too (publish-events.ts).
  if (!fitsOnTheBus(envelopeJson, envelope.subject !== undefined))
    throw new RejectedEnvelope('too-large-to-publish');
  // Ingest never signs U+FFFE or U+FFFF (I-JSON), and no queue can carry them: EventBridge writes the
  // detail to notifications' queue itself, raw, so such an event would be stored and never delivered.
  if (QUEUE_NONCHARACTER.test(envelopeJson)) throw new RejectedEnvelope('noncharacter');

  const now = deps.now();
  const age = judgeAge(envelope, now, {
    retentionDays: deps.retentionDays,
    requireIngestTime: deps.requireIngestTime ?? false,
  });
  if (!age.ok) {
    const { ok: _ok, reason, ...details } = age;
    throw new RejectedEnvelope(reason, { details: { ...details, eventId: envelope.id } });
  }
  const receivedAt = Number.isNaN(message.receivedAt.getTime()) ? now : message.receivedAt;
  const stored = toStoredEvent(envelope, envelopeJson, receivedAt, now, deps.retentionDays);
  const outcome = await deps.store.putIfAbsent(stored, deps.numberSubjects ? envelope.subject : undefined);
  return {
    outcome,
    tenantId: envelope.tenantid,
    eventId: envelope.id,
    ...(outcome === 'stored' && stored.subjectSequence !== undefined
      ? { subjectSequence: stored.subjectSequence }
      : {}),
  };
}
