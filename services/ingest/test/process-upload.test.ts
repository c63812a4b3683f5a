import { beforeEach, describe, expect, test } from '@jest/globals';
import { createEnvelopeSigner, createEnvelopeVerifier, generateSigningKeyPair } from '@herald/shared/signing';
import { processUpload, type ProcessUploadDeps } from '../src/process-upload';
import validateLine from '../src/schemas/upload-line.validator.generated';
import { lineEventId, REJECTIONS_PER_PAGE, uploadObjectKey, type UploadRecord } from '../src/uploads';
import { MemoryFiles, MemoryQueue, MemoryUploadStore } from './support/memory';

const keys = generateSigningKeyPair('ingest-test');
const signer = createEnvelopeSigner(keys.privateJwk);
const verifier = createEnvelopeVerifier([keys.publicJwk]);
const uploadId = '01JDZQ8B4WZ3T6V7X8Y9ZA0B1C';
const key = uploadObjectKey('acme', uploadId);
const notice = { key, time: '2026-11-28T10:01:00.000Z' };

let store: MemoryUploadStore;
let files: MemoryFiles;
let queue: MemoryQueue;

function deps(extra: Partial<ProcessUploadDeps> = {}): ProcessUploadDeps {
  return {
    store,
    files,
    queue,
    signer,
    validateLine,
    now: () => new Date('2026-11-28T10:02:00.000Z'),
    maxAttempts: 3,
    sleep: async () => undefined,
    ...extra,
  };
}

async function pendingUpload(content: string | Buffer, overrides: Partial<UploadRecord> = {}) {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  const record: UploadRecord = {
    tenantId: 'acme',
    uploadId,
    status: 'pending',
    size: bytes.length,
    correlationId: 'corr-upload',
    createdAt: '2026-11-28T10:00:00.000Z',
    urlExpiresAt: '2026-11-28T10:05:00.000Z',
    expiresAt: 0,
    ...overrides,
  };
  await store.create(record);
  files.put(key, bytes);
}

const good = (n: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'order.created', data: { n }, ...extra });

beforeEach(() => {
  store = new MemoryUploadStore();
  files = new MemoryFiles();
  queue = new MemoryQueue();
});

describe('processUpload', () => {
  test('queues the good lines as signed envelopes and reports each bad line by number and reason', async () => {
    const content = [
      good(1, { id: 'own-id' }),
      '',
      '{"type":"order.created"',
      good(2),
      '{"type":"Bad Type","data":{}}',
      good(3, { time: '2026-01-01T00:00:00+01:00' }),
    ].join('\n');
    await pendingUpload(content);

    const result = await processUpload(notice, deps());

    expect(result).toMatchObject({
      outcome: 'processed',
      status: 'completed',
      summary: { lines: 6, accepted: 3, rejected: 2, blank: 1 },
      rejectionPages: 1,
    });
    const stored = await store.get('acme', uploadId);
    expect(stored).toMatchObject({
      status: 'completed',
      attempts: 1,
      completedAt: '2026-11-28T10:02:00.000Z',
    });
    expect(store.allRejections('acme', uploadId)).toEqual([
      { line: 3, reason: 'is not valid JSON' },
      { line: 5, reason: expect.stringMatching(/^is not a valid event: \/type /) },
    ]);
    const envelopes = queue.sent.map((e) => verifier.verify(e));
    expect(envelopes.map((e) => e.id)).toEqual([
      'own-id',
      lineEventId(uploadId, 4),
      lineEventId(uploadId, 6),
    ]);
    expect(envelopes.map((e) => e.time)).toEqual([
      '2026-11-28T10:01:00.000Z',
      '2026-11-28T10:01:00.000Z',
      '2025-12-31T23:00:00.000Z',
    ]);
    for (const envelope of envelopes) {
      expect(envelope).toMatchObject({
        tenantid: 'acme',
        correlationid: 'corr-upload',
        source: '/tenants/acme',
      });
    }
  });

  test('sends in chunks while reading, all lines of a large file once each, in order', async () => {
    const lines = Array.from({ length: 2_345 }, (_, i) => good(i + 1));
    await pendingUpload(lines.join('\r\n') + '\r\n');
    files.chunkSize = 4096;

    const result = await processUpload(notice, deps());
    expect(result).toMatchObject({
      status: 'completed',
      summary: { lines: 2345, accepted: 2345, rejected: 0 },
    });
    expect(queue.sent).toHaveLength(2345);
    expect(queue.calls).toBe(24);
    expect(new Set(queue.sent.map((e) => e.id)).size).toBe(2345);
  });

  test('rejections are stored in pages', async () => {
    const lines = Array.from({ length: REJECTIONS_PER_PAGE * 2 + 3 }, () => 'nope');
    await pendingUpload([good(0), ...lines].join('\n'));
    const result = await processUpload(notice, deps());
    expect(result).toMatchObject({ rejectionPages: 3, summary: { rejected: REJECTIONS_PER_PAGE * 2 + 3 } });
    expect(store.allRejections('acme', uploadId).map((r) => r.line)).toEqual(
      Array.from({ length: REJECTIONS_PER_PAGE * 2 + 3 }, (_, i) => i + 2),
    );
  });

  test('entries the queue refuses are sent again, only they', async () => {
    await pendingUpload([good(1), good(2), good(3)].join('\n'));
    queue.refuse = (e, call) => call === 1 && (e.data as { n: number }).n === 2;
    const result = await processUpload(notice, deps());
    expect(result).toMatchObject({ status: 'completed', summary: { accepted: 3 } });
    expect(queue.sent.map((e) => (e.data as { n: number }).n)).toEqual([1, 3, 2]);
  });

  test('a queue that keeps refusing fails the attempt, to be retried; a retry stores nothing twice', async () => {
    await pendingUpload(Array.from({ length: 250 }, (_, i) => good(i)).join('\n'));
    queue.refuse = (e, call) => call <= 8 && (e.data as { n: number }).n >= 200;
    await expect(processUpload(notice, deps({ sendConcurrency: 1 }))).rejects.toThrow(/could not be queued/);
    expect(await store.get('acme', uploadId)).toMatchObject({ status: 'processing', attempts: 1 });

    const retry = await processUpload(notice, deps());
    expect(retry).toMatchObject({ status: 'completed', summary: { accepted: 250 } });
    expect(queue.stored().size).toBe(250);
    expect(await store.get('acme', uploadId)).toMatchObject({ status: 'completed', attempts: 2 });
  });

  test('a read error on the last attempt marks the upload failed, saying how much was queued', async () => {
    await pendingUpload(Array.from({ length: 500 }, (_, i) => good(i)).join('\n'), { attempts: 2 });
    files.failAfterChunks = [2000];
    const result = await processUpload(notice, deps());
    expect(result).toMatchObject({ outcome: 'processed', status: 'failed', error: expect.any(Error) });
    const stored = await store.get('acme', uploadId);
    expect(stored?.status).toBe('failed');
    expect(stored?.failure).toMatch(/^The file could not be read; \d+ event\(s\) had been queued/);
    expect(stored?.summary?.accepted).toBe(queue.sent.length);
  });

  test('a file that cannot be opened: retried, then failed on the last attempt', async () => {
    await pendingUpload(good(1), { attempts: 1 });
    files.files.delete(key);
    await expect(processUpload(notice, deps())).rejects.toThrow(/NoSuchKey/);
    const result = await processUpload(notice, deps());
    expect(result).toMatchObject({ status: 'failed', summary: { lines: 0, accepted: 0 } });
  });

  test('rejections found before a failure stay in the report', async () => {
    await pendingUpload(['nope', good(1), 'nope', good(2)].join('\n'), { attempts: 2 });
    queue.refuse = () => true;
    const result = await processUpload(notice, deps());
    expect(result).toMatchObject({
      status: 'failed',
      summary: { accepted: 0, rejected: 2 },
      rejectionPages: 1,
    });
    expect(store.allRejections('acme', uploadId).map((r) => r.line)).toEqual([1, 3]);
  });

  test('running short of time stops reading and fails the upload at once, without a retry', async () => {
    await pendingUpload(Array.from({ length: 3000 }, (_, i) => good(i)).join('\n'));
    let left = 60_000;
    const result = await processUpload(notice, deps({ remainingTimeMs: () => (left -= 20_000) }));
    expect(result).toMatchObject({ status: 'failed' });
    expect((await store.get('acme', uploadId))?.failure).toMatch(/time one invocation has/);
  });

  test('a repeated notification after completion reads nothing', async () => {
    await pendingUpload(good(1));
    await processUpload(notice, deps());
    const again = await processUpload(notice, deps());
    expect(again).toMatchObject({ outcome: 'already-finished' });
    expect(queue.sent).toHaveLength(1);
  });

  test('a file larger than declared is rejected whole: nothing queued', async () => {
    await pendingUpload(good(1), { size: 5 });
    const result = await processUpload(notice, deps());
    expect(result).toMatchObject({ status: 'rejected', summary: { lines: 0, accepted: 0 } });
    expect((await store.get('acme', uploadId))?.failure).toMatch(/more than the 5 declared/);
    expect(queue.sent).toHaveLength(0);
    expect(files.discarded).toBe(1);
  });

  test('a file of another content type is rejected whole: nothing queued', async () => {
    await pendingUpload(good(1));
    files.put(key, good(1), 'text/csv');
    expect(await processUpload(notice, deps())).toMatchObject({ status: 'rejected' });
    expect(queue.sent).toHaveLength(0);

    store = new MemoryUploadStore();
    await pendingUpload(good(1));
    files.put(key, good(1), 'application/x-ndjson; charset=utf-8');
    expect(await processUpload(notice, deps())).toMatchObject({ status: 'completed' });
  });

  test('an object with no upload record, or outside the upload layout, is left alone', async () => {
    files.put(key, good(1));
    expect(await processUpload(notice, deps())).toEqual({ outcome: 'unknown-upload' });
    expect(await processUpload({ ...notice, key: 'uploads/acme/x.ndjson' }, deps())).toEqual({
      outcome: 'not-an-upload',
    });
    expect(queue.sent).toHaveLength(0);
  });

  test('an empty file completes with nothing sent', async () => {
    await pendingUpload('\n\n');
    expect(await processUpload(notice, deps())).toMatchObject({
      status: 'completed',
      summary: { lines: 2, accepted: 0, rejected: 0, blank: 2 },
      rejectionPages: 0,
    });
  });
});

describe('processUpload against the catalog', () => {
  test("a line whose data breaks its type's schema is rejected, naming the pointer; the others are queued", async () => {
    const { CatalogCache } = await import('../src/catalog-cache');
    const { MemoryEventTypeStore } = await import('./support/memory');
    const types = new MemoryEventTypeStore();
    await types.put(
      'acme',
      'order.created',
      {
        description: 'd',
        schema: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
      },
      new Date(),
    );
    const cache = new CatalogCache(types, { ttlMs: 60_000, maxTenants: 10, maxValidators: 10 });
    await pendingUpload(
      [good(1), JSON.stringify({ type: 'order.created', data: { n: 'two' } }), good(3)].join('\n'),
    );

    const result = await processUpload(notice, deps({ catalog: (tenantId) => cache.forTenant(tenantId) }));

    expect(result).toMatchObject({ status: 'completed', summary: { lines: 3, accepted: 2, rejected: 1 } });
    expect(store.allRejections('acme', uploadId)).toEqual([
      { line: 2, reason: "breaks its event type's schema at /data/n: must be integer (type)" },
    ]);
    expect(types.catalogReads).toBe(1);
  });
});
