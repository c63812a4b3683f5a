/**
 * Valid JSON that Herald cannot carry as sent is refused at intake naming the field (422, or the
 * upload line alone), never answered 500, never rounded, never lost later; a queue that refuses an
 * event for good is never reported as something to retry.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { Envelope, JsonValue } from '@herald/shared/contracts';
import type { HttpLambdaHandler } from '@herald/shared/entry/http';
import { createEnvelopeSigner, createEnvelopeVerifier, generateSigningKeyPair } from '@herald/shared/signing';
import {
  authEnvironment,
  captureLogs,
  expectProblem,
  httpEvent,
  lambdaContext,
  type AuthFixture,
} from '@herald/shared/testing/http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { acceptEvents, envelopeBytes, MAX_ENVELOPE_BYTES, type QueueFailure } from '../src/accept-events';
import { MAX_DATA_DEPTH, timeProblem } from '../src/event-checks';
import { parseLine } from '../src/ndjson';
import { processUpload } from '../src/process-upload';
import validateLine from '../src/schemas/upload-line.validator.generated';
import { uploadObjectKey, type UploadRecord } from '../src/uploads';
import {
  generousLimits,
  MemoryFiles,
  MemoryIdempotencyStore,
  MemoryQueue,
  MemoryRateLimitStore,
  MemoryUploadStore,
} from './support/memory';

const keys = generateSigningKeyPair('ingest-test');
const signer = createEnvelopeSigner(keys.privateJwk);
const verifier = createEnvelopeVerifier([keys.publicJwk]);

const nested = (depth: number): JsonValue => {
  let value: JsonValue = 'leaf';
  for (let level = 0; level < depth; level++) value = { level: value };
  return value;
};

/** A queue that refuses some envelopes for good, as SQS does a message it finds invalid. */
class RefusingQueue extends MemoryQueue {
  refuseForGood: (envelope: Envelope) => boolean = () => false;
  override async send(envelopes: readonly Envelope[]) {
    const refused = envelopes.filter((e) => this.refuseForGood(e));
    const failures = new Map<string, QueueFailure>(
      await super.send(envelopes.filter((e) => !refused.includes(e))),
    );
    for (const e of refused) failures.set(e.id, { retryable: false, code: 'InvalidMessageContents' });
    return failures;
  }
}

describe('times a Date cannot hold are refused naming the field', () => {
  test.each([
    ['2016-12-31T23:59:60Z', /leap second/],
    ['2016-12-31T23:59:60.5+00:00', /leap second/],
    ['0000-01-01T00:00:00+01:00', /outside the years 0000-9999/],
    ['9999-12-31T23:59:59-01:00', /outside the years 0000-9999/],
  ])('%s', (time, message) => {
    expect(timeProblem(time)).toMatch(message);
  });

  test.each([
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '2016-12-31t23:59:59z',
    '2024-02-29T12:00:00+14:00',
  ])('%s is fine', (time) => expect(timeProblem(time)).toBeUndefined());
});

describe('acceptEvents', () => {
  const caller = { tenantId: 'acme', correlationId: 'corr-1' };
  let queue: RefusingQueue;
  const deps = () => ({
    queue,
    signer,
    idempotency: new MemoryIdempotencyStore(),
    newId: (() => {
      let n = 0;
      return () => `id-${++n}`;
    })(),
    now: () => new Date('2026-11-28T10:00:00.000Z'),
    idempotencyTtlSeconds: 3600,
  });
  beforeEach(() => {
    queue = new RefusingQueue();
  });

  test('what cannot be carried is refused before anything is signed or queued, each by index and path', async () => {
    const outcome = await acceptEvents(
      {
        events: [
          { type: 'a.b', data: 1, time: '2016-12-31T23:59:60Z' },
          { type: 'a.b', data: nested(MAX_DATA_DEPTH + 1) },
          { type: 'a.b', data: { text: 'x\uD800' }, subject: '\uDC00' },
          { type: 'a.b', data: nested(5000) },
          { type: 'a.b', data: nested(MAX_DATA_DEPTH), time: '0000-01-01T00:00:00Z' },
        ],
      },
      caller,
      deps(),
    );
    expect(outcome).toEqual({
      kind: 'invalid',
      violations: [
        { index: 0, path: '/time', message: expect.stringContaining('leap second') },
        {
          index: 1,
          path: `/data${'/level'.repeat(MAX_DATA_DEPTH)}`,
          message: expect.stringContaining('deeper'),
        },
        { index: 2, path: '/subject', message: expect.stringContaining('lone surrogate') },
        { index: 2, path: '/data/text', message: expect.stringContaining('lone surrogate') },
        {
          index: 3,
          path: `/data${'/level'.repeat(MAX_DATA_DEPTH)}`,
          message: expect.stringContaining('deeper'),
        },
      ],
    });
    expect(queue.calls).toBe(0);
  });

  test('U+FFFE and U+FFFF, which SQS refuses, are refused in a string or a member name', async () => {
    const outcome = await acceptEvents(
      {
        events: [
          { type: 'a.b', data: ['\uFFFE'] },
          { type: 'a.b', data: { 'key\uFFFF': 1 } },
        ],
      },
      caller,
      deps(),
    );
    expect(outcome).toEqual({
      kind: 'invalid',
      violations: [
        { index: 0, path: '/data/0', message: expect.stringContaining('U+FFFE or U+FFFF') },
        { index: 1, path: '/data', message: expect.stringContaining('member name') },
      ],
    });
  });

  test('a signed envelope carries ingesttime, the time the request came in, under the signature', async () => {
    const outcome = await acceptEvents(
      { type: 'a.b', data: { emoji: '😀', nonchar: '\uFDD0' } },
      caller,
      deps(),
    );
    expect(outcome.kind).toBe('queued');
    const [envelope] = queue.sent;
    expect(verifier.verify(envelope)).toMatchObject({ ingesttime: '2026-11-28T10:00:00.000Z' });
  });

  test('sizes are those of the message as sent: escaped characters count as escaped', async () => {
    // 22,000 emoji: 88 KB as UTF-8, 264 KB once escaped for the queue.
    const data = '😀'.repeat(22_000);
    const outcome = await acceptEvents({ type: 'a.b', data }, caller, deps());
    expect(outcome).toEqual({ kind: 'too-large', indexes: [0] });
    const [fits] = [await acceptEvents({ type: 'a.b', data: data.slice(0, 20_000) }, caller, deps())];
    expect(fits.kind).toBe('queued');
    expect(envelopeBytes(queue.sent[0]!)).toBeLessThanOrEqual(MAX_ENVELOPE_BYTES);
  });

  test('an event the queue refuses for good is failed, not retryable; the others are queued', async () => {
    queue.refuseForGood = (e) => (e.data as { n: number }).n === 2;
    const outcome = await acceptEvents(
      { events: [1, 2, 3].map((n) => ({ type: 'a.b', data: { n } })) },
      caller,
      deps(),
    );
    expect(outcome).toMatchObject({
      kind: 'queued',
      accepted: 2,
      failed: 1,
      items: [{ status: 'accepted' }, { status: 'failed', retryable: false }, { status: 'accepted' }],
    });
  });
});

describe('POST /v1/events', () => {
  let auth: AuthFixture;
  let queue: RefusingQueue;
  let handler: HttpLambdaHandler;
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    auth = await authEnvironment();
    const { createHandler } = await import('../src/handlers/accept-events');
    handler = createHandler(
      async () => ({
        queue,
        signer,
        idempotency: new MemoryIdempotencyStore(),
        limits: new MemoryRateLimitStore(),
      }),
      { maxBodyBytes: 1024 * 1024, idempotencyTtlSeconds: 3600, limits: generousLimits },
    );
  });
  beforeEach(() => {
    queue = new RefusingQueue();
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  const post = async (body: string) =>
    (await handler(
      httpEvent({ headers: await auth.headers({ claims: { scope: 'events:write' } }), body }),
      lambdaContext(),
    )) as APIGatewayProxyStructuredResultV2;

  test('an integer beyond 2^53, or a number beyond a double: 422 naming it, asking for a string', async () => {
    const problem = expectProblem(
      await post(
        '{"events":[{"type":"a.b","data":{"id":12345678901234567890}},{"type":"a.b","data":[1e400]}]}',
      ),
      422,
    );
    expect(problem.errors).toEqual([
      { pointer: '/body/events/0/data/id', message: expect.stringContaining('send it as a string') },
      { pointer: '/body/events/1/data/0', message: expect.stringContaining('too large for a double') },
    ]);
    expect(queue.sent).toEqual([]);
  });

  test('a leap second, a lone surrogate, nesting 1,000 deep: 422 naming each field', async () => {
    const deep = `${'['.repeat(1000)}1${']'.repeat(1000)}`;
    const body = `{"events":[{"type":"a.b","data":1,"time":"2016-12-31T23:59:60Z"},{"type":"a.b","data":"\\ud800"},{"type":"a.b","data":${deep}}]}`;
    const problem = expectProblem(await post(body), 422);
    expect(problem).toMatchObject({ type: 'https://herald.dev/problems/validation-failed' });
    expect((problem.errors as Array<{ pointer: string }>).map((e) => e.pointer)).toEqual([
      '/body/events/0/time',
      '/body/events/1/data',
      `/body/events/2/data${'/0'.repeat(MAX_DATA_DEPTH)}`,
    ]);
  });

  test('nesting 5,000 deep, past what the body parser reads: 422, never 500', async () => {
    const body = `{"type":"a.b","data":${'['.repeat(5000)}1${']'.repeat(5000)}}`;
    expectProblem(await post(body), 422);
  });

  test('emoji, other noncharacters, 1.5e-300 and 40 levels of nesting are taken: 202', async () => {
    const body = JSON.stringify({
      type: 'a.b',
      data: { text: '😀\uFDD0\u{10FFFF}', tiny: 1.5e-300, deep: nested(40) },
    });
    const response = await post(body);
    expect(response.statusCode).toBe(202);
    expect(verifier.verify(queue.sent[0]).data).toEqual(JSON.parse(body).data);
  });

  test('refused for good by the queue: 422, never a 503 asking for a retry', async () => {
    queue.refuseForGood = () => true;
    const problem = expectProblem(await post(JSON.stringify({ type: 'a.b', data: 1 })), 422);
    expect(problem).toMatchObject({
      type: 'https://herald.dev/problems/events-refused',
      events: [{ status: 'failed', retryable: false }],
    });
  });

  test('some refused for good, some for a passing reason: 207 saying which may be retried', async () => {
    queue.refuseForGood = (e) => (e.data as { n: number }).n === 1;
    queue.refuse = (e) => (e.data as { n: number }).n === 2;
    const response = await post(
      JSON.stringify({ events: [1, 2].map((n) => ({ type: 'a.b', data: { n } })) }),
    );
    expect(response.statusCode).toBe(207);
    expect(JSON.parse(response.body!).events).toEqual([
      { id: expect.any(String), status: 'failed', retryable: false },
      { id: expect.any(String), status: 'failed', retryable: true },
    ]);
  });
});

describe('uploads: each line on its own', () => {
  const line = (text: string, number = 1) =>
    parseLine({ number, tooLong: false, bytes: Buffer.from(text) }, validateLine, MAX_ENVELOPE_BYTES);

  test.each([
    ['{"type":"a.b","data":{"n":12345678901234567890}}', /\/data\/n .*send it as a string/],
    ['{"type":"a.b","data":-1e400}', /\/data .*too large for a double/],
    ['{"type":"a.b","data":1,"time":"2016-12-31T23:59:60Z"}', /\/time .*leap second/],
    ['{"type":"a.b","data":1,"time":"0000-01-01T00:00:00+01:00"}', /\/time .*0000-9999/],
    ['{"type":"a.b","data":"\\udc00"}', /\/data .*lone surrogate/],
    [`{"type":"a.b","data":${'['.repeat(5000)}${']'.repeat(5000)}}`, /nests deeper than 64/],
  ])('%s is rejected with the field named', (text, reason) => {
    expect(line(text)).toEqual({ line: 1, kind: 'rejected', reason: expect.stringMatching(reason) });
  });

  test('a line with __proto__ is an event like any other', () => {
    expect(line('{"type":"a.b","data":{"__proto__":{"x":1}}}')).toMatchObject({
      kind: 'event',
      event: { data: JSON.parse('{"__proto__":{"x":1}}') },
    });
  });

  /** Processes one uploaded file of these lines through `queue`, as onUpload would. */
  async function processLines(lines: readonly string[], queue: MemoryQueue) {
    const store = new MemoryUploadStore();
    const files = new MemoryFiles();
    const uploadId = '01JDZQ8B4WZ3T6V7X8Y9ZA0B1C';
    const key = uploadObjectKey('acme', uploadId);
    const content = Buffer.from(lines.join('\n'));
    const record: UploadRecord = {
      tenantId: 'acme',
      uploadId,
      status: 'pending',
      size: content.length,
      correlationId: 'corr-upload',
      createdAt: '2026-11-28T10:00:00.000Z',
      urlExpiresAt: '2026-11-28T10:05:00.000Z',
      expiresAt: 0,
    };
    await store.create(record);
    files.put(key, content);
    const result = await processUpload(
      { key, time: '2026-11-28T10:01:00.000Z' },
      {
        store,
        files,
        queue,
        signer,
        validateLine,
        now: () => new Date('2026-11-28T10:02:00.000Z'),
        maxAttempts: 3,
        sleep: async () => undefined,
      },
    );
    return {
      result,
      stored: (await store.get('acme', uploadId))!,
      rejections: store.allRejections('acme', uploadId),
    };
  }

  test('one bad line among good ones fails that line alone; the file completes', async () => {
    const queue = new MemoryQueue();
    const { result, rejections } = await processLines(
      [
        '{"type":"a.b","data":1}',
        '{"type":"a.b","data":1,"time":"2016-12-31T23:59:60Z"}',
        `{"type":"a.b","data":${'['.repeat(5000)}${']'.repeat(5000)}}`,
        '{"type":"a.b","data":{"big":9007199254740993}}',
        '{"type":"a.b","data":{"__proto__":{"emoji":"😀"}}}',
      ],
      queue,
    );
    expect(result).toMatchObject({ status: 'completed', summary: { lines: 5, accepted: 2, rejected: 3 } });
    expect(rejections.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(queue.sent.map((e) => verifier.verify(e).ingesttime)).toEqual([
      '2026-11-28T10:01:00.000Z',
      '2026-11-28T10:01:00.000Z',
    ]);
    expect(JSON.stringify(queue.sent[1]!.data)).toBe('{"__proto__":{"emoji":"😀"}}');
  });

  test('an event the queue refuses for good fails the upload at once, naming SQS’s code', async () => {
    const queue = new RefusingQueue();
    queue.refuseForGood = () => true;
    const { result, stored } = await processLines(['{"type":"a.b","data":1}'], queue);
    expect(result).toMatchObject({ status: 'failed' });
    expect(stored.failure).toMatch(/refused 1 event\(s\) for good \(InvalidMessageContents\)/);
    expect(queue.calls).toBe(1);
  });
});
