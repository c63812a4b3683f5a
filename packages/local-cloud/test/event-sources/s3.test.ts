// S3 bucket notifications against the real emulator (fauxqs) through the real SDK: an upload through a presigned
// URL reaches the function asynchronously with S3's event; event types and key filters select configurations;
// a failed asynchronous invocation is retried twice, then dropped.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3EventRecord } from 'aws-lambda';
import { clientConfig } from '../../src/aws';
import { startEmulators } from '../../src/emulators';
import type { Emulators } from '../../src/emulators';
import type { EventSourceHandle } from '../../src/event-sources/common';
import { startS3Notifications } from '../../src/event-sources/s3';
import type { S3NotificationOptions } from '../../src/event-sources/s3';
import type { S3Notification } from '../../src/types';
import {
  delay,
  EMULATOR_TEST_MS,
  EMULATORS_START_MS,
  EMULATORS_STOP_MS,
  MemoryLog,
  settlesBefore,
  TestInvoker,
  uniqueName,
  waitFor,
} from './helpers';

// The emulators answer slowly on a busy machine: any test here may take that long.
jest.setTimeout(EMULATOR_TEST_MS);

let emulators: Emulators;
let s3: S3Client;
const running: EventSourceHandle[] = [];

beforeAll(async () => {
  emulators = await startEmulators('auto');
  s3 = new S3Client({ ...clientConfig(emulators.endpoints.s3), forcePathStyle: true });
}, EMULATORS_START_MS);

afterAll(async () => {
  await Promise.all(running.map((handle) => handle.stop()));
  s3?.destroy();
  await emulators?.stop();
}, EMULATORS_STOP_MS);

async function createBucket(): Promise<string> {
  const bucket = uniqueName('bucket');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

async function start(
  notifications: S3Notification[],
  invoker: TestInvoker,
  log = new MemoryLog(),
  options: S3NotificationOptions = { retryDelaysMs: [20, 40] },
) {
  const handle = await startS3Notifications(
    notifications,
    { fauxqs: emulators.fauxqs, s3, invoker, log },
    options,
  );
  running.push(handle);
  return handle;
}

const put = (bucket: string, key: string, body = 'x') =>
  s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

const recordsOf = (invoker: TestInvoker, functionName: string) =>
  invoker.batches<S3EventRecord>(functionName).flat();
const keysOf = (invoker: TestInvoker, functionName: string) =>
  recordsOf(invoker, functionName).map((record) => record.s3.object.key);

describe('an upload through a presigned URL', () => {
  test('reaches the function asynchronously with S3’s event; prefix and suffix filters exclude other keys', async () => {
    const bucket = await createBucket();
    const otherBucket = await createBucket();
    const invoker = new TestInvoker();
    await start(
      [
        {
          kind: 's3',
          functionName: 'on-upload',
          bucket,
          events: ['s3:ObjectCreated:*'],
          prefix: 'uploads/',
          suffix: '.json',
        },
      ],
      invoker,
    );
    const upload = async (targetBucket: string, key: string, body: string) => {
      const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: targetBucket, Key: key }), {
        expiresIn: 60,
      });
      const response = await fetch(url, { method: 'PUT', body });
      expect(response.status).toBe(200);
    };
    const uploadedAt = Date.now();
    await upload(bucket, 'other/a.json', '{}');
    await upload(bucket, 'uploads/a.txt', 'text');
    await upload(otherBucket, 'uploads/a.json', '{}');
    const body = '{"report":"quarterly"}';
    await upload(bucket, 'uploads/my report (final).json', body);
    // Changes are handled in order, so once the last upload is in, the ones before it have been judged.
    await waitFor('the notification', () => invoker.invocations.length >= 1);
    await delay(200);

    expect(invoker.invocations).toHaveLength(1);
    expect(invoker.invocations[0]!.type).toBe('Event');
    const records = recordsOf(invoker, 'on-upload');
    expect(records).toHaveLength(1);
    const record = records[0]!;
    expect(record).toEqual({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: expect.any(String) },
      requestParameters: { sourceIPAddress: expect.any(String) },
      responseElements: { 'x-amz-request-id': expect.any(String), 'x-amz-id-2': expect.any(String) },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: expect.any(String),
        bucket: {
          name: bucket,
          ownerIdentity: { principalId: expect.any(String) },
          arn: `arn:aws:s3:::${bucket}`,
        },
        object: {
          key: 'uploads/my+report+%28final%29.json',
          size: Buffer.byteLength(body),
          eTag: createHash('md5').update(body).digest('hex'),
          sequencer: expect.stringMatching(/^[0-9A-F]+$/),
        },
      },
    });
    expect(Date.parse(record.eventTime)).toBeGreaterThanOrEqual(uploadedAt - 1000);
  });
});

describe('event types and filters', () => {
  test('copies, deletes and puts are told apart, and each configuration gets only its event types', async () => {
    const bucket = await createBucket();
    const invoker = new TestInvoker();
    await start(
      [
        { kind: 's3', functionName: 'puts', bucket, events: ['s3:ObjectCreated:Put'] },
        { kind: 's3', functionName: 'copies', bucket, events: ['s3:ObjectCreated:Copy'] },
        { kind: 's3', functionName: 'removals', bucket, events: ['s3:ObjectRemoved:*'] },
        { kind: 's3', functionName: 'everything-created', bucket, events: ['s3:ObjectCreated:*'] },
      ],
      invoker,
    );
    await put(bucket, 'original.txt', 'hello');
    await s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: 'copy.txt', CopySource: `${bucket}/original.txt` }),
    );
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'original.txt' }));
    await waitFor('the removal', () => keysOf(invoker, 'removals').length === 1);
    await delay(100);

    expect(keysOf(invoker, 'puts')).toEqual(['original.txt']);
    expect(keysOf(invoker, 'copies')).toEqual(['copy.txt']);
    expect(recordsOf(invoker, 'everything-created').map((record) => record.eventName)).toEqual([
      'ObjectCreated:Put',
      'ObjectCreated:Copy',
    ]);
    const removal = recordsOf(invoker, 'removals')[0]!;
    expect(removal.eventName).toBe('ObjectRemoved:Delete');
    // Removals carry no size or ETag.
    expect(Object.keys(removal.s3.object).sort()).toEqual(['key', 'sequencer']);
    const [created, removed] = [recordsOf(invoker, 'puts')[0]!, removal].map((r) =>
      BigInt(`0x${r.s3.object.sequencer}`),
    );
    expect(removed! > created!).toBe(true);
    // Each configuration is told apart in the event too.
    const ids = new Set(
      invoker.invocations.map(
        (i) => (i.payload as { Records: S3EventRecord[] }).Records[0]!.s3.configurationId,
      ),
    );
    expect(ids.size).toBe(4);
  });

  test('a browser-form POST upload and a multipart upload each announce one creation of their kind', async () => {
    const bucket = await createBucket();
    const invoker = new TestInvoker();
    await start([{ kind: 's3', functionName: 'fn', bucket, events: ['s3:ObjectCreated:*'] }], invoker);
    const form = new FormData();
    form.append('key', 'posted.txt');
    form.append('file', new Blob(['from a form']), 'posted.txt');
    const response = await fetch(`${emulators.endpoints.s3}/${bucket}`, { method: 'POST', body: form });
    expect(response.status).toBeLessThan(300);
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'parts.bin' }),
    );
    const part = await s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: 'parts.bin', UploadId, PartNumber: 1, Body: 'only part' }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'parts.bin',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    await waitFor('the multipart upload', () => keysOf(invoker, 'fn').includes('parts.bin'));
    await delay(100);
    expect(recordsOf(invoker, 'fn').map((record) => [record.eventName, record.s3.object.key])).toEqual([
      ['ObjectCreated:Post', 'posted.txt'],
      ['ObjectCreated:CompleteMultipartUpload', 'parts.bin'],
    ]);
    expect(recordsOf(invoker, 'fn')[0]!.s3.object.size).toBe(Buffer.byteLength('from a form'));
  });

  test('a POST upload whose two spy records straddle a millisecond is still one ObjectCreated:Post', async () => {
    const bucket = await createBucket();
    await put(bucket, 'posted.txt', 'from a form');
    const invoker = new TestInvoker();
    await start([{ kind: 's3', functionName: 'fn', bucket, events: ['s3:ObjectCreated:*'] }], invoker);
    // What fauxqs's POST handler records, with its two Date.now() readings a millisecond apart (its
    // spy is typed as a reader; the emulator writes to it as below).
    const spy = emulators.fauxqs.spy as unknown as { addMessage(message: object): void };
    const now = Date.now();
    spy.addMessage({
      service: 's3',
      bucket,
      key: 'posted.txt',
      status: 'uploaded',
      timestamp: now,
    });
    spy.addMessage({
      service: 's3',
      bucket,
      key: 'posted.txt',
      status: 'uploaded',
      timestamp: now + 1,
    });
    await waitFor('the POST upload', () => keysOf(invoker, 'fn').includes('posted.txt'));
    await delay(100);
    expect(recordsOf(invoker, 'fn').map((record) => [record.eventName, record.s3.object.key])).toEqual([
      ['ObjectCreated:Post', 'posted.txt'],
    ]);
  });

  test('objects written before the notifications started are not announced', async () => {
    const bucket = await createBucket();
    await put(bucket, 'old.txt');
    const invoker = new TestInvoker();
    await start([{ kind: 's3', functionName: 'fn', bucket, events: ['s3:ObjectCreated:*'] }], invoker);
    await put(bucket, 'new.txt');
    await waitFor('the new object', () => invoker.invocations.length >= 1);
    await delay(100);
    expect(keysOf(invoker, 'fn')).toEqual(['new.txt']);
  });
});

describe('asynchronous invocation', () => {
  test('a failed invocation is retried after the configured delays and succeeds', async () => {
    const bucket = await createBucket();
    const invoker = new TestInvoker();
    const attemptsAt: number[] = [];
    invoker.handler = () => {
      attemptsAt.push(Date.now());
      if (attemptsAt.length < 3) throw new Error('function failed');
    };
    const log = new MemoryLog();
    await start([{ kind: 's3', functionName: 'fn', bucket, events: ['s3:ObjectCreated:*'] }], invoker, log, {
      retryDelaysMs: [100, 200],
    });
    await put(bucket, 'retry.txt');
    await waitFor('three attempts', () => attemptsAt.length === 3);
    expect(attemptsAt[1]! - attemptsAt[0]!).toBeGreaterThanOrEqual(90);
    expect(attemptsAt[2]! - attemptsAt[1]!).toBeGreaterThanOrEqual(190);
    await delay(300);
    expect(attemptsAt).toHaveLength(3);
    expect(log.lines.some((line) => line.includes('dropped'))).toBe(false);
  });

  test('after two retries the event is dropped and the drop logged', async () => {
    const bucket = await createBucket();
    const invoker = new TestInvoker();
    invoker.handler = () => {
      throw new Error('always fails');
    };
    const log = new MemoryLog();
    await start([{ kind: 's3', functionName: 'fn', bucket, events: ['s3:ObjectCreated:*'] }], invoker, log);
    await put(bucket, 'doomed.txt');
    await waitFor('the drop', () => log.lines.some((line) => line.includes('dropped')));
    expect(invoker.invocations).toHaveLength(3);
    expect(log.lines.find((line) => line.includes('dropped'))).toContain('doomed.txt');
  });

  const RETRY_DELAY_MS = 60_000;

  test('stop does not wait out a retry delay', async () => {
    const bucket = await createBucket();
    const invoker = new TestInvoker();
    invoker.handler = () => {
      throw new Error('fails');
    };
    const handle = await start(
      [{ kind: 's3', functionName: 'fn', bucket, events: ['s3:ObjectCreated:*'] }],
      invoker,
      new MemoryLog(),
      { retryDelaysMs: [RETRY_DELAY_MS, RETRY_DELAY_MS * 2] },
    );
    await put(bucket, 'waiting.txt');
    await waitFor('the first attempt', () => invoker.invocations.length === 1);
    running.splice(running.indexOf(handle), 1);
    expect(await settlesBefore(handle.stop(), RETRY_DELAY_MS)).toBe(true);
    expect(invoker.invocations).toHaveLength(1);
  }, 120_000);
});
