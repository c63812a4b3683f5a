// The promises of UploadFiles, kept by the in-memory stand-in and by the S3 adapter alike: a file is
// read back as it was written, byte for byte, with its size and content type, as a stream.
import { describe, expect, test } from '@jest/globals';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { contractAws, describePort, uniqueName } from '../../../../test/setup/contract';
import { S3UploadFiles } from '../../src/adapters/s3-upload-files';
import type { UploadFile, UploadFiles } from '../../src/process-upload';
import { MemoryFiles } from '../support/memory';

interface Bucket {
  files: UploadFiles;
  put(key: string, content: Buffer, contentType: string): Promise<void>;
}

const NDJSON = 'application/x-ndjson';
const KEY = 'uploads/acme/01JDRC0K6Z8V8AXQ4M2N5P7RST.ndjson';

async function readAll(file: UploadFile): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of file.body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describePort<Bucket>(
  'UploadFiles',
  [
    {
      name: 'in memory',
      make: () => {
        const files = new MemoryFiles();
        return { files, put: async (key, content, type) => files.put(key, content, type) };
      },
    },
    {
      name: 'S3',
      make: async () => {
        const { s3 } = contractAws();
        const bucket = uniqueName('ingest', 'uploads').toLowerCase();
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        return {
          files: new S3UploadFiles(s3, bucket),
          put: async (key, content, type) => {
            await s3.send(
              new PutObjectCommand({ Bucket: bucket, Key: key, Body: content, ContentType: type }),
            );
          },
        };
      },
    },
  ],
  (make) => {
    describe('open', () => {
      test('reads the file back byte for byte, with its size and content type', async () => {
        const bucket = await make();
        const content = Buffer.from('{"type":"a","data":"é€😀"}\n{"type":"b"}\n');
        await bucket.put(KEY, content, NDJSON);
        const file = await bucket.files.open(KEY);
        expect(file.size).toBe(content.length);
        expect(file.contentType).toBe(NDJSON);
        expect(await readAll(file)).toEqual(content);
      });

      test('streams a file larger than any one chunk', async () => {
        const bucket = await make();
        const content = Buffer.from(
          Array.from({ length: 5_000 }, (_, i) => `{"type":"t","data":${i}}\n`).join(''),
        );
        await bucket.put(KEY, content, NDJSON);
        const file = await bucket.files.open(KEY);
        expect(file.size).toBe(content.length);
        expect(await readAll(file)).toEqual(content);
      });

      test('keeps the content type as it was sent, parameters included', async () => {
        const bucket = await make();
        await bucket.put(KEY, Buffer.from('{}\n'), `${NDJSON}; charset=utf-8`);
        expect((await bucket.files.open(KEY)).contentType).toBe(`${NDJSON}; charset=utf-8`);
      });

      test('an empty file has size 0 and no bytes', async () => {
        const bucket = await make();
        await bucket.put(KEY, Buffer.alloc(0), NDJSON);
        const file = await bucket.files.open(KEY);
        expect(file.size).toBe(0);
        expect((await readAll(file)).length).toBe(0);
      });

      test('a key that holds no file is refused', async () => {
        const bucket = await make();
        await expect(bucket.files.open(KEY)).rejects.toThrow();
      });

      test('a file discarded unread can be opened and read again', async () => {
        const bucket = await make();
        const content = Buffer.from('{"type":"a"}\n');
        await bucket.put(KEY, content, NDJSON);
        (await bucket.files.open(KEY)).discard();
        expect(await readAll(await bucket.files.open(KEY))).toEqual(content);
      });
    });
  },
);
