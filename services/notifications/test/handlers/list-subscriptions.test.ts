import { afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import {
  authEnvironment,
  captureLogs,
  expectProblem,
  httpEvent,
  lambdaContext,
  type AuthFixture,
} from '@herald/shared/testing/http';
import type { HttpLambdaHandler } from '@herald/shared/entry/http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { PageKey } from '../../src/model/pages';
import type { SubscriptionStore } from '../../src/subscriptions/ports';

const PATH = '/v1/subscriptions';
let auth: AuthFixture;
let logs: ReturnType<typeof captureLogs>;
let handler: HttpLambdaHandler;
const queried: string[] = [];

/** Records which partition each query asked for; returns one item named after it. */
const store: SubscriptionStore = {
  async listByPartition(partition: string, _limit: number, _after?: PageKey) {
    queried.push(partition);
    return {
      items: [
        { id: partition, kind: 'webhook', eventTypes: ['*'], status: 'active', createdAt: '', updatedAt: '' },
      ],
    };
  },
};

beforeAll(async () => {
  auth = await authEnvironment();
  const { createHandler } = await import('../../src/handlers/list-subscriptions');
  handler = createHandler(() => store);
});
beforeEach(() => {
  queried.length = 0;
  logs = captureLogs();
});
afterEach(() => logs.restore());

async function get(query: Record<string, string> | undefined, claims: Record<string, unknown>) {
  const event = httpEvent({
    method: 'GET',
    path: PATH,
    headers: await auth.headers({ claims }),
    ...(query ? { queryStringParameters: query } : {}),
  });
  return (await handler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
}

describe('GET /v1/subscriptions', () => {
  test('queries the token’s tenant partition and nothing else', async () => {
    const response = await get(undefined, { scope: 'subscriptions:read', tenant: 'globex' });
    expect(response.statusCode).toBe(200);
    expect(queried).toEqual(['TENANT#globex']);
    expect(JSON.parse(response.body!).items).toEqual([expect.objectContaining({ id: 'TENANT#globex' })]);
  });

  test.each([
    ['limit 0', { limit: '0' }],
    ['limit 101', { limit: '101' }],
    ['a non-numeric limit', { limit: 'ten' }],
    ['an unknown parameter', { tenant: 'acme' }],
  ])('%s: 422, no query made', async (_name, query) => {
    expectProblem(await get(query, { scope: 'subscriptions:read' }), 422, PATH);
    expect(queried).toEqual([]);
  });

  test('another tenant’s cursor: 400 invalid-cursor', async () => {
    const cursor = Buffer.from(JSON.stringify(['TENANT#acme', 'SUB#x'])).toString('base64url');
    const problem = expectProblem(
      await get({ cursor }, { scope: 'subscriptions:read', tenant: 'globex' }),
      400,
      PATH,
    );
    expect(problem.type).toBe('https://herald.dev/problems/invalid-cursor');
  });

  test('without subscriptions:read: 403, no query made', async () => {
    expectProblem(await get(undefined, { scope: 'events:write' }), 403, PATH);
    expect(queried).toEqual([]);
  });
});
