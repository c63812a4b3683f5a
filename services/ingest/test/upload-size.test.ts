/**
 * The size declared for an upload is exact: a file shorter or longer than it is refused whole, with
 * a reason its owner reads in GET /v1/uploads/{id}, and nothing of it is queued.
 */
import { beforeEach, describe, expect, test } from '@jest/globals';
import { createEnvelopeSigner, generateSigningKeyPair } from '@herald/shared/signing';
import { processUpload, type ProcessUploadDeps } from '../src/process-upload';
import validateLine from '../src/schemas/upload-line.validator.generated';
import { getUpload, uploadObjectKey, type UploadRecord } from '../src/uploads';
import { MemoryFiles, MemoryQueue, MemoryUploadStore } from './support/memory';

const signer = createEnvelopeSigner(generateSigningKeyPair('ingest-test').privateJwk);
const uploadId = '01JDZQ8B4WZ3T6V7X8Y9ZA0B1D';
const key = uploadObjectKey('acme', uploadId);
const notice = { key, time: '2026-11-28T10:01:00.000Z' };
const file = Buffer.from(
  ['order.created', 'order.paid'].map((type, n) => JSON.stringify({ type, data: { n } })).join('\n'),
);

let store: MemoryUploadStore;
let files: MemoryFiles;
let queue: MemoryQueue;

const deps = (): ProcessUploadDeps => ({
  store,
  files,
  queue,
  signer,
  validateLine,
  now: () => new Date('2026-11-28T10:02:00.000Z'),
  maxAttempts: 3,
  sleep: async () => undefined,
});

async function uploadDeclaring(size: number, content: Buffer) {
  const record: UploadRecord = {
    tenantId: 'acme',
    uploadId,
    status: 'pending',
    size,
    correlationId: 'corr-upload',
    createdAt: '2026-11-28T10:00:00.000Z',
    urlExpiresAt: '2026-11-28T10:05:00.000Z',
    expiresAt: 0,
  };
  await store.create(record);
  files.put(key, content);
}

async function shownToItsOwner() {
  const found = await getUpload('acme', uploadId, undefined, store);
  if (found.kind !== 'found') throw new Error(`the upload is ${found.kind}`);
  return found.view;
}

beforeEach(() => {
  store = new MemoryUploadStore();
  files = new MemoryFiles();
  queue = new MemoryQueue();
});

describe('an upload whose file is not the size declared', () => {
  test.each([
    ['one byte shorter', file.length + 1, /^The file is \d+ bytes, fewer than the \d+ declared$/],
    ['cut in half', file.length * 2, /fewer than/],
    ['one byte longer', file.length - 1, /^The file is \d+ bytes, more than the \d+ declared$/],
  ])('%s is refused whole: nothing queued, the reason shown', async (_label, declared, reason) => {
    await uploadDeclaring(declared, file);

    const result = await processUpload(notice, deps());

    expect(result).toMatchObject({ outcome: 'processed', status: 'rejected', summary: { lines: 0 } });
    expect(queue.sent).toEqual([]);
    expect(files.discarded).toBe(1);
    const view = await shownToItsOwner();
    expect(view).toMatchObject({
      status: 'rejected',
      size: declared,
      failure: expect.stringMatching(reason),
    });
    expect(view.failure).toContain(`${file.length} bytes`);
  });

  test('exactly the size declared is read', async () => {
    await uploadDeclaring(file.length, file);
    expect(await processUpload(notice, deps())).toMatchObject({
      status: 'completed',
      summary: { lines: 2, accepted: 2 },
    });
    expect(queue.sent).toHaveLength(2);
    expect((await shownToItsOwner()).failure).toBeUndefined();
  });
});
