/**
 * One inbound message: verify the producer's signature, then store the event once per
 * (tenant, event id). A message that fails verification is never stored; it is rejected so that the
 * queue's redrive policy moves it to the DLQ after maxReceiveCount receives.
 */
import type { Envelope } from '@herald/shared/contracts';
import { toStoredEvent, type StoredEvent } from './events-table';

export interface EventStore {
  /** Writes the event unless one with the same key exists. */
  putIfAbsent(event: StoredEvent): Promise<'stored' | 'duplicate'>;
}

export interface EnvelopeVerifier {
  /** Returns the envelope if its schema and signature are good; throws otherwise. */
  verify(envelope: unknown): Envelope;
}

export interface ConsumeDeps {
  verifier: EnvelopeVerifier;
  store: EventStore;
  now: () => Date;
  retentionDays: number;
}

export interface Received {
  body: string;
  /** When SQS first received the message (its SentTimestamp). */
  receivedAt: Date;
}

/** Thrown for an envelope that must never be stored: unsigned, tampered, or not an envelope. */
export class RejectedEnvelope extends Error {
  override readonly name = 'RejectedEnvelope';
  constructor(
    readonly reason: string,
    options: { cause: unknown },
  ) {
    super(`Envelope rejected: ${reason}`, options);
  }
}

export interface ConsumeOutcome {
  outcome: 'stored' | 'duplicate';
  tenantId: string;
  eventId: string;
}

export async function consumeEnvelope(message: Received, deps: ConsumeDeps): Promise<ConsumeOutcome> {
  let envelope: Envelope;
  try {
    envelope = deps.verifier.verify(message.body);
  } catch (error) {
    const reason = (error as { reason?: string }).reason ?? 'invalid';
    throw new RejectedEnvelope(reason, { cause: error });
  }
  const outcome = await deps.store.putIfAbsent(
    toStoredEvent(envelope, message.receivedAt, deps.now(), deps.retentionDays),
  );
  return { outcome, tenantId: envelope.tenantid, eventId: envelope.id };
}
