import { describe, expect, test } from '@jest/globals';
import { encodeCursor } from '@herald/shared/cursor';
import {
  createUpload,
  lineEventId,
  MAX_LINES,
  pageCursor,
  pageOfCursor,
  parseUploadObjectKey,
  uploadObjectKey,
  uploadView,
  type UploadRecord,
} from '../src/uploads';
import { MemoryUploadStore } from './support/memory';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const uploadId = '01JDZQ8B4WZ3T6V7X8Y9ZA0B1C';

describe('object keys', () => {
  test('a file lives under its tenant’s prefix, named by its upload id, and the key says whose it is', () => {
    const key = uploadObjectKey('acme', uploadId);
    expect(key).toBe(`uploads/acme/${uploadId}.ndjson`);
    expect(parseUploadObjectKey(key)).toEqual({ tenantId: 'acme', uploadId });
  });

  test.each([
    'reports/acme/01JDZQ8B4WZ3T6V7X8Y9ZA0B1C.ndjson',
    'uploads/acme/01JDZQ8B4WZ3T6V7X8Y9ZA0B1C.json',
    'uploads/acme/other/01JDZQ8B4WZ3T6V7X8Y9ZA0B1C.ndjson',
    'uploads/ac me/01JDZQ8B4WZ3T6V7X8Y9ZA0B1C.ndjson',
    'uploads/acme/not-a-ulid.ndjson',
    'uploads/acme/../globex/01JDZQ8B4WZ3T6V7X8Y9ZA0B1C.ndjson',
  ])('%s is no upload', (key) => {
    expect(parseUploadObjectKey(key)).toBeUndefined();
  });
});

describe('lineEventId', () => {
  test('a ULID from the upload’s time and randomness and the line number: stable, unique, in line order', () => {
    const ids = [1, 2, 31, 32, 1000, 100_000, MAX_LINES].map((line) => lineEventId(uploadId, line));
    for (const id of ids) expect(id).toMatch(ULID);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => id.startsWith(uploadId.slice(0, 20)))).toBe(true);
    expect(lineEventId(uploadId, 7)).toBe(lineEventId(uploadId, 7));
    expect(lineEventId('01JDZQ8B4WZ3T6V7X8YAZA0B1C', 7)).not.toBe(lineEventId(uploadId, 7));
  });

  test('line numbers outside 1..MAX_LINES are refused', () => {
    expect(() => lineEventId(uploadId, 0)).toThrow(RangeError);
    expect(() => lineEventId(uploadId, MAX_LINES + 1)).toThrow(RangeError);
  });
});

describe('cursors', () => {
  test('round-trip a page number; anything else is not a cursor', () => {
    expect(pageOfCursor(pageCursor(3))).toBe(3);
    expect(pageOfCursor(pageCursor(0))).toBe(0);
    expect(pageOfCursor('bm9wZQ')).toBeUndefined();
    expect(pageOfCursor(Buffer.from('page:-1').toString('base64url'))).toBeUndefined();
    expect(pageOfCursor(encodeCursor(['-1']))).toBeUndefined();
    expect(pageOfCursor(encodeCursor(['1e3']))).toBeUndefined();
    expect(pageOfCursor(encodeCursor(['1', '2']))).toBeUndefined();
    expect(pageOfCursor(encodeCursor(['1234567890']))).toBeUndefined();
  });
});

const record: UploadRecord = {
  tenantId: 'acme',
  uploadId,
  status: 'pending',
  size: 100,
  correlationId: 'c-1',
  createdAt: '2026-11-28T10:00:00.000Z',
  urlExpiresAt: '2026-11-28T10:05:00.000Z',
  expiresAt: 0,
};

describe('uploadView', () => {
  test('pending: when its URL expires, no report', () => {
    expect(uploadView(record, 0, [])).toEqual({
      id: uploadId,
      status: 'pending',
      size: 100,
      createdAt: '2026-11-28T10:00:00.000Z',
      uploadUrlExpiresAt: '2026-11-28T10:05:00.000Z',
    });
  });

  test('completed: counts, the page of rejections and a cursor to the next page', () => {
    const done: UploadRecord = {
      ...record,
      status: 'completed',
      startedAt: '2026-11-28T10:01:00.000Z',
      completedAt: '2026-11-28T10:01:02.000Z',
      summary: { lines: 1003, accepted: 1, rejected: 1001, blank: 1 },
      rejectionPages: 3,
    };
    const view = uploadView(done, 0, [{ line: 2, reason: 'is not valid JSON' }]);
    expect(view).toMatchObject({
      status: 'completed',
      startedAt: '2026-11-28T10:01:00.000Z',
      completedAt: '2026-11-28T10:01:02.000Z',
      report: {
        lines: 1003,
        accepted: 1,
        rejected: 1001,
        blank: 1,
        rejections: [{ line: 2, reason: 'is not valid JSON' }],
        nextCursor: pageCursor(1),
      },
    });
    expect(view.uploadUrlExpiresAt).toBeUndefined();
    expect(uploadView(done, 2, []).report?.nextCursor).toBeUndefined();
  });
});

describe('createUpload', () => {
  const deps = (store = new MemoryUploadStore()) => ({
    store,
    presign: async (request: {
      key: string;
      contentType: string;
      size: number;
      expiresInSeconds: number;
    }) => ({
      url: `https://bucket.example/${request.key}?expires=${request.expiresInSeconds}`,
      headers: { 'content-type': request.contentType, 'content-length': String(request.size) },
    }),
    newId: () => uploadId,
    now: () => new Date('2026-11-28T10:00:00.000Z'),
    maxUploadBytes: 1000,
    urlExpirySeconds: 300,
    retentionDays: 7,
  });

  test('records a pending upload for the caller’s tenant and presigns a PUT of exactly its size', async () => {
    const store = new MemoryUploadStore();
    const result = await createUpload(
      { size: 1000 },
      { tenantId: 'acme', correlationId: 'c-1' },
      deps(store),
    );
    expect(result).toEqual({
      kind: 'created',
      record: {
        tenantId: 'acme',
        uploadId,
        status: 'pending',
        size: 1000,
        correlationId: 'c-1',
        createdAt: '2026-11-28T10:00:00.000Z',
        urlExpiresAt: '2026-11-28T10:05:00.000Z',
        expiresAt: Date.parse('2026-11-28T10:00:00.000Z') / 1000 + 7 * 86_400,
      },
      url: `https://bucket.example/uploads/acme/${uploadId}.ndjson?expires=300`,
      headers: { 'content-type': 'application/x-ndjson', 'content-length': '1000' },
    });
    expect(await store.get('acme', uploadId)).toMatchObject({ status: 'pending' });
  });

  test('a declared size over the limit: nothing recorded, nothing signed', async () => {
    const store = new MemoryUploadStore();
    expect(await createUpload({ size: 1001 }, { tenantId: 'acme', correlationId: 'c' }, deps(store))).toEqual(
      {
        kind: 'too-large',
        maxUploadBytes: 1000,
      },
    );
    expect(store.records.size).toBe(0);
  });
});
