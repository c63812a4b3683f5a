/**
 * PUT /v1/event-types/{type} writes the change's audit entry with it: event_type.put, or
 * event_type.deprecated for a deprecation, naming the fields the request set and never the schema;
 * a refused request (wrong scope, an invalid schema) writes none.
 */
import { beforeAll, beforeEach, expect, test } from '@jest/globals';
import type { HttpLambdaHandler } from '@herald/shared/entry/http';
import { authEnvironment, httpEvent, lambdaContext, type AuthFixture } from '@herald/shared/testing/http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { MemoryEventTypeStore } from './support/memory';
import { ORDER_SCHEMA } from './support/schemas';

let auth: AuthFixture;
let store: MemoryEventTypeStore;
let put: HttpLambdaHandler;

beforeAll(async () => {
  auth = await authEnvironment();
  put = (await import('../src/handlers/put-event-type')).createHandler(() => store);
});
beforeEach(() => {
  store = new MemoryEventTypeStore();
});

async function call(body: unknown, scope = 'event-types:write') {
  const response = (await put(
    httpEvent({
      method: 'PUT',
      path: '/v1/event-types/order.created',
      headers: {
        ...(await auth.headers({ claims: { scope } })),
        'user-agent': 'herald-cli/1.0',
        'x-correlation-id': 'corr-et',
      },
      pathParameters: { type: 'order.created' },
      body: JSON.stringify(body),
    }),
    lambdaContext(),
  )) as APIGatewayProxyStructuredResultV2;
  return response.statusCode;
}

test('a put and a deprecation are recorded, names only; refused requests are not', async () => {
  expect(await call({ description: 'orders', schema: ORDER_SCHEMA })).toBe(200);
  expect(await call({ description: 'orders', deprecated: true, replacedBy: 'order.placed' })).toBe(200);
  expect(await call({ description: 'x' }, 'event-types:read')).toBe(403);
  expect(await call({ description: 'x', schema: { type: 'nonsense' } })).toBe(422);
  expect(store.outbox.map((entry) => [entry.action, entry.changedFields])).toEqual([
    ['event_type.put', ['description', 'schema']],
    ['event_type.deprecated', ['deprecated', 'description', 'replacedBy']],
  ]);
  expect(store.outbox[0]).toMatchObject({
    tenantId: 'acme',
    actor: { subject: 'user-42', credential: 'jwt' },
    resource: { type: 'event_type', id: 'order.created' },
    source: { ip: '203.0.113.7', userAgent: 'herald-cli/1.0' },
    correlationId: 'corr-et',
  });
  expect(JSON.stringify(store.outbox)).not.toContain('properties');
});
