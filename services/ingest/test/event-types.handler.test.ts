import { beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { createEnvelopeSigner, generateSigningKeyPair } from '@herald/shared/signing';
import {
  authEnvironment,
  expectProblem,
  httpEvent,
  lambdaContext,
  type AuthFixture,
} from '@herald/shared/testing/http';
import type { HttpLambdaHandler } from '@herald/shared/entry/http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { CatalogCache } from '../src/catalog-cache';
import {
  generousLimits,
  MemoryEventTypeStore,
  MemoryIdempotencyStore,
  MemoryQueue,
  MemoryRateLimitStore,
} from './support/memory';
import { ORDER, ORDER_SCHEMA } from './support/schemas';

const keys = generateSigningKeyPair('ingest-test');

let auth: AuthFixture;
let store: MemoryEventTypeStore;
let queue: MemoryQueue;
let accept: HttpLambdaHandler;
let put: HttpLambdaHandler;
let get: HttpLambdaHandler;
let list: HttpLambdaHandler;

beforeAll(async () => {
  auth = await authEnvironment();
  const signer = createEnvelopeSigner(keys.privateJwk);
  const acceptModule = await import('../src/handlers/accept-events');
  accept = acceptModule.createHandler(
    async () => {
      // A cache with no TTL: each request sees the store as it is.
      const cache = new CatalogCache(store, { ttlMs: 0, maxTenants: 10, maxValidators: 10 });
      return {
        queue,
        signer,
        idempotency: new MemoryIdempotencyStore(),
        catalog: (t) => cache.forTenant(t),
        limits: new MemoryRateLimitStore(),
      };
    },
    { maxBodyBytes: 512 * 1024, idempotencyTtlSeconds: 3600, limits: generousLimits },
  );
  put = (await import('../src/handlers/put-event-type')).createHandler(() => store);
  get = (await import('../src/handlers/get-event-type')).createHandler(() => store);
  list = (await import('../src/handlers/list-event-types')).createHandler(() => store);
});
beforeEach(() => {
  store = new MemoryEventTypeStore();
  queue = new MemoryQueue();
});

type Call = {
  method: string;
  path: string;
  body?: unknown;
  scope: string;
  tenant?: string;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
};
async function call(handler: HttpLambdaHandler, options: Call): Promise<APIGatewayProxyStructuredResultV2> {
  const event = httpEvent({
    method: options.method,
    path: options.path,
    headers: await auth.headers({ claims: { scope: options.scope, tenant: options.tenant ?? 'acme' } }),
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(options.queryStringParameters ? { queryStringParameters: options.queryStringParameters } : {}),
  });
  return (await handler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
}
const putType = (type: string, body: unknown, scope = 'event-types:write', tenant = 'acme') =>
  call(put, {
    method: 'PUT',
    path: `/v1/event-types/${type}`,
    pathParameters: { type },
    body,
    scope,
    tenant,
  });
const send = (body: unknown, tenant = 'acme') =>
  call(accept, { method: 'POST', path: '/v1/events', body, scope: 'events:write', tenant });

describe('PUT, GET /v1/event-types', () => {
  test('registers a type and answers it with its version; GET and the list show it', async () => {
    const response = await putType('order.created', {
      description: 'An order',
      schema: ORDER_SCHEMA,
      examples: [ORDER],
    });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toMatchObject({
      type: 'order.created',
      version: 1,
      deprecated: false,
    });
    const one = await call(get, {
      method: 'GET',
      path: '/v1/event-types/order.created',
      pathParameters: { type: 'order.created' },
      scope: 'event-types:read',
    });
    expect(JSON.parse(one.body!)).toMatchObject({ schema: ORDER_SCHEMA, examples: [ORDER] });
    const page = await call(list, { method: 'GET', path: '/v1/event-types', scope: 'event-types:read' });
    expect(JSON.parse(page.body!)).toMatchObject({ items: [{ type: 'order.created' }] });
  });

  test('a schema that breaks a rule is a 422 naming its pointer in the body', async () => {
    const response = await putType('order.created', {
      description: 'd',
      schema: { properties: { code: { type: 'string', pattern: '^(\\w)\\1$' } } },
    });
    const problem = expectProblem(response, 422, '/v1/event-types/order.created');
    expect(problem.errors).toEqual([
      { pointer: '/body/schema/properties/code/pattern', message: expect.stringContaining('RE2') },
    ]);
  });

  test('scopes: writing needs event-types:write, reading event-types:read', async () => {
    expect((await putType('order.created', { description: 'd' }, 'event-types:read')).statusCode).toBe(403);
    const read = await call(list, { method: 'GET', path: '/v1/event-types', scope: 'events:write' });
    expect(read.statusCode).toBe(403);
  });

  test('an unknown type is a 404', async () => {
    const response = await call(get, {
      method: 'GET',
      path: '/v1/event-types/order.none',
      pathParameters: { type: 'order.none' },
      scope: 'event-types:read',
    });
    expectProblem(response, 404, '/v1/event-types/order.none');
  });
});

describe('POST /v1/events against the catalog', () => {
  test("a batch with an event that breaks its type's schema is refused, naming /body/events/<i>/data<pointer> and the keyword", async () => {
    await putType('order.created', { description: 'd', schema: ORDER_SCHEMA });
    const response = await send({
      events: [
        { type: 'order.created', data: ORDER },
        { type: 'order.created', data: { ...ORDER, lines: [{ sku: 'A', quantity: 0 }] } },
      ],
    });
    const problem = expectProblem(response, 422);
    expect(problem.errors).toEqual([
      { pointer: '/body/events/1/data/lines/0/quantity', message: 'must be >= 1 (minimum)' },
    ]);
    expect(queue.sent).toHaveLength(0);
  });

  test('a single event: the pointer is /body/data<pointer>; a valid one and an unknown type are 202', async () => {
    await putType('order.created', { description: 'd', schema: ORDER_SCHEMA });
    const bad = await send({ type: 'order.created', data: { ...ORDER, total: 'ten' } });
    expect(expectProblem(bad, 422).errors).toEqual([
      { pointer: '/body/data/total', message: 'must be number (type)' },
    ]);
    expect((await send({ type: 'order.created', data: ORDER })).statusCode).toBe(202);
    expect((await send({ type: 'order.unknown', data: 'anything' })).statusCode).toBe(202);
  });

  test("another tenant's catalog does not apply", async () => {
    await putType('order.created', { description: 'd', schema: ORDER_SCHEMA }, 'event-types:write', 'globex');
    expect((await send({ type: 'order.created', data: { total: 'ten' } })).statusCode).toBe(202);
  });

  test('a deprecated type is accepted, and the answer names it and its replacement', async () => {
    await putType('order.placed', { description: 'd', deprecated: true, replacedBy: 'order.created' });
    const response = await send({
      events: [
        { type: 'order.placed', data: {} },
        { type: 'order.placed', data: {} },
      ],
    });
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body!)).toMatchObject({
      deprecations: [{ type: 'order.placed', replacedBy: 'order.created' }],
    });
    expect(queue.sent).toHaveLength(2);
  });
});
