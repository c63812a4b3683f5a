/**
 * How old an envelope may be when consume takes it: no older than the dedupe window.
 *
 * The dedupe record of an event is its item in the events table, kept `eventRetentionDays` after it
 * was stored. Were an envelope taken from the inbound queue sent again once that record is gone, it
 * would be stored (and delivered) a second time. So each envelope carries `ingesttime`, signed by
 * ingest, and an envelope older than the window is refused: while it is younger, its record is
 * still there (stored at or after its ingest time) and the copy is a duplicate.
 *
 * The window must never refuse a genuine envelope. The oldest one can be when it is consumed:
 *
 *   ingest re-sends the envelopes of a request as long as it keeps its idempotency key   1 day
 *   + a message's whole life in the inbound queue and then its DLQ: SQS keeps a standard
 *     queue's message in the DLQ until the DLQ's retention counted from the first enqueue  14 days
 *   + one redrive from the DLQ: a new message, kept for the inbound queue's retention      4 days
 *                                                                                       = 19 days
 *
 * (the inbound queue's 4 days and its DLQ's 14 days, summed as the brief asks, plus ingest's day).
 * A window of `eventRetentionDays` is therefore safe from 20 days up: the default stage keeps 30,
 * prod 90. The local stage keeps 7, which only a local cloud left running a week would notice.
 * test/consume-window.test.ts checks these figures against serverless.yml and the plugin.
 */
import type { Envelope } from '@herald/shared/contracts';

const DAY = 86_400;
/** The inbound queue's MessageRetentionPeriod (processing's serverless.yml). */
export const INBOUND_RETENTION_SECONDS = 4 * DAY;
/** Its dead-letter queue's MessageRetentionPeriod (the serverless plugin's default for a DLQ). */
export const INBOUND_DLQ_RETENTION_SECONDS = 14 * DAY;
/** How long ingest re-sends a request's envelopes on a retry (its idempotency keys' lifetime). */
export const INGEST_RESEND_SECONDS = DAY;
export const LONGEST_GENUINE_AGE_SECONDS =
  INGEST_RESEND_SECONDS + INBOUND_DLQ_RETENTION_SECONDS + INBOUND_RETENTION_SECONDS;
/** Clocks of ingest and processing may disagree by this much. */
export const CLOCK_SKEW_SECONDS = 300;

export interface WindowSettings {
  /** The dedupe record's lifetime: the events table's retention. */
  retentionDays: number;
  /**
   * Refuse envelopes without `ingesttime`. Off while ingests that do not stamp it may still have
   * envelopes in flight: until every ingest of the stage has stamped for LONGEST_GENUINE_AGE_SECONDS.
   */
  requireIngestTime: boolean;
}

export type WindowVerdict =
  | { ok: true }
  | { ok: false; reason: 'too-old'; ageSeconds: number; windowSeconds: number }
  | { ok: false; reason: 'no-ingest-time' };

/** The window, in seconds, an envelope's age must stay within. */
export const windowSeconds = (retentionDays: number): number =>
  Math.round(retentionDays * DAY) - CLOCK_SKEW_SECONDS;

/** Whether a verified envelope is young enough to be stored. */
export function judgeAge(envelope: Envelope, now: Date, settings: WindowSettings): WindowVerdict {
  if (envelope.ingesttime === undefined) {
    return settings.requireIngestTime ? { ok: false, reason: 'no-ingest-time' } : { ok: true };
  }
  const ageSeconds = Math.floor((now.getTime() - Date.parse(envelope.ingesttime)) / 1000);
  const window = windowSeconds(settings.retentionDays);
  return ageSeconds > window
    ? { ok: false, reason: 'too-old', ageSeconds, windowSeconds: window }
    : { ok: true };
}
