/**
 * Pause, resume, rotate-secret and replay act on the caller's own subscription with
 * `subscriptions:write` only: another tenant's is a 404 like a missing one, a token without the
 * write scope a 403, and neither changes the subscription or queues anything.
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

beforeAll(async () => {
  auth = await authEnvironment();
  const jobs = () => ({ send: (job: never, delay?: number) => w.queues.sendJob(job, delay) });
  handlers.pause = (await import('../../src/handlers/pause-subscription')).createHandler(
    () => w.subscriptionDeps,
  );
  handlers.resume = (await import('../../src/handlers/resume-subscription')).createHandler(() => ({
    ...w.subscriptionDeps,
    jobs: jobs(),
  }));
  handlers['rotate-secret'] = (await import('../../src/handlers/rotate-secret')).createHandler(
    () => w.subscriptionDeps,
  );
  handlers.replay = (await import('../../src/handlers/replay')).createHandler(() => ({
    subscriptions: w.subscriptions,
    jobs: jobs(),
    retentionDays: 7,
    replays: w.usage,
    maxWindowHours: 24,
    tenantLimits: w.subscriptionDeps.tenantLimits,
  }));
});
beforeEach(() => {
  w = world();
  logs = captureLogs();
});
afterEach(() => logs.restore());

const actions: Array<[string, number, () => unknown]> = [
  ['pause', 200, () => undefined],
  ['resume', 200, () => undefined],
  ['rotate-secret', 200, () => ({ gracePeriodSeconds: 60 })],
  ['replay', 202, () => ({ since: new Date(Date.now() - 60_000).toISOString() })],
];

async function call(action: string, id: string, body: unknown, claims: Record<string, unknown>) {
  const event = httpEvent({
    method: 'POST',
    path: `/v1/subscriptions/${id}/${action}`,
    headers: await auth.headers({ claims }),
    pathParameters: { id },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await handlers[action]!(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
}

/** Acme's subscription, and what it and the job queue look like before any action. */
async function acmeSubscription() {
  const { subscription } = await w.subscribe();
  const before = structuredClone(await w.subscriptions.get('acme', subscription.id));
  return {
    id: subscription.id,
    async expectUntouched() {
      expect(await w.subscriptions.get('acme', subscription.id)).toEqual(before);
      expect(w.queues.jobs).toEqual([]);
    },
  };
}

describe.each(actions)('POST /v1/subscriptions/{id}/%s', (action, success, body) => {
  test('another tenant’s subscription: 404, as if it did not exist; nothing changes', async () => {
    const { id, expectUntouched } = await acmeSubscription();
    const path = `/v1/subscriptions/${id}/${action}`;
    const claims = { tenant: 'globex', scope: 'subscriptions:read subscriptions:write' };
    const theirs = expectProblem(await call(action, id, body(), claims), 404, path);
    const missingId = 'sub_01JZZZZZZZZZZZZZZZZZZZZZZZ';
    const missing = expectProblem(
      await call(action, missingId, body(), claims),
      404,
      `/v1/subscriptions/${missingId}/${action}`,
    );
    expect({ ...theirs, instance: undefined }).toEqual({ ...missing, instance: undefined });
    await expectUntouched();
  });

  test('a token without subscriptions:write: 403; nothing changes', async () => {
    const { id, expectUntouched } = await acmeSubscription();
    const path = `/v1/subscriptions/${id}/${action}`;
    const problem = expectProblem(await call(action, id, body(), { scope: 'subscriptions:read' }), 403, path);
    expect(problem.type).toBe('https://herald.dev/problems/insufficient-scope');
    await expectUntouched();
  });

  test(`the owner with subscriptions:write: ${success}`, async () => {
    const { id } = await acmeSubscription();
    const response = await call(action, id, body(), { scope: 'subscriptions:write' });
    expect(response.statusCode).toBe(success);
  });
});
