/**
 * What a client sees of the abuse limits: 409 problems naming the limit (quota-exceeded with
 * `quota`, `limit` and `current`; replay-running with the running replay's id) and 422 problems
 * naming the field and the rule (a rate above the stage maximum, a port, a replay window).
 */
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
import { world } from '../support/world';

let auth: AuthFixture;
let logs: ReturnType<typeof captureLogs>;
let w: ReturnType<typeof world>;
const handlers: Record<string, HttpLambdaHandler> = {};
const LIMITS = { subscriptions: 2, concurrentReplays: 1 };

beforeAll(async () => {
  auth = await authEnvironment();
  const deps = () => ({ ...w.subscriptionDeps, tenantLimits: LIMITS });
  handlers.create = (await import('../../src/handlers/create-subscription')).createHandler(deps);
  handlers.update = (await import('../../src/handlers/update-subscription')).createHandler(deps);
  handlers.replay = (await import('../../src/handlers/replay')).createHandler(() => ({
    subscriptions: w.subscriptions,
    replays: w.usage,
    jobs: { send: (job) => w.queues.sendJob(job) },
    retentionDays: 7,
    maxWindowHours: 24,
    tenantLimits: LIMITS,
  }));
});
beforeEach(() => {
  w = world();
  logs = captureLogs();
});
afterEach(() => logs.restore());

async function call(name: string, method: string, path: string, body: unknown, id?: string) {
  const event = httpEvent({
    method,
    path,
    headers: await auth.headers({ claims: { scope: 'subscriptions:read subscriptions:write' } }),
    body: JSON.stringify(body),
    ...(id ? { pathParameters: { id } } : {}),
  });
  return (await handlers[name]!(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
}

const create = (body: Record<string, unknown> = {}) =>
  call('create', 'POST', '/v1/subscriptions', {
    url: 'https://hooks.example.com/h',
    eventTypes: ['order.*'],
    ...body,
  });
const replay = (id: string, hoursAgo = 1) =>
  call(
    'replay',
    'POST',
    `/v1/subscriptions/${id}/replay`,
    { since: new Date(Date.now() - hoursAgo * 3600_000).toISOString() },
    id,
  );

describe('POST /v1/subscriptions', () => {
  test('past the tenant’s limit: 409 quota-exceeded, naming the limit and the count', async () => {
    expect((await create()).statusCode).toBe(201);
    expect((await create()).statusCode).toBe(201);
    const problem = expectProblem(await create(), 409, '/v1/subscriptions');
    expect(problem).toEqual({
      type: 'https://herald.dev/problems/quota-exceeded',
      title: 'Conflict',
      status: 409,
      detail: 'The tenant has 2 subscriptions and may have 2; delete one first',
      instance: '/v1/subscriptions',
      quota: 'subscriptions',
      limit: 2,
      current: 2,
    });
  });

  test('a rateLimit is shown; one above the stage maximum, or not a positive whole number, is a 422', async () => {
    const created = await create({ rateLimit: 2 });
    expect(JSON.parse(created.body!)).toMatchObject({ rateLimit: 2 });
    const tooFast = expectProblem(await create({ rateLimit: 501 }), 422, '/v1/subscriptions');
    expect(tooFast.errors).toEqual([
      {
        pointer: '/body/rateLimit',
        message: "must be at most 500 deliveries per second (the stage's maximum)",
      },
    ]);
    for (const rateLimit of [0, 1.5, '5', 10_001]) {
      const problem = expectProblem(await create({ rateLimit }), 422, '/v1/subscriptions');
      expect(problem.errors).toEqual([expect.objectContaining({ pointer: '/body/rateLimit' })]);
    }
  });

  test('a webhook on a port the stage does not allow: 422 naming the port', async () => {
    const problem = expectProblem(
      await create({ url: 'https://hooks.example.com:8443/h' }),
      422,
      '/v1/subscriptions',
    );
    expect(problem.errors).toEqual([{ pointer: '/body/url', message: 'must use port 443, not port 8443' }]);
  });
});

describe('PATCH /v1/subscriptions/{id}', () => {
  test('changes the rate limit within the stage maximum', async () => {
    const { id } = JSON.parse((await create()).body!) as { id: string };
    const changed = await call('update', 'PATCH', `/v1/subscriptions/${id}`, { rateLimit: 7 }, id);
    expect(JSON.parse(changed.body!)).toMatchObject({ rateLimit: 7 });
    expectProblem(
      await call('update', 'PATCH', `/v1/subscriptions/${id}`, { rateLimit: 1000 }, id),
      422,
      `/v1/subscriptions/${id}`,
    );
  });
});

describe('POST /v1/subscriptions/{id}/replay', () => {
  test('while one runs: 409 replay-running with its id', async () => {
    const { id } = JSON.parse((await create()).body!) as { id: string };
    const accepted = await replay(id);
    expect(accepted.statusCode).toBe(202);
    const { replayId } = JSON.parse(accepted.body!) as { replayId: string };
    const problem = expectProblem(await replay(id), 409, `/v1/subscriptions/${id}/replay`);
    expect(problem).toMatchObject({
      type: 'https://herald.dev/problems/replay-running',
      replayId,
      detail: `Replay ${replayId} of this subscription is still running; try again when it has finished`,
    });
  });

  test('past the tenant’s replays at once: 409 quota-exceeded, naming the limit and the count', async () => {
    const first = JSON.parse((await create()).body!) as { id: string };
    const second = JSON.parse((await create()).body!) as { id: string };
    expect((await replay(first.id)).statusCode).toBe(202);
    const problem = expectProblem(await replay(second.id), 409, `/v1/subscriptions/${second.id}/replay`);
    expect(problem).toMatchObject({
      type: 'https://herald.dev/problems/quota-exceeded',
      quota: 'concurrentReplays',
      limit: 1,
      current: 1,
    });
  });

  test('a window longer than the stage allows: 422 naming the limit', async () => {
    const { id } = JSON.parse((await create()).body!) as { id: string };
    const problem = expectProblem(await replay(id, 25), 422, `/v1/subscriptions/${id}/replay`);
    expect(problem.errors).toEqual([
      {
        pointer: '/body/since',
        message:
          "the window from since to until must be at most 24 hour(s) (the stage's maxReplayWindowHours)",
      },
    ]);
  });
});
