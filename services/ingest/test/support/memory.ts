/**
 * In-memory implementations of ingest's ports, for unit tests of the logic and the handlers. Each keeps
 * the promises its port's contract suite (test/contract/) checks against the real adapter too.
 */
import type { AuditEntry } from '@herald/shared/audit';
import { DEFAULT_MAX_MESSAGE_BYTES, messageBytes } from '@herald/shared/aws/sqs-send';
import type { Envelope } from '@herald/shared/contracts';
import type { EnvelopeQueue, QueueFailure } from '../../src/accept-events';
import type { IdempotencyRecord, IdempotencyStore } from '../../src/idempotency';
import type { RateLimitStore, TakeResult, WindowCounts } from '../../src/limits';
import type { LimitSettings } from '../../src/routes/limits';
import type { UploadFile, UploadFiles } from '../../src/process-upload';
import type { BeginResult, Rejection, UploadOutcome, UploadRecord, UploadStore } from '../../src/uploads';
import type {
  CatalogEntry,
  EventType,
  EventTypeInput,
  EventTypePage,
  EventTypeStore,
} from '../../src/event-types';

/** Larger than the queue takes, as the SQS adapter sends it: its JSON, the correlation id as an attribute. */
const tooLongForSqs = (envelope: Envelope) =>
  messageBytes({ body: JSON.stringify(envelope), correlationId: envelope.correlationid }) >
  DEFAULT_MAX_MESSAGE_BYTES;

/**
 * Processing's inbound queue. Like SQS it refuses for good a message larger than the queue takes;
 * `refuse` decides which other envelopes a send call fails, for a passing reason.
 */
export class MemoryQueue implements EnvelopeQueue {
  sent: Envelope[] = [];
  calls = 0;
  refuse: (envelope: Envelope, call: number) => boolean = () => false;
  async send(envelopes: readonly Envelope[]) {
    this.calls += 1;
    const failed = new Map<string, QueueFailure>();
    for (const e of envelopes) {
      if (tooLongForSqs(e)) failed.set(e.id, { retryable: false, code: 'MessageTooLong' });
      else if (this.refuse(e, this.calls)) failed.set(e.id, { retryable: true, code: 'ServiceUnavailable' });
    }
    this.sent.push(...envelopes.filter((e) => !failed.has(e.id)));
    return failed;
  }
  /** What processing would store: one event per id, the first one sent. */
  stored(): Map<string, Envelope> {
    const events = new Map<string, Envelope>();
    for (const envelope of this.sent) if (!events.has(envelope.id)) events.set(envelope.id, envelope);
    return events;
  }
}

export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly records = new Map<string, IdempotencyRecord>();
  async claim(record: IdempotencyRecord, now: Date) {
    const id = `${record.tenantId}|${record.key}`;
    const existing = this.records.get(id);
    if (existing && existing.expiresAt >= Math.floor(now.getTime() / 1000)) return structuredClone(existing);
    this.records.set(id, structuredClone(record));
    return undefined;
  }
}

export class MemoryUploadStore implements UploadStore {
  readonly records = new Map<string, UploadRecord>();
  readonly pages = new Map<string, Rejection[]>();
  private id = (tenantId: string, uploadId: string) => `${tenantId}|${uploadId}`;

  async create(record: UploadRecord) {
    const id = this.id(record.tenantId, record.uploadId);
    if (this.records.has(id)) throw new Error(`ConditionalCheckFailed: upload ${record.uploadId} exists`);
    this.records.set(id, structuredClone(record));
  }
  async get(tenantId: string, uploadId: string) {
    const record = this.records.get(this.id(tenantId, uploadId));
    return record && structuredClone(record);
  }
  async begin(tenantId: string, uploadId: string, now: Date): Promise<BeginResult> {
    const record = this.records.get(this.id(tenantId, uploadId));
    if (!record) return { state: 'unknown' };
    if (record.status !== 'pending' && record.status !== 'processing') {
      return { state: 'finished', record: structuredClone(record) };
    }
    record.status = 'processing';
    record.startedAt ??= now.toISOString();
    record.attempts = (record.attempts ?? 0) + 1;
    return { state: 'started', record: structuredClone(record) };
  }
  async putRejections(tenantId: string, uploadId: string, page: number, rejections: readonly Rejection[]) {
    this.pages.set(`${this.id(tenantId, uploadId)}|${page}`, structuredClone([...rejections]));
  }
  async getRejections(tenantId: string, uploadId: string, page: number) {
    return this.pages.get(`${this.id(tenantId, uploadId)}|${page}`);
  }
  async finish(tenantId: string, uploadId: string, outcome: UploadOutcome, now: Date) {
    const record = this.records.get(this.id(tenantId, uploadId));
    // As the table's conditional update: an unknown upload is refused, not created.
    if (!record) throw new Error(`ConditionalCheckFailed: no upload ${uploadId}`);
    record.status = outcome.status;
    record.summary = { ...outcome.summary };
    record.rejectionPages = outcome.rejectionPages;
    record.completedAt = now.toISOString();
    if (outcome.failure !== undefined) record.failure = outcome.failure;
  }
  /** Every rejection stored for an upload, pages in order. */
  allRejections(tenantId: string, uploadId: string): Rejection[] {
    const pages = this.records.get(this.id(tenantId, uploadId))?.rejectionPages ?? 0;
    return Array.from(
      { length: pages },
      (_, page) => this.pages.get(`${this.id(tenantId, uploadId)}|${page}`) ?? [],
    ).flat();
  }
}

/** The uploads bucket: files by key, served in chunks of `chunkSize` bytes. */
export class MemoryFiles implements UploadFiles {
  readonly files = new Map<string, { bytes: Buffer; contentType: string }>();
  chunkSize = 7;
  discarded = 0;
  /** Fails reading after this many chunks, once per entry. */
  failAfterChunks: number[] = [];

  put(key: string, content: string | Buffer, contentType = 'application/x-ndjson') {
    this.files.set(key, { bytes: Buffer.isBuffer(content) ? content : Buffer.from(content), contentType });
  }

  async open(key: string): Promise<UploadFile> {
    const file = this.files.get(key);
    if (!file) throw new Error(`NoSuchKey: ${key}`);
    const failAfter = this.failAfterChunks.shift();
    const { chunkSize } = this;
    async function* body() {
      let chunks = 0;
      for (let start = 0; start < file!.bytes.length; start += chunkSize) {
        if (failAfter !== undefined && chunks++ === failAfter) throw new Error('connection reset');
        yield new Uint8Array(file!.bytes.subarray(start, start + chunkSize));
      }
    }
    return {
      size: file.bytes.length,
      contentType: file.contentType,
      body: body(),
      discard: () => void (this.discarded += 1),
    };
  }
}

/** The event-types table in memory, with a count of its catalog reads. */
export class MemoryEventTypeStore implements EventTypeStore {
  readonly types = new Map<string, EventType>();
  /** Audit entries written with the changes they record (the table's outbox items), in order. */
  readonly outbox: AuditEntry[] = [];
  catalogReads = 0;
  failNextCatalog = false;

  private key = (tenantId: string, type: string) => `${tenantId}\u0000${type}`;

  async put(
    tenantId: string,
    type: string,
    input: EventTypeInput,
    now: Date,
    audit?: AuditEntry,
  ): Promise<EventType> {
    const old = this.types.get(this.key(tenantId, type));
    // As the outbox item's conditional put: an entry already written cancels its change.
    if (audit && this.outbox.some((entry) => entry.id === audit.id)) return old!;
    if (audit) this.outbox.push(structuredClone(audit));
    const stored: EventType = {
      type,
      description: input.description,
      ...(input.schema === undefined ? {} : { schema: input.schema }),
      ...(input.examples === undefined ? {} : { examples: input.examples }),
      deprecated: input.deprecated ?? false,
      ...(input.replacedBy === undefined ? {} : { replacedBy: input.replacedBy }),
      version: (old?.version ?? 0) + 1,
      createdAt: old?.createdAt ?? now.toISOString(),
      updatedAt: now.toISOString(),
    };
    this.types.set(this.key(tenantId, type), stored);
    return stored;
  }

  async get(tenantId: string, type: string): Promise<EventType | undefined> {
    return this.types.get(this.key(tenantId, type));
  }

  private of(tenantId: string): EventType[] {
    return [...this.types.entries()]
      .filter(([key]) => key.startsWith(`${tenantId}\u0000`))
      .map(([, type]) => type)
      .sort((a, b) => a.type.localeCompare(b.type));
  }

  async list(tenantId: string, limit: number, cursor: string | undefined): Promise<EventTypePage> {
    const all = this.of(tenantId).filter((type) => cursor === undefined || type.type > cursor);
    const items = all.slice(0, limit);
    return all.length > limit ? { items, nextCursor: items.at(-1)!.type } : { items };
  }

  async count(tenantId: string): Promise<number> {
    return this.of(tenantId).length;
  }

  async catalog(tenantId: string): Promise<CatalogEntry[]> {
    this.catalogReads += 1;
    if (this.failNextCatalog) {
      this.failNextCatalog = false;
      throw new Error('ProvisionedThroughputExceededException');
    }
    return this.of(tenantId).map((type) => ({
      type: type.type,
      version: type.version,
      deprecated: type.deprecated,
      ...(type.replacedBy === undefined ? {} : { replacedBy: type.replacedBy }),
      ...(type.schema === undefined ? {} : { schemaJson: JSON.stringify(type.schema) }),
    }));
  }
}

/** The limits table's counters, shared as the table is: refused takes count nothing. */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly windows = new Map<string, WindowCounts>();
  readonly counters = new Map<string, number>();
  /** Makes every call fail, as an unreachable table. */
  unavailable = false;
  calls = 0;
  async take(tenantId: string, window: number, events: number, max: WindowCounts): Promise<TakeResult> {
    this.calls += 1;
    if (this.unavailable) throw new Error('limits table unreachable');
    const id = `${tenantId}|${window}`;
    const counts = this.windows.get(id) ?? { requests: 0, events: 0 };
    if (counts.requests + 1 > max.requests || counts.events + events > max.events) {
      return { allowed: false, counts: { ...counts } };
    }
    const after = { requests: counts.requests + 1, events: counts.events + events };
    this.windows.set(id, after);
    return { allowed: true, counts: { ...after } };
  }
  async add(tenantId: string, counter: string, amount: number, max: number) {
    this.calls += 1;
    if (this.unavailable) throw new Error('limits table unreachable');
    const id = `${tenantId}|${counter}`;
    const current = this.counters.get(id) ?? 0;
    if (current + amount > max) return { allowed: false, current };
    this.counters.set(id, current + amount);
    return { allowed: true, current: current + amount };
  }
}

/** Limits no unit test reaches unless it means to. */
export const generousLimits: LimitSettings = {
  windowSeconds: 1,
  defaults: {
    ingestRequestsPerSecond: 1_000_000,
    ingestEventsPerSecond: 1_000_000,
    uploadBytesPerDay: 2 ** 40,
  },
  tenants: {},
};
