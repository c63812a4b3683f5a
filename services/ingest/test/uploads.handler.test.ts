import { afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { createEnvelopeSigner, generateSigningKeyPair } from '@herald/shared/signing';
import {
  authEnvironment,
  captureLogs,
  expectProblem,
  header,
  httpEvent,
  lambdaContext,
  type AuthFixture,
} from '@herald/shared/testing/http';
import type { HttpLambdaHandler } from '@herald/shared/entry/http';
import type { APIGatewayProxyStructuredResultV2, S3Event } from 'aws-lambda';
import validateLine from '../src/schemas/upload-line.validator.generated';
import { objectKey, uploadNotifications } from '../src/upload-notifications';
import { pageCursor, REJECTIONS_PER_PAGE, uploadObjectKey } from '../src/uploads';
import {
  generousLimits,
  MemoryFiles,
  MemoryQueue,
  MemoryRateLimitStore,
  MemoryUploadStore,
} from './support/memory';

const BUCKET = 'herald-test-ingest-uploads';
let auth: AuthFixture;
let store: MemoryUploadStore;
let files: MemoryFiles;
let queue: MemoryQueue;
let logs: ReturnType<typeof captureLogs>;
let createUpload: HttpLambdaHandler;
let getUpload: HttpLambdaHandler;
let onUpload: (event: S3Event, context: ReturnType<typeof lambdaContext>) => Promise<void>;
const presigned: Array<{ key: string; size: number; expiresInSeconds: number }> = [];

beforeAll(async () => {
  auth = await authEnvironment();
  const create = await import('../src/handlers/create-upload');
  const get = await import('../src/handlers/get-upload');
  createUpload = create.createHandler(
    () => ({
      store,
      limits: new MemoryRateLimitStore(),
      presign: async (request) => {
        presigned.push(request);
        return {
          url: `http://s3.test/${BUCKET}/${request.key}?X-Amz-Signature=abc`,
          headers: { 'content-type': request.contentType, 'content-length': String(request.size) },
        };
      },
    }),
    { maxUploadBytes: 10_000, urlExpirySeconds: 300, retentionDays: 7, limits: generousLimits },
  );
  getUpload = get.createHandler(() => store);
  const signer = createEnvelopeSigner(generateSigningKeyPair('ingest-test').privateJwk);
  onUpload = uploadNotifications(
    async () => ({ store, files, queue, signer, validateLine, now: () => new Date(), maxAttempts: 3 }),
    () => ({ bucket: BUCKET }),
  );
});
beforeEach(() => {
  store = new MemoryUploadStore();
  files = new MemoryFiles();
  queue = new MemoryQueue();
  presigned.length = 0;
  logs = captureLogs();
});
afterEach(() => logs.restore());

const call = async (handler: HttpLambdaHandler, event: ReturnType<typeof httpEvent>) =>
  (await handler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;

async function create(body: unknown, claims: Record<string, unknown> = {}) {
  return call(
    createUpload,
    httpEvent({
      path: '/v1/uploads',
      headers: await auth.headers({ claims: { scope: 'events:write', ...claims } }),
      body: JSON.stringify(body),
    }),
  );
}

async function get(id: string, options: { tenant?: string; cursor?: string; scope?: string } = {}) {
  return call(
    getUpload,
    httpEvent({
      method: 'GET',
      path: `/v1/uploads/${id}`,
      headers: await auth.headers({
        claims: { scope: options.scope ?? 'events:write', tenant: options.tenant ?? 'acme' },
      }),
      pathParameters: { id },
      ...(options.cursor ? { queryStringParameters: { cursor: options.cursor } } : {}),
    }),
  );
}

function s3Event(key: string, bucket = BUCKET, eventName = 'ObjectCreated:Put'): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2026-11-28T10:01:00.000Z',
        eventName,
        userIdentity: { principalId: 'AWS:1' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'r', 'x-amz-id-2': 'i' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'onUpload',
          bucket: { name: bucket, ownerIdentity: { principalId: '1' }, arn: `arn:aws:s3:::${bucket}` },
          object: { key, size: 1, eTag: 'e', sequencer: '1' },
        },
      },
    ],
  };
}

describe('POST /v1/uploads', () => {
  test('201 with the upload id, a presigned PUT under the tenant’s prefix and the headers to send', async () => {
    const response = await create({ size: 1234 }, { tenant: 'globex' });
    expect(response.statusCode).toBe(201);
    const body = JSON.parse(response.body!);
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      status: 'pending',
      upload: {
        method: 'PUT',
        url: expect.stringContaining(`/uploads/globex/${body.id}.ndjson`),
        headers: { 'content-type': 'application/x-ndjson', 'content-length': '1234' },
        expiresAt: expect.any(String),
      },
    });
    expect(header(response, 'location')).toBe(`/v1/uploads/${body.id}`);
    expect(presigned).toEqual([
      expect.objectContaining({ key: `uploads/globex/${body.id}.ndjson`, size: 1234, expiresInSeconds: 300 }),
    ]);
    expect(await store.get('globex', body.id)).toMatchObject({ status: 'pending', size: 1234 });
  });

  test.each([
    ['no size', {}, '/body/size'],
    ['a size of 0', { size: 0 }, '/body/size'],
    ['a fractional size', { size: 1.5 }, '/body/size'],
    ['a size over the stage’s limit', { size: 10_001 }, '/body/size'],
    ['an unknown member', { size: 1, key: '../other/x' }, '/body'],
  ])('%s: 422 naming it, nothing recorded', async (_name, body, pointer) => {
    const problem = expectProblem(await create(body), 422, '/v1/uploads');
    expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer })]));
    expect(store.records.size).toBe(0);
    expect(presigned).toHaveLength(0);
  });

  test('no events:write scope: 403, nothing recorded', async () => {
    expectProblem(await create({ size: 1 }, { scope: 'events:read' }), 403, '/v1/uploads');
    expect(store.records.size).toBe(0);
  });
});

describe('GET /v1/uploads/{id}', () => {
  test('pending, then processed: the report lists each rejected line, paged', async () => {
    const created = JSON.parse((await create({ size: 10_000 })).body!);
    expect(JSON.parse((await get(created.id)).body!)).toMatchObject({ id: created.id, status: 'pending' });

    const bad = Array.from({ length: REJECTIONS_PER_PAGE + 1 }, () => 'oops');
    const content = ['{"type":"order.created","data":{}}', ...bad].join('\n');
    const record = (await store.get('acme', created.id))!;
    record.size = content.length;
    store.records.set(`acme|${created.id}`, record);
    files.put(uploadObjectKey('acme', created.id), content);
    await onUpload(s3Event(uploadObjectKey('acme', created.id)), lambdaContext());

    const first = await get(created.id);
    expect(first.statusCode).toBe(200);
    const view = JSON.parse(first.body!);
    expect(view).toMatchObject({
      status: 'completed',
      report: { lines: REJECTIONS_PER_PAGE + 2, accepted: 1, rejected: REJECTIONS_PER_PAGE + 1, blank: 0 },
    });
    expect(view.report.rejections).toHaveLength(REJECTIONS_PER_PAGE);
    expect(view.report.rejections[0]).toEqual({ line: 2, reason: 'is not valid JSON' });
    expect(view.report.nextCursor).toBe(pageCursor(1));

    const second = JSON.parse((await get(created.id, { cursor: view.report.nextCursor })).body!);
    expect(second.report.rejections).toEqual([
      { line: REJECTIONS_PER_PAGE + 2, reason: 'is not valid JSON' },
    ]);
    expect(second.report.nextCursor).toBeUndefined();
  });

  test('another tenant’s upload is not found', async () => {
    const created = JSON.parse((await create({ size: 10 })).body!);
    expectProblem(await get(created.id, { tenant: 'globex' }), 404, `/v1/uploads/${created.id}`);
  });

  test('an unknown id is 404, a malformed one 422, a made-up cursor 400', async () => {
    expectProblem(await get('01JDZQ8B4WZ3T6V7X8Y9ZA0B1C'), 404, '/v1/uploads/01JDZQ8B4WZ3T6V7X8Y9ZA0B1C');
    expectProblem(await get('not-an-id'), 422, '/v1/uploads/not-an-id');
    const created = JSON.parse((await create({ size: 10 })).body!);
    expectProblem(await get(created.id, { cursor: 'bm9wZQ' }), 400, `/v1/uploads/${created.id}`);
    expectProblem(await get(created.id, { cursor: pageCursor(5) }), 400, `/v1/uploads/${created.id}`);
  });
});

describe('onUpload', () => {
  test('decodes the key as S3 writes it in events', async () => {
    const event = s3Event('uploads/acme/a+b%2Bc%C3%A9.ndjson');
    expect(objectKey(event.Records[0]!)).toBe('uploads/acme/a b+cé.ndjson');
    expect(objectKey(s3Event('uploads/acme/%E0%A4%A.ndjson').Records[0]!)).toBeUndefined();
  });

  test('ignores other buckets and removals; logs an object without an upload as a security event', async () => {
    await onUpload(
      s3Event('uploads/acme/01JDZQ8B4WZ3T6V7X8Y9ZA0B1C.ndjson', 'other-bucket'),
      lambdaContext(),
    );
    await onUpload(
      s3Event('uploads/acme/01JDZQ8B4WZ3T6V7X8Y9ZA0B1C.ndjson', BUCKET, 'ObjectRemoved:Delete'),
      lambdaContext(),
    );
    await onUpload(s3Event('uploads/acme/01JDZQ8B4WZ3T6V7X8Y9ZA0B1C.ndjson'), lambdaContext());
    expect(queue.sent).toHaveLength(0);
    const warnings = logs.lines().filter((line) => line.level === 'WARN');
    expect(warnings.map((line) => line.message)).toEqual([
      'Notification ignored: not a new object in the uploads bucket',
      'Notification ignored: not a new object in the uploads bucket',
      'Object in the uploads bucket without an upload',
    ]);
    expect(warnings[2]).toMatchObject({ securityEvent: 'upload.unknown-object' });
  });

  test('a failure before the last attempt fails the invocation, so Lambda retries it', async () => {
    const line = '{"type":"order.created","data":{}}';
    const created = JSON.parse((await create({ size: line.length })).body!);
    const key = uploadObjectKey('acme', created.id);
    files.put(key, line);
    files.failAfterChunks = [0];
    await expect(onUpload(s3Event(key), lambdaContext())).rejects.toThrow('connection reset');
    await onUpload(s3Event(key), lambdaContext());
    expect(await store.get('acme', created.id)).toMatchObject({ status: 'completed', attempts: 2 });
  });
});
