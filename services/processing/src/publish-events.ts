/**
 * The outbox relay: events inserted into the events table (read from its stream) are put on the bus
 * as `Source: herald.processing`, `DetailType: event.stored`, with the stored envelope as the detail.
 *
 * Nothing is dropped. Entries the bus rejects for a passing reason (throttling, an internal error)
 * are retried here with backoff, then reported failed so the stream retries them; entries the bus
 * can never take (malformed, too large) go to the publish dead-letter queue by key, so one bad record
 * cannot hold up the records behind it in its shard. Publishing is at least once: a retried record is
 * put again as the very same entry (same detail, same time), and consumers dedupe on (tenantid, id).
 */
import { BUS_ENTRY_MAX_BYTES, BusSource, DetailType } from '@herald/shared/contracts';

/** PutEvents takes at most 10 entries and 256 KiB in one call. */
export const MAX_ENTRIES_PER_CALL = 10;
export const MAX_REQUEST_BYTES = 256 * 1024;
/** EventBridge counts an entry's Time as 14 bytes, whatever its form. */
const TIME_BYTES = 14;

export interface BusEntry {
  Source: typeof BusSource.processing;
  DetailType: typeof DetailType.eventStored;
  Detail: string;
  /** The stored time, so a retried record is put with the same `time` as the first attempt. */
  Time: Date;
}

/**
 * What a subject's sequence adds to the detail at most: `,"sequence":` and 16 digits, and
 * `,"previoustime":"…"` with a 24-character time.
 */
const SEQUENCE_BYTES = 28 + 44;

/** The size EventBridge counts for the entry of an envelope (`withSequence`: at its largest). */
export function entryBytes(envelopeJson: string, withSequence = false): number {
  return (
    TIME_BYTES +
    Buffer.byteLength(BusSource.processing) +
    Buffer.byteLength(DetailType.eventStored) +
    Buffer.byteLength(envelopeJson) +
    (withSequence ? SEQUENCE_BYTES : 0)
  );
}

export const fitsOnTheBus = (envelopeJson: string, withSequence = false): boolean =>
  entryBytes(envelopeJson, withSequence) <= Math.min(BUS_ENTRY_MAX_BYTES, MAX_REQUEST_BYTES);

/**
 * The event.stored detail: the stored envelope as signed, byte for byte, and beside it as its last
 * members the subject's `sequence` number and `previoustime`, when the subject's previous event was
 * stored (the signature covers neither; notifications takes them off before verifying). Spliced into
 * the text rather than parsed and written again, which would change the signed bytes of numbers
 * beyond 2^53.
 */
export function eventStoredDetail(
  envelopeJson: string,
  sequence: { number: number; previousTime?: string } | undefined,
): string {
  if (sequence === undefined) return envelopeJson;
  const end = envelopeJson.lastIndexOf('}');
  const previous =
    sequence.previousTime === undefined ? '' : `,"previoustime":${JSON.stringify(sequence.previousTime)}`;
  return `${envelopeJson.slice(0, end)},"sequence":${sequence.number}${previous}}`;
}

/** What publishing needs of a stored event, read from the stream's new image. */
export interface PublishableEvent {
  tenantId: string;
  eventId: string;
  storedAt: string;
  envelope: string;
  /** The subject's sequence number, for an event with a subject, and its previous event's time (events-table.ts). */
  subjectSequence?: number;
  subjectPreviousStoredAt?: string;
}

export interface StreamRecord {
  /** The record's sequence number, which a partial batch response names. */
  id: string;
  /** Undefined when the image could not be read as a stored event. */
  event: PublishableEvent | undefined;
  /** The item's table key, to find an unreadable one by. */
  key?: { pk: string; sk: string };
}

export type PutResult = { ok: true } | { ok: false; code: string; message?: string };

export interface EventBus {
  /** One PutEvents call; a result per entry, in order. Throws when the call as a whole fails. */
  put(entries: readonly BusEntry[]): Promise<PutResult[]>;
}

export interface DeadLetter {
  reason: 'unreadable-record' | 'too-large' | 'rejected-by-bus';
  sequenceNumber: string;
  pk?: string;
  sk?: string;
  tenantId?: string;
  eventId?: string;
  errorCode?: string;
}

export interface DeadLetterQueue {
  send(letters: readonly DeadLetter[]): Promise<void>;
}

export interface PublishDeps {
  bus: EventBus;
  deadLetters: DeadLetterQueue;
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1): spreads retries so throttled callers do not retry in step. */
  random?: () => number;
  /** Calls per entry, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * Publish each event's subject sequence beside its envelope. Off until every notifications of the
   * stage reads it: a release before it refuses a detail with a property its schema does not name
   * (README, "Releasing a service": a new property takes two changes).
   */
  subjectSequence?: boolean;
}

export interface PublishReport {
  published: number;
  /** Records the stream must deliver again (their sequence numbers, in stream order). */
  failed: string[];
  deadLettered: DeadLetter[];
  /** PutEvents calls made, retries included. */
  putCalls: number;
}

/** PutEvents error codes that no retry will change. Anything else (throttling, internal, access) may pass. */
const PERMANENT_ERRORS = new Set(['MalformedDetail', 'InvalidArgument']);

export const isPermanentError = (code: string): boolean => PERMANENT_ERRORS.has(code);

/**
 * Errors of a PutEvents call as a whole that refuse the request for what it holds: sending the same
 * entries again is refused again, so they are not retried as they are (see putHalves).
 */
const REFUSED_CALL_ERRORS = new Set(['ValidationException']);

const errorName = (error: unknown): string => (error instanceof Error ? error.name : 'CallFailed');

interface Pending {
  record: StreamRecord & { event: PublishableEvent };
  entry: BusEntry;
  bytes: number;
}

/** `withSequence`: whether the detail carries the subject's sequence (PublishDeps.subjectSequence). */
export function toBusEntry(event: PublishableEvent, withSequence = false): BusEntry {
  return {
    Source: BusSource.processing,
    DetailType: DetailType.eventStored,
    Detail: eventStoredDetail(
      event.envelope,
      withSequence && event.subjectSequence !== undefined
        ? {
            number: event.subjectSequence,
            ...(event.subjectPreviousStoredAt === undefined
              ? {}
              : { previousTime: event.subjectPreviousStoredAt }),
          }
        : undefined,
    ),
    Time: new Date(event.storedAt),
  };
}

/** Consecutive groups of at most 10 entries and 256 KiB, in stream order. */
export function toCalls<T extends { bytes: number }>(items: readonly T[]): T[][] {
  const calls: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    if (
      current.length === MAX_ENTRIES_PER_CALL ||
      (current.length > 0 && size + item.bytes > MAX_REQUEST_BYTES)
    ) {
      calls.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += item.bytes;
  }
  if (current.length > 0) calls.push(current);
  return calls;
}

interface CallOutcome {
  published: number;
  rejected: Array<{ item: Pending; code: string }>;
  failed: Pending[];
  calls: number;
}

const noOutcome = (): CallOutcome => ({ published: 0, rejected: [], failed: [], calls: 0 });

function merged(into: CallOutcome, from: CallOutcome): CallOutcome {
  into.published += from.published;
  into.rejected.push(...from.rejected);
  into.failed.push(...from.failed);
  into.calls += from.calls;
  return into;
}

/**
 * A call refused as a whole: its halves are put apart, down to the entry the bus refuses on its own,
 * which is dead-lettered with the call's error; the others publish. Retried as it was, the call would
 * be refused every time and hold up its shard of the stream until its records expire.
 */
async function putHalves(items: Pending[], code: string, deps: Required<PublishDeps>): Promise<CallOutcome> {
  if (items.length === 1) return { ...noOutcome(), rejected: [{ item: items[0]!, code }] };
  const middle = Math.ceil(items.length / 2);
  const halves = await Promise.all(
    [items.slice(0, middle), items.slice(middle)].map((half) => putWithRetries(half, deps)),
  );
  return halves.reduce(merged, noOutcome());
}

async function putWithRetries(items: Pending[], deps: Required<PublishDeps>): Promise<CallOutcome> {
  const outcome = noOutcome();
  let pending = items;
  for (let attempt = 1; pending.length > 0; attempt++) {
    outcome.calls += 1;
    let results: PutResult[];
    try {
      results = await deps.bus.put(pending.map((item) => item.entry));
    } catch (error) {
      const code = errorName(error);
      if (REFUSED_CALL_ERRORS.has(code)) return merged(outcome, await putHalves(pending, code, deps));
      // The SDK has already retried the call itself; treat every entry as not yet put.
      results = pending.map(() => ({ ok: false, code: 'CallFailed' }));
    }
    const retry: Pending[] = [];
    pending.forEach((item, index) => {
      const result = results[index] ?? { ok: false, code: 'NoResult' };
      if (result.ok) outcome.published += 1;
      else if (isPermanentError(result.code)) outcome.rejected.push({ item, code: result.code });
      else retry.push(item);
    });
    if (retry.length === 0) break;
    if (attempt >= deps.maxAttempts) {
      outcome.failed.push(...retry);
      break;
    }
    const ceiling = Math.min(deps.maxDelayMs, deps.baseDelayMs * 2 ** (attempt - 1));
    await deps.sleep(Math.round(ceiling * (0.5 + deps.random() / 2)));
    pending = retry;
  }
  return outcome;
}

export async function publishStoredEvents(
  records: readonly StreamRecord[],
  options: PublishDeps,
): Promise<PublishReport> {
  const deps: Required<PublishDeps> = {
    random: Math.random,
    subjectSequence: false,
    maxAttempts: 3,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    ...options,
  };
  const letters: Array<{ letter: DeadLetter; id: string }> = [];
  const pending: Pending[] = [];
  for (const record of records) {
    const { event } = record;
    if (event === undefined) {
      letters.push({
        id: record.id,
        letter: { reason: 'unreadable-record', sequenceNumber: record.id, ...record.key },
      });
      continue;
    }
    const keys = { sequenceNumber: record.id, tenantId: event.tenantId, eventId: event.eventId };
    const withSequence = deps.subjectSequence && event.subjectSequence !== undefined;
    if (!fitsOnTheBus(event.envelope, withSequence)) {
      letters.push({ id: record.id, letter: { reason: 'too-large', ...keys } });
      continue;
    }
    pending.push({
      record: { ...record, event },
      entry: toBusEntry(event, withSequence),
      bytes: entryBytes(event.envelope, withSequence),
    });
  }

  const outcomes = await Promise.all(toCalls(pending).map((call) => putWithRetries(call, deps)));
  const failed = new Set<string>();
  let published = 0;
  let putCalls = 0;
  for (const outcome of outcomes) {
    published += outcome.published;
    putCalls += outcome.calls;
    for (const item of outcome.failed) failed.add(item.record.id);
    for (const { item, code } of outcome.rejected) {
      const { event, id } = item.record;
      letters.push({
        id,
        letter: {
          reason: 'rejected-by-bus',
          sequenceNumber: id,
          tenantId: event.tenantId,
          eventId: event.eventId,
          errorCode: code,
        },
      });
    }
  }

  let deadLettered: DeadLetter[] = [];
  if (letters.length > 0) {
    try {
      await deps.deadLetters.send(letters.map(({ letter }) => letter));
      deadLettered = letters.map(({ letter }) => letter);
    } catch {
      // Not dead-lettered means not handled: the stream delivers these records again.
      for (const { id } of letters) failed.add(id);
    }
  }
  return {
    published,
    failed: records.map((record) => record.id).filter((id) => failed.has(id)),
    deadLettered,
    putCalls,
  };
}
