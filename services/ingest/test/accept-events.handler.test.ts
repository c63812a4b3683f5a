import { afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { createEnvelopeSigner, createEnvelopeVerifier, generateSigningKeyPair } from '@herald/shared/signing';
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
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { generousLimits, MemoryIdempotencyStore, MemoryQueue, MemoryRateLimitStore } from './support/memory';

const keys = generateSigningKeyPair('ingest-test');
const verifier = createEnvelopeVerifier([keys.publicJwk]);

let auth: AuthFixture;
let queue: MemoryQueue;
let idempotency: MemoryIdempotencyStore;
let logs: ReturnType<typeof captureLogs>;
let handler: HttpLambdaHandler;

beforeAll(async () => {
  // A function reads its auth settings at cold start: set them, then load the handler module.
  auth = await authEnvironment();
  const { createHandler } = await import('../src/handlers/accept-events');
  const signer = createEnvelopeSigner(keys.privateJwk);
  handler = createHandler(async () => ({ queue, signer, idempotency, limits: new MemoryRateLimitStore() }), {
    maxBodyBytes: 512 * 1024,
    idempotencyTtlSeconds: 3600,
    limits: generousLimits,
  });
});
beforeEach(() => {
  queue = new MemoryQueue();
  idempotency = new MemoryIdempotencyStore();
  logs = captureLogs();
});
afterEach(() => logs.restore());

async function post(
  body: unknown,
  headers?: Record<string, string>,
): Promise<APIGatewayProxyStructuredResultV2> {
  const event = httpEvent({
    headers: headers ?? (await auth.headers({ claims: { scope: 'events:write' } })),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return (await handler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
}

const event = (n: number) => ({ type: 'order.created', data: { n } });

describe('POST /v1/events', () => {
  test('one event: 202 with its id, a signed envelope for the token’s tenant on the queue', async () => {
    const response = await post(event(1), {
      ...(await auth.headers({ claims: { scope: 'events:write', tenant: 'globex' } })),
      'x-correlation-id': 'req-123',
    });

    expect(response.statusCode).toBe(202);
    const { ids } = JSON.parse(response.body!);
    expect(ids).toEqual([expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/)]);
    expect(queue.sent).toHaveLength(1);
    expect(verifier.verify(queue.sent[0])).toMatchObject({
      id: ids[0],
      tenantid: 'globex',
      correlationid: 'req-123',
    });
    expect(header(response, 'x-correlation-id')).toBe('req-123');
    // What the request cost in AWS calls (none here: the queue is a stand-in) is on its summary line.
    expect(logs.lines().find((line) => line.message === 'Request completed')).toMatchObject({
      status: 202,
      awsCalls: {},
    });
  });

  test('a batch of 100: 202 with the ids in order', async () => {
    const events = Array.from({ length: 100 }, (_, i) => ({ ...event(i), id: `evt-${i}` }));
    const response = await post({ events });
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body!).ids).toEqual(events.map((e) => e.id));
    expect(queue.sent.map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  test('server-assigned ids of a batch sort in the order of the batch', async () => {
    const response = await post({ events: Array.from({ length: 100 }, (_, i) => event(i)) });
    const { ids } = JSON.parse(response.body!) as { ids: string[] };
    expect(new Set(ids).size).toBe(100);
    expect([...ids].sort()).toEqual(ids);
  });

  test('some events not queued: 207 naming exactly which, so only those are retried', async () => {
    queue.refuse = (e) => e.id === 'b';
    const response = await post({ events: ['a', 'b', 'c'].map((id) => ({ ...event(0), id })) });
    expect(response.statusCode).toBe(207);
    expect(JSON.parse(response.body!)).toEqual({
      ids: ['a', 'b', 'c'],
      accepted: 2,
      failed: 1,
      events: [
        { id: 'a', status: 'accepted' },
        { id: 'b', status: 'failed', retryable: true },
        { id: 'c', status: 'accepted' },
      ],
    });
  });

  test('the same Idempotency-Key again: 202 with the same ids, marked replayed, the same envelopes re-sent', async () => {
    const headers = {
      ...(await auth.headers({ claims: { scope: 'events:write' } })),
      'idempotency-key': '"8e03978e-40d5-43e8-bc93-6894a57f9324"',
    };
    const body = { events: [event(1), event(2)] };
    const first = await post(body, headers);
    const again = await post(body, { ...headers, 'x-correlation-id': 'another-request' });

    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(202);
    expect(JSON.parse(again.body!)).toEqual(JSON.parse(first.body!));
    expect(header(again, 'idempotent-replayed')).toBe('true');
    expect(header(first, 'idempotent-replayed')).toBeUndefined();
    expect(queue.sent.slice(2)).toEqual(queue.sent.slice(0, 2));
  });

  test('the same Idempotency-Key with another body: 422, nothing queued', async () => {
    const headers = {
      ...(await auth.headers({ claims: { scope: 'events:write' } })),
      'idempotency-key': 'order-42',
    };
    await post(event(1), headers);
    const problem = expectProblem(await post(event(2), headers), 422);
    expect(problem.type).toBe('https://herald.dev/problems/idempotency-key-reused');
    expect(queue.sent).toHaveLength(1);
  });

  test.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['with a space', 'two words'],
  ])('an Idempotency-Key %s: 400, nothing queued', async (_name, key) => {
    const headers = {
      ...(await auth.headers({ claims: { scope: 'events:write' } })),
      'idempotency-key': key,
    };
    const problem = expectProblem(await post(event(1), headers), 400);
    expect(problem.type).toBe('https://herald.dev/problems/invalid-idempotency-key');
    expect(queue.sent).toHaveLength(0);
  });

  test('nothing queued: 503 problem with Retry-After', async () => {
    queue.refuse = () => true;
    const response = await post(event(1));
    const problem = expectProblem(response, 503);
    expect(header(response, 'retry-after')).toBe('1');
    expect(problem.events).toEqual([{ id: expect.any(String), status: 'failed', retryable: true }]);
  });

  test('a 503 does not claim nothing was queued, and the retry it asks for keeps the ids', async () => {
    // The queue's answer can be lost after it took the batch: the client must resend the same ids.
    queue.refuse = () => true;
    const problem = expectProblem(await post(event(1)), 503);
    expect(problem.detail).toMatch(/may have been queued/);
    const [{ id }] = problem.events as [{ id: string }];
    queue.refuse = () => false;
    const retried = await post({ ...event(1), id });
    expect(retried.statusCode).toBe(202);
    expect(queue.sent.map((envelope) => envelope.id)).toEqual([id]);
  });

  test.each([
    ['101 events', { events: Array.from({ length: 101 }, (_, i) => event(i)) }, '/body/events'],
    ['an empty batch', { events: [] }, '/body/events'],
    ['a bad type name', { type: 'Order Created', data: {} }, '/body/type'],
    ['no data', { type: 'order.created' }, '/body'],
    ['a non-UTC-parsable time', { type: 'order.created', data: {}, time: 'yesterday' }, '/body/time'],
    ['an unknown field', { type: 'order.created', data: {}, tenantid: 'other' }, '/body'],
    ['an id with a slash', { type: 'order.created', data: {}, id: 'a/b' }, '/body/id'],
  ])('%s: 422 naming the violation, nothing queued', async (_name, body, pointer) => {
    const problem = expectProblem(await post(body), 422);
    expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer })]));
    expect(JSON.stringify(problem)).not.toContain('other');
    expect(queue.sent).toHaveLength(0);
  });

  test('malformed JSON: 400, nothing queued', async () => {
    expectProblem(await post('{"type": "order.created",'), 400);
    expect(queue.sent).toHaveLength(0);
  });

  test('wrong content type: 415, nothing queued', async () => {
    const headers = {
      ...(await auth.headers({ claims: { scope: 'events:write' } })),
      'content-type': 'text/plain',
    };
    expectProblem(await post(event(1), headers), 415);
    expect(queue.sent).toHaveLength(0);
  });

  test('a body over the limit: 413, nothing queued', async () => {
    expectProblem(await post({ type: 'order.created', data: 'x'.repeat(513 * 1024) }), 413);
    expect(queue.sent).toHaveLength(0);
  });

  test('an event too large for a queue message once signed: 413 naming it, nothing queued', async () => {
    const events = [event(1), { type: 'order.created', data: 'x'.repeat(300 * 1024) }];
    const problem = expectProblem(await post({ events }), 413);
    expect(problem.type).toBe('https://herald.dev/problems/event-too-large');
    expect(problem.errors).toEqual([{ pointer: '/body/events/1', message: expect.stringMatching(/larger/) }]);
    expect(queue.sent).toHaveLength(0);
  });

  test('no token: 401 with a Bearer challenge, nothing queued', async () => {
    const response = await post(event(1), { 'content-type': 'application/json' });
    expectProblem(response, 401);
    expect(header(response, 'www-authenticate')).toMatch(/^Bearer realm="herald"/);
    expect(queue.sent).toHaveLength(0);
  });

  test('a token without events:write: 403, nothing queued', async () => {
    const response = await post(event(1), await auth.headers({ claims: { scope: 'events:read' } }));
    expectProblem(response, 403);
    expect(header(response, 'www-authenticate')).toMatch(/insufficient_scope/);
    expect(queue.sent).toHaveLength(0);
  });

  test('an expired token: 401, nothing queued', async () => {
    expectProblem(
      await post(event(1), await auth.headers({ claims: { scope: 'events:write' }, expiresIn: -3600 })),
      401,
    );
    expect(queue.sent).toHaveLength(0);
  });
});
