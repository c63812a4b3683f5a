// The limits as POST /v1/events and POST /v1/uploads answer them: a refused request leaves nothing
// behind (no envelope queued, no idempotency key claimed, no upload recorded).
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
import type { HttpContext, HttpLambdaHandler } from '@herald/shared/entry/http';
import type { TenantSettings } from '@herald/shared/tenants/authorizer-context';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { callerLimits, type LimitSettings } from '../src/routes/limits';
import {
  MemoryIdempotencyStore,
  MemoryQueue,
  MemoryRateLimitStore,
  MemoryUploadStore,
} from './support/memory';

const limits: LimitSettings = {
  windowSeconds: 60, // one window for the whole test: no boundary falls inside it by chance
  defaults: { ingestRequestsPerSecond: 1000, ingestEventsPerSecond: 1000, uploadBytesPerDay: 10_000 },
  // acme's own limits, as the stage names them: 2 requests and 4 events a second, 120 and 240 a window.
  tenants: {
    acme: { ingestRequestsPerSecond: 2, ingestEventsPerSecond: 4, uploadBytesPerDay: 1000 },
    tiny: { ingestEventsPerSecond: 1 },
  },
};

let auth: AuthFixture;
let queue: MemoryQueue;
let idempotency: MemoryIdempotencyStore;
let store: MemoryRateLimitStore;
let uploads: MemoryUploadStore;
let logs: ReturnType<typeof captureLogs>;
let accept: HttpLambdaHandler;
let createUpload: HttpLambdaHandler;

beforeAll(async () => {
  auth = await authEnvironment();
  const signer = createEnvelopeSigner(generateSigningKeyPair('ingest-test').privateJwk);
  accept = (await import('../src/handlers/accept-events')).createHandler(
    async () => ({ queue, signer, idempotency, limits: store }),
    { maxBodyBytes: 1024 * 1024, idempotencyTtlSeconds: 3600, limits },
  );
  createUpload = (await import('../src/handlers/create-upload')).createHandler(
    () => ({
      store: uploads,
      limits: store,
      presign: async () => ({ url: 'http://s3.test/x', headers: {} }),
    }),
    { maxUploadBytes: 5000, urlExpirySeconds: 300, retentionDays: 1, limits },
  );
});
beforeEach(() => {
  queue = new MemoryQueue();
  idempotency = new MemoryIdempotencyStore();
  store = new MemoryRateLimitStore();
  uploads = new MemoryUploadStore();
  logs = captureLogs();
});
afterEach(() => logs.restore());

async function call(
  handler: HttpLambdaHandler,
  path: string,
  body: unknown,
  tenant = 'acme',
  extra: Record<string, string> = {},
): Promise<APIGatewayProxyStructuredResultV2> {
  const headers = { ...(await auth.headers({ claims: { scope: 'events:write', tenant } })), ...extra };
  const event = httpEvent({ headers, body: JSON.stringify(body), path });
  return (await handler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
}
const batch = (n: number) => ({
  events: Array.from({ length: n }, (_, i) => ({ type: 'order.created', data: { i } })),
});

describe('rates on POST /v1/events', () => {
  test('a success carries the RateLimit fields', async () => {
    const response = await call(accept, '/v1/events', batch(3));
    expect(response.statusCode).toBe(202);
    expect(header(response, 'ratelimit-policy')).toBe('"requests";q=120;w=60, "events";q=240;w=60');
    expect(header(response, 'ratelimit')).toMatch(/^"requests";r=119;t=\d+, "events";r=237;t=\d+$/);
  });

  test('a batch over what is left of the events is refused whole: 429, Retry-After, nothing queued or claimed', async () => {
    expect((await call(accept, '/v1/events', batch(100))).statusCode).toBe(202);
    expect((await call(accept, '/v1/events', batch(100))).statusCode).toBe(202);
    const response = await call(accept, '/v1/events', batch(41), 'acme', { 'idempotency-key': 'k-41' });
    const problem = expectProblem(response, 429);
    expect(problem).toMatchObject({
      type: 'https://herald.dev/problems/rate-limited',
      quota: 'ingestEventsPerSecond',
      limit: 4,
      current: 200,
      requested: 41,
      refusedWhole: true,
    });
    expect(problem.detail).toMatch(/The batch of 41 events was refused whole: none was accepted/);
    expect(Number(header(response, 'retry-after'))).toBeGreaterThanOrEqual(1);
    expect(header(response, 'ratelimit')).toMatch(/"events";r=40;/);
    expect(queue.sent).toHaveLength(200);
    expect(idempotency.records.size).toBe(0);
    // What is left still fits.
    expect((await call(accept, '/v1/events', batch(40))).statusCode).toBe(202);
  });

  test('a batch larger than a whole window is refused, saying it can never be accepted as one', async () => {
    const problem = expectProblem(await call(accept, '/v1/events', batch(61), 'tiny'), 429);
    expect(problem.detail).toMatch(/can never be accepted as one request; split it/);
    expect(queue.sent).toHaveLength(0);
    expect(store.calls).toBe(0);
  });

  test("another tenant's rate is its own, at the stage's defaults", async () => {
    for (let i = 0; i < 3; i++) await call(accept, '/v1/events', batch(100));
    expect((await call(accept, '/v1/events', batch(100), 'globex')).statusCode).toBe(202);
  });

  test("the tenant's own settings (from the authorizer) take over the stage's, limit by limit", () => {
    const context = (settings?: TenantSettings) =>
      ({
        auth: { tenantId: 'acme', subject: 's', scopes: [], credential: 'api_key', settings },
      }) as unknown as HttpContext;
    expect(callerLimits(context(), limits)).toEqual({
      ingestRequestsPerSecond: 2,
      ingestEventsPerSecond: 4,
      uploadBytesPerDay: 1000,
    });
    expect(callerLimits(context({ limits: { ingestEventsPerSecond: 50 } }), limits)).toEqual({
      ingestRequestsPerSecond: 2,
      ingestEventsPerSecond: 50,
      uploadBytesPerDay: 1000,
    });
  });

  test('a limits table that cannot be reached: 503 with Retry-After, nothing queued (fail closed)', async () => {
    store.unavailable = true;
    const response = await call(accept, '/v1/events', batch(2));
    expect(expectProblem(response, 503).detail).toMatch(/nothing of this request was accepted/);
    expect(header(response, 'retry-after')).toBe('1');
    expect(queue.sent).toHaveLength(0);
  });
});

describe('POST /v1/uploads', () => {
  test("counts the declared bytes on the tenant's day and refuses an upload past them: 409, nothing recorded", async () => {
    const first = await call(createUpload, '/v1/uploads', { size: 700 });
    expect(first.statusCode).toBe(201);
    expect(header(first, 'ratelimit-policy')).toContain('"requests";q=120;w=60');
    const refused = await call(createUpload, '/v1/uploads', { size: 301 });
    expect(expectProblem(refused, 409, '/v1/uploads')).toMatchObject({
      type: 'https://herald.dev/problems/quota-exceeded',
      quota: 'uploadBytesPerDay',
      limit: 1000,
      current: 700,
    });
    expect(uploads.records.size).toBe(1);
    expect((await call(createUpload, '/v1/uploads', { size: 300 })).statusCode).toBe(201);
  });
});
