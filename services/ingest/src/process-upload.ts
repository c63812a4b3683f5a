/**
 * onUpload as plain logic: read one uploaded NDJSON file line by line, sign and queue every valid
 * event in batches while reading, and record a report of the rest.
 *
 * Reading a file again is safe: a line's event id is its own `id` or one derived from the upload
 * and line number, its default time is the file's, and processing keeps one event per id. So a
 * failed attempt is simply retried from the start, and a repeated notification changes nothing.
 *
 * When the upload finishes (completed, rejected or failed) the tenant's `herald.upload.completed`
 * event is raised, with an id derived from the upload (operational-events.ts): once per upload.
 */
import type { ValidateFunction } from 'ajv';
import type { Envelope } from '@herald/shared/contracts';
import type { TypeCheck } from './catalog-cache';
import { MAX_ENVELOPE_BYTES, signLine, type EnvelopeQueue, type EnvelopeSigner } from './accept-events';
import { MAX_REASON_LENGTH, parseLine, splitLines } from './ndjson';
import { fromUpload, queueOperationalEvent } from './operational-events';
import type { UploadLine } from './schemas/upload-line.types.generated';
import {
  lineEventId,
  MAX_LINES,
  parseUploadObjectKey,
  REJECTIONS_PER_PAGE,
  UPLOAD_CONTENT_TYPE,
  type Rejection,
  type UploadOutcome,
  type UploadRecord,
  type UploadStore,
  type UploadSummary,
} from './uploads';

/** A line holds one event, so no line can be longer than the largest envelope. */
export const MAX_LINE_BYTES = MAX_ENVELOPE_BYTES;
/** Envelopes handed to the queue at a time (it sends them 10 per SendMessageBatch, in parallel). */
export const SEND_CHUNK = 100;

export interface UploadNotice {
  key: string;
  /** When the object was created (the S3 event's time): the default `time` of its events. */
  time: string;
}

export interface UploadFile {
  size: number;
  contentType: string | undefined;
  body: AsyncIterable<Uint8Array>;
  /** Releases the connection of a body that will not be read. */
  discard(): void;
}

export interface UploadFiles {
  open(key: string): Promise<UploadFile>;
}

export interface ProcessUploadDeps {
  store: UploadStore;
  files: UploadFiles;
  queue: EnvelopeQueue;
  signer: EnvelopeSigner;
  validateLine: ValidateFunction<UploadLine>;
  /**
   * The tenant's event-type catalog (catalog-cache.ts), read once for the file: a line whose data
   * breaks its type's schema is rejected, naming the pointer and the schema keyword.
   */
  catalog?: (tenantId: string) => Promise<(type: string, data: unknown) => TypeCheck>;
  now: () => Date;
  /** Attempts (including Lambda's retries) after which a failing upload is marked failed. */
  maxAttempts: number;
  /** Chunks of SEND_CHUNK envelopes in flight at once. */
  sendConcurrency?: number;
  /** Tries of each chunk before the attempt fails (failed entries only are sent again). */
  sendTries?: number;
  retryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Time left in the invocation; reading stops, and the upload fails, when it runs short. */
  remainingTimeMs?: () => number;
  /** Stop this long before the end of the invocation, to record the failure. */
  safetyMarginMs?: number;
  /** Raise the tenant's herald.upload.completed event when the upload finishes (the wiring's choice). */
  raiseCompletion?: boolean;
  /** Told about a failure that does not change the outcome (the completion event not queued). */
  warn?: (message: string, details: Record<string, unknown>) => void;
}

export type ProcessUploadResult =
  | { outcome: 'not-an-upload' | 'unknown-upload' }
  | { outcome: 'already-finished'; record: UploadRecord }
  | ({ outcome: 'processed'; record: UploadRecord; error?: unknown } & UploadOutcome);

class QueueUnavailable extends Error {
  override readonly name = 'QueueUnavailable';
}
class OutOfTime extends Error {
  override readonly name = 'OutOfTime';
}
class TooManyLines extends Error {
  override readonly name = 'TooManyLines';
}
/** The queue refused events for good (their content): another attempt would end the same way. */
class QueueRefused extends Error {
  override readonly name = 'QueueRefused';
}

/** Sends chunks with bounded concurrency; the first failure stops everything after it. */
class Sender {
  private readonly inFlight = new Set<Promise<void>>();
  private error: unknown;
  accepted = 0;

  constructor(
    private readonly queue: EnvelopeQueue,
    private readonly concurrency: number,
    private readonly tries: number,
    private readonly retryDelayMs: number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async add(envelopes: Envelope[]): Promise<void> {
    this.check();
    // Back-pressure: reading waits while the queue is behind, so memory stays bounded.
    while (this.inFlight.size >= this.concurrency) {
      await Promise.race(this.inFlight);
      this.check();
    }
    const sending: Promise<void> = this.send(envelopes)
      .catch((error: unknown) => void (this.error ??= error))
      .finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    this.check();
  }

  private check(): void {
    if (this.error !== undefined) throw this.error;
  }

  private async send(envelopes: Envelope[]): Promise<void> {
    let pending = envelopes;
    for (let attempt = 1; ; attempt++) {
      const failed = await this.queue.send(pending);
      const rest = pending.filter((envelope) => failed.has(envelope.id));
      this.accepted += pending.length - rest.length;
      if (rest.length === 0) return;
      const refused = rest.map(({ id }) => failed.get(id)!).filter((failure) => !failure.retryable);
      if (refused.length > 0) {
        const codes = [...new Set(refused.map((failure) => failure.code))].join(', ');
        throw new QueueRefused(`The queue refused ${refused.length} event(s) for good (${codes})`);
      }
      if (attempt >= this.tries) {
        throw new QueueUnavailable(`${rest.length} events could not be queued after ${attempt} tries`);
      }
      // Only the entries SQS refused are sent again.
      pending = rest;
      await this.sleep(this.retryDelayMs * 2 ** (attempt - 1));
    }
  }
}

const mediaType = (contentType: string | undefined) => contentType?.split(';')[0]?.trim().toLowerCase();

/**
 * Why the file as a whole is refused, if it is: the size declared is exact, so a shorter file is as
 * wrong as a longer one (a truncated file would otherwise be read as if complete). On AWS the
 * presigned URL's signature already holds size and type to what was declared; checked again because
 * nothing else stands between a mis-sent file and the queue.
 */
function refusal(file: Pick<UploadFile, 'size' | 'contentType'>, record: UploadRecord): string | undefined {
  if (file.size > record.size) return `The file is ${file.size} bytes, more than the ${record.size} declared`;
  if (file.size < record.size)
    return `The file is ${file.size} bytes, fewer than the ${record.size} declared`;
  if (mediaType(file.contentType) !== UPLOAD_CONTENT_TYPE) {
    return `The file must be sent with Content-Type ${UPLOAD_CONTENT_TYPE}`;
  }
  return undefined;
}

export async function processUpload(
  notice: UploadNotice,
  deps: ProcessUploadDeps,
): Promise<ProcessUploadResult> {
  const owner = parseUploadObjectKey(notice.key);
  if (!owner) return { outcome: 'not-an-upload' };
  const { tenantId, uploadId } = owner;
  const begun = await deps.store.begin(tenantId, uploadId, deps.now());
  if (begun.state === 'unknown') return { outcome: 'unknown-upload' };
  if (begun.state === 'finished') return { outcome: 'already-finished', record: begun.record };
  const record = begun.record;

  const finish = async (outcome: UploadOutcome, error?: unknown): Promise<ProcessUploadResult> => {
    // Before the record: an attempt that stops between the two raises the same event id again.
    if (deps.raiseCompletion === true) await raiseCompletion(record, outcome, deps);
    await deps.store.finish(tenantId, uploadId, outcome, deps.now());
    return { outcome: 'processed', record, ...outcome, ...(error === undefined ? {} : { error }) };
  };
  const sender = new Sender(
    deps.queue,
    deps.sendConcurrency ?? 4,
    deps.sendTries ?? 4,
    deps.retryDelayMs ?? 200,
    deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  );
  const summary: UploadSummary = { lines: 0, accepted: 0, rejected: 0, blank: 0 };
  let rejections: Rejection[] = [];
  let pages = 0;
  let chunk: Envelope[] = [];
  const plan = { receivedAt: new Date(notice.time).toISOString(), correlationId: record.correlationId };
  const margin = deps.safetyMarginMs ?? 15_000;

  const flushRejections = async () => {
    if (rejections.length === 0) return;
    await deps.store.putRejections(tenantId, uploadId, pages, rejections);
    pages += 1;
    rejections = [];
  };
  const reject = async (line: number, reason: string) => {
    summary.rejected += 1;
    rejections.push({ line, reason });
    if (rejections.length === REJECTIONS_PER_PAGE) await flushRejections();
  };

  try {
    const file = await deps.files.open(notice.key);
    const refused = refusal(file, record);
    if (refused !== undefined) {
      file.discard();
      return await finish({ status: 'rejected', summary, rejectionPages: 0, failure: refused });
    }

    const check = deps.catalog ? await deps.catalog(tenantId) : undefined;
    for await (const raw of splitLines(file.body, MAX_LINE_BYTES)) {
      summary.lines = raw.number;
      if (raw.number > MAX_LINES) throw new TooManyLines(`A file may have at most ${MAX_LINES} lines`);
      if (raw.number % 1000 === 0 && deps.remainingTimeMs && deps.remainingTimeMs() < margin) {
        throw new OutOfTime();
      }
      const parsed = parseLine(raw, deps.validateLine, MAX_LINE_BYTES);
      if (parsed.kind === 'blank') {
        summary.blank += 1;
        continue;
      }
      if (parsed.kind === 'rejected') {
        await reject(parsed.line, parsed.reason);
        continue;
      }
      const typed = check?.(parsed.event.type, parsed.event.data);
      if (typed?.kind === 'invalid') {
        await reject(parsed.line, schemaReason(typed.error.pointer, typed.error.message));
        continue;
      }
      const id = parsed.event.id ?? lineEventId(uploadId, parsed.line);
      const signed = signLine(parsed.event, id, tenantId, plan, deps.signer);
      if (!signed.ok) {
        await reject(parsed.line, signed.reason);
        continue;
      }
      chunk.push(signed.envelope);
      if (chunk.length === SEND_CHUNK) {
        await sender.add(chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) await sender.add(chunk);
    await sender.drain();
    await flushRejections();
  } catch (error) {
    // Let sends already under way settle, so the count of what was queued is exact.
    await sender.drain().catch(() => undefined);
    summary.accepted = sender.accepted;
    const lastAttempt = (record.attempts ?? 1) >= deps.maxAttempts;
    // OutOfTime, TooManyLines and QueueRefused: another attempt would end the same way.
    const final =
      error instanceof OutOfTime || error instanceof TooManyLines || error instanceof QueueRefused;
    if (!final && !lastAttempt) throw error;
    // The report keeps what was found before it stopped.
    await flushRejections().catch(() => undefined);
    return finish(
      { status: 'failed', summary, rejectionPages: pages, failure: failureText(error, summary.accepted) },
      error,
    );
  }
  summary.accepted = sender.accepted;
  return finish({ status: 'completed', summary, rejectionPages: pages });
}

/**
 * The notice of a finished upload is not worth failing its report for: a queue that refuses it is
 * logged, and the upload is recorded as it ended.
 */
async function raiseCompletion(record: UploadRecord, outcome: UploadOutcome, deps: ProcessUploadDeps) {
  const now = deps.now();
  try {
    await queueOperationalEvent(
      fromUpload(
        {
          tenantId: record.tenantId,
          uploadId: record.uploadId,
          status: outcome.status,
          summary: outcome.summary,
          ...(outcome.failure === undefined ? {} : { failure: outcome.failure }),
          correlationId: record.correlationId,
          time: now.toISOString(),
        },
        now,
      ),
      deps,
    );
  } catch (error) {
    deps.warn?.('Could not raise herald.upload.completed', {
      uploadId: record.uploadId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** Like the other reasons: the field by pointer, never its value (Ajv's messages quote the schema only). */
const schemaReason = (pointer: string, message: string) =>
  `breaks its event type's schema at /data${pointer}: ${message}`.slice(0, MAX_REASON_LENGTH);

function failureText(error: unknown, queued: number): string {
  const after = `; ${queued} event(s) had been queued when it stopped (lines with an id are deduplicated if sent again)`;
  if (error instanceof OutOfTime)
    return `The file could not be read in the time one invocation has: split it${after}`;
  if (error instanceof TooManyLines || error instanceof QueueRefused) return `${error.message}${after}`;
  if (error instanceof QueueUnavailable) return `Events could not be queued${after}`;
  return `The file could not be read${after}`;
}
