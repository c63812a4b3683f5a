/**
 * Idempotency of POST /v1/events. A key names one logical request: the first request with a key
 * records the ids, receive time and correlation id it chose; a retry with the same key and the same
 * body reuses them, so whatever it sends again is byte-for-byte the same envelope and processing's
 * dedupe on (tenant, event id) keeps one stored event. The same key with another body is refused.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '@herald/shared/signing';

/** What a key's first request decided, kept until `expiresAt`. */
export interface IdempotencyRecord {
  tenantId: string;
  key: string;
  /** SHA-256 of the request body's canonical JSON. */
  fingerprint: string;
  /** The event ids of the request, in order. */
  ids: string[];
  /** RFC 3339; the `time` of events that gave none. */
  receivedAt: string;
  correlationId: string;
  /**
   * Written `pending`: a retry sends the request's envelopes again, whether or not the first
   * request queued them all. `completed` is in records of earlier releases, which marked a key once
   * all its events were queued; a retry of one is answered from the record alone.
   */
  status: 'pending' | 'completed';
  /** Epoch seconds. */
  expiresAt: number;
}

export interface IdempotencyStore {
  /**
   * Stores `record` unless a live (unexpired at `now`) record exists for its tenant and key, and
   * returns that existing record instead; undefined when `record` was stored.
   */
  claim(record: IdempotencyRecord, now: Date): Promise<IdempotencyRecord | undefined>;
}

export type IdempotencyKeyResult = { ok: true; key: string | undefined } | { ok: false; reason: string };

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
// Visible ASCII without quotes or backslash: UUIDs, ULIDs, base64 and the like, nothing to escape.
const KEY = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Reads an Idempotency-Key header value. The IETF draft sends it as a structured-field string
 * ("..."), most APIs take it bare; both name the same key.
 */
export function parseIdempotencyKey(header: string | undefined): IdempotencyKeyResult {
  if (header === undefined) return { ok: true, key: undefined };
  let key = header.trim();
  if (key.length >= 2 && key.startsWith('"') && key.endsWith('"')) key = key.slice(1, -1);
  if (key.length === 0) return { ok: false, reason: 'The Idempotency-Key header is empty' };
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !KEY.test(key)) {
    return {
      ok: false,
      reason: `The Idempotency-Key must be 1-${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters without quotes or backslashes`,
    };
  }
  return { ok: true, key };
}

/**
 * The key a request is deduplicated under: the header's, or for a single event without the header
 * its own id. Separate namespaces, so a header value can never collide with an event id.
 */
export function requestKey(headerKey: string | undefined, singleEventId: string | undefined) {
  if (headerKey !== undefined) return `header:${headerKey}`;
  if (singleEventId !== undefined) return `event:${singleEventId}`;
  return undefined;
}

/** Equal for bodies that are the same JSON, however their members are ordered or spaced. */
export function fingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('base64url');
}

export type IdempotencyDecision =
  | { kind: 'fresh' }
  | { kind: 'conflict' }
  | { kind: 'replay'; ids: string[] }
  | { kind: 'resend'; record: IdempotencyRecord };

/** What to do with a request whose key already had a record. */
export function decide(
  existing: IdempotencyRecord | undefined,
  requestFingerprint: string,
): IdempotencyDecision {
  if (existing === undefined) return { kind: 'fresh' };
  if (existing.fingerprint !== requestFingerprint) return { kind: 'conflict' };
  if (existing.status === 'completed') return { kind: 'replay', ids: existing.ids };
  // The earlier request may have queued everything, failed part-way, crashed, or still be running.
  // Sending its exact envelopes again is safe (processing keeps one per id), and is what gets the
  // rest queued, so there is no lock to wait for. Knowing it had queued everything would save the
  // resend of a retry, but cost every keyed request a second write to mark it so: retries are rare.
  return { kind: 'resend', record: existing };
}
