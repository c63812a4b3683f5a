// The promises of UploadStore, kept by the in-memory stand-in and by the DynamoDB adapter alike: one
// record per upload, created once; a file read (begin) only while the upload is pending or being
// read; the outcome recorded only for an upload that exists; every key bound to its tenant.
import { describe, expect, test } from '@jest/globals';
import { contractAws, describePort, tableFromTemplate } from '../../../../test/setup/contract';
import { DynamoUploadStore } from '../../src/adapters/dynamo-upload-store';
import type { UploadOutcome, UploadRecord, UploadStore } from '../../src/uploads';
import { MemoryUploadStore } from '../support/memory';

// Ahead of the real clock, by which DynamoDB Local deletes items whose TTL has passed.
const T0 = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3_600_000);
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const ID = '01JDRC0K6Z8V8AXQ4M2N5P7RST';
const OTHER_ID = '01JDRC0K6Z8V8AXQ4M2N5P7RSV';

const upload = (overrides: Partial<UploadRecord> = {}): UploadRecord => ({
  tenantId: 'acme',
  uploadId: ID,
  status: 'pending',
  size: 1234,
  correlationId: 'corr-1',
  createdAt: T0.toISOString(),
  urlExpiresAt: at(300).toISOString(),
  expiresAt: Math.floor(T0.getTime() / 1000) + 7 * 86_400,
  ...overrides,
});

const completed: UploadOutcome = {
  status: 'completed',
  summary: { lines: 3, accepted: 2, rejected: 1, blank: 0 },
  rejectionPages: 1,
};
const failed: UploadOutcome = {
  status: 'failed',
  summary: { lines: 1, accepted: 0, rejected: 0, blank: 0 },
  rejectionPages: 0,
  failure: 'The queue could not be reached',
};

describePort<UploadStore>(
  'UploadStore',
  [
    { name: 'in memory', make: () => new MemoryUploadStore() },
    {
      name: 'DynamoDB',
      make: async () =>
        new DynamoUploadStore(contractAws().dynamodb, await tableFromTemplate('ingest', 'UploadsTable')),
    },
  ],
  (make) => {
    describe('create and get', () => {
      test('gives back the record as created', async () => {
        const store = await make();
        await store.create(upload());
        expect(await store.get('acme', ID)).toEqual(upload());
      });

      test('an upload id is created once: a second create is refused and the first record kept', async () => {
        const store = await make();
        await store.create(upload());
        await expect(store.create(upload({ size: 99, correlationId: 'corr-2' }))).rejects.toThrow();
        expect(await store.get('acme', ID)).toEqual(upload());
      });

      test('an unknown upload is not found', async () => {
        const store = await make();
        expect(await store.get('acme', ID)).toBeUndefined();
      });

      test('uploads are per tenant: another tenant neither sees nor collides with one', async () => {
        const store = await make();
        await store.create(upload());
        expect(await store.get('globex', ID)).toBeUndefined();
        await store.create(upload({ tenantId: 'globex', size: 7 }));
        expect(await store.get('globex', ID)).toEqual(upload({ tenantId: 'globex', size: 7 }));
        expect(await store.get('acme', ID)).toEqual(upload());
      });
    });

    describe('begin', () => {
      test('starts a pending upload: processing, first attempt, started now', async () => {
        const store = await make();
        await store.create(upload());
        const begun = await store.begin('acme', ID, at(10));
        const started = upload({ status: 'processing', attempts: 1, startedAt: at(10).toISOString() });
        expect(begun).toEqual({ state: 'started', record: started });
        expect(await store.get('acme', ID)).toEqual(started);
      });

      test('starts an upload being read again, counting the attempt and keeping the first start time', async () => {
        const store = await make();
        await store.create(upload());
        await store.begin('acme', ID, at(10));
        const again = await store.begin('acme', ID, at(20));
        expect(again).toEqual({
          state: 'started',
          record: upload({ status: 'processing', attempts: 2, startedAt: at(10).toISOString() }),
        });
      });

      test.each(['completed', 'rejected', 'failed'] as const)(
        'does not start a %s upload again: answers with its record, unchanged',
        async (status) => {
          const store = await make();
          await store.create(upload());
          await store.begin('acme', ID, at(10));
          await store.finish('acme', ID, { ...completed, status }, at(20));
          const finished = await store.get('acme', ID);
          expect(await store.begin('acme', ID, at(30))).toEqual({ state: 'finished', record: finished });
          expect(await store.get('acme', ID)).toEqual(finished);
        },
      );

      test('an unknown upload is unknown, and begin creates nothing', async () => {
        const store = await make();
        expect(await store.begin('acme', ID, at(10))).toEqual({ state: 'unknown' });
        expect(await store.get('acme', ID)).toBeUndefined();
      });

      test('another tenant’s upload is unknown to begin, and left as it was', async () => {
        const store = await make();
        await store.create(upload());
        expect(await store.begin('globex', ID, at(10))).toEqual({ state: 'unknown' });
        expect(await store.get('acme', ID)).toEqual(upload());
      });
    });

    describe('finish', () => {
      test('records the outcome: status, summary, pages of rejections, completion time', async () => {
        const store = await make();
        await store.create(upload());
        await store.begin('acme', ID, at(10));
        await store.finish('acme', ID, completed, at(20));
        expect(await store.get('acme', ID)).toEqual(
          upload({
            status: 'completed',
            attempts: 1,
            startedAt: at(10).toISOString(),
            completedAt: at(20).toISOString(),
            summary: completed.summary,
            rejectionPages: 1,
          }),
        );
      });

      test('records why a failed upload failed', async () => {
        const store = await make();
        await store.create(upload());
        await store.finish('acme', ID, failed, at(20));
        expect(await store.get('acme', ID)).toMatchObject({ status: 'failed', failure: failed.failure });
      });

      test('finishing twice with the same outcome is the same as once', async () => {
        const store = await make();
        await store.create(upload());
        await store.begin('acme', ID, at(10));
        await store.finish('acme', ID, completed, at(20));
        const once = await store.get('acme', ID);
        await store.finish('acme', ID, completed, at(20));
        expect(await store.get('acme', ID)).toEqual(once);
      });

      test('an unknown upload is refused and not created', async () => {
        const store = await make();
        await expect(store.finish('acme', ID, completed, at(20))).rejects.toThrow();
        expect(await store.get('acme', ID)).toBeUndefined();
      });

      test('another tenant’s upload is refused and left as it was', async () => {
        const store = await make();
        await store.create(upload());
        await expect(store.finish('globex', ID, completed, at(20))).rejects.toThrow();
        expect(await store.get('acme', ID)).toEqual(upload());
        expect(await store.get('globex', ID)).toBeUndefined();
      });
    });

    describe('rejections', () => {
      test('pages are stored and read back by number; a page never written is not found', async () => {
        const store = await make();
        await store.create(upload());
        await store.putRejections('acme', ID, 0, [{ line: 2, reason: 'not JSON' }]);
        await store.putRejections('acme', ID, 1, [{ line: 900, reason: 'no type' }]);
        expect(await store.getRejections('acme', ID, 0)).toEqual([{ line: 2, reason: 'not JSON' }]);
        expect(await store.getRejections('acme', ID, 1)).toEqual([{ line: 900, reason: 'no type' }]);
        expect(await store.getRejections('acme', ID, 2)).toBeUndefined();
      });

      test('writing a page again replaces it, as reading a file again does', async () => {
        const store = await make();
        await store.create(upload());
        await store.putRejections('acme', ID, 0, [{ line: 2, reason: 'first' }]);
        await store.putRejections('acme', ID, 0, [{ line: 2, reason: 'second' }]);
        expect(await store.getRejections('acme', ID, 0)).toEqual([{ line: 2, reason: 'second' }]);
      });

      test('pages belong to one upload of one tenant, and do not change its record', async () => {
        const store = await make();
        await store.create(upload());
        await store.create(upload({ uploadId: OTHER_ID }));
        await store.putRejections('acme', ID, 0, [{ line: 2, reason: 'not JSON' }]);
        expect(await store.getRejections('acme', OTHER_ID, 0)).toBeUndefined();
        expect(await store.getRejections('globex', ID, 0)).toBeUndefined();
        expect(await store.get('acme', ID)).toEqual(upload());
      });
    });
  },
);
