/**
 * Every subscription change made through a route writes its audit entry with the change (the
 * repository's outbox): who (the token's subject), what (action, subscription, field names), from
 * where (source IP, user agent) and the correlation id. A refused request (wrong scope, another
 * tenant's subscription, a bad token) writes none: it has no verified tenant, or changed nothing.
 */
import { afterEach, beforeAll, beforeEach, expect, test } from '@jest/globals';
import type { HttpLambdaHandler } from '@herald/shared/entry/http';
import {
  authEnvironment,
  captureLogs,
  httpEvent,
  lambdaContext,
  type AuthFixture,
} from '@herald/shared/testing/http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { world } from '../support/world';

let auth: AuthFixture;
let logs: ReturnType<typeof captureLogs>;
let w: ReturnType<typeof world>;
const handlers: Record<string, HttpLambdaHandler> = {};

beforeAll(async () => {
  auth = await authEnvironment();
  const jobs = () => ({ send: (job: never, delay?: number) => w.queues.sendJob(job, delay) });
  handlers.create = (await import('../../src/handlers/create-subscription')).createHandler(
    () => w.subscriptionDeps,
  );
  handlers.update = (await import('../../src/handlers/update-subscription')).createHandler(
    () => w.subscriptionDeps,
  );
  handlers.pause = (await import('../../src/handlers/pause-subscription')).createHandler(
    () => w.subscriptionDeps,
  );
  handlers.resume = (await import('../../src/handlers/resume-subscription')).createHandler(() => ({
    ...w.subscriptionDeps,
    jobs: jobs(),
  }));
  handlers.rotate = (await import('../../src/handlers/rotate-secret')).createHandler(
    () => w.subscriptionDeps,
  );
  handlers.delete = (await import('../../src/handlers/delete-subscription')).createHandler(
    () => w.subscriptions,
  );
});
beforeEach(() => {
  w = world();
  logs = captureLogs();
});
afterEach(() => logs.restore());

async function call(
  name: string,
  options: { method: string; path: string; id?: string; body?: unknown; claims?: Record<string, unknown> },
) {
  const event = httpEvent({
    method: options.method,
    path: options.path,
    headers: {
      ...(await auth.headers({ claims: { scope: 'subscriptions:write', ...options.claims } })),
      'user-agent': 'herald-cli/1.0',
      'x-correlation-id': `corr-${name}`,
    },
    ...(options.id ? { pathParameters: { id: options.id } } : {}),
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  return (await handlers[name]!(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
}

test('create, update, pause, resume, rotate and delete: one entry each, with actor, source and fields', async () => {
  const created = await call('create', {
    method: 'POST',
    path: '/v1/subscriptions',
    body: { url: 'https://hooks.example.com/in', eventTypes: ['order.*'] },
  });
  expect(created.statusCode).toBe(201);
  const id = (JSON.parse(created.body!) as { id: string }).id;
  const path = `/v1/subscriptions/${id}`;
  const steps: Array<[string, string, string, unknown]> = [
    ['update', 'PATCH', path, { description: 'orders', rateLimit: 5 }],
    ['pause', 'POST', `${path}/pause`, undefined],
    ['resume', 'POST', `${path}/resume`, undefined],
    ['rotate', 'POST', `${path}/rotate-secret`, {}],
    ['delete', 'DELETE', path, undefined],
  ];
  for (const [name, method, stepPath, body] of steps) {
    const response = await call(name, { method, path: stepPath, id, body });
    expect([name, response.statusCode]).toEqual([name, name === 'delete' ? 204 : 200]);
  }
  const entries = w.subscriptions.outbox;
  expect(entries.map((entry) => [entry.action, entry.changedFields])).toEqual([
    ['subscription.created', ['eventTypes', 'url']],
    ['subscription.updated', ['description', 'rateLimit']],
    ['subscription.paused', []],
    ['subscription.resumed', []],
    ['subscription.secret_rotated', []],
    ['subscription.deleted', []],
  ]);
  for (const entry of entries) {
    expect(entry).toMatchObject({
      tenantId: 'acme',
      actor: { subject: 'user-42', credential: 'jwt' },
      resource: { type: 'subscription', id },
      source: { ip: '203.0.113.7', userAgent: 'herald-cli/1.0' },
    });
    expect(entry.correlationId).toMatch(/^corr-/);
  }
  // Names only: neither the URL nor the new secret is in any entry.
  expect(JSON.stringify(entries)).not.toContain('hooks.example.com');
  expect(JSON.stringify(entries)).not.toContain('whsec_');
});

test('refused requests write no entry: wrong scope, another tenant, a bad token, a missing subscription', async () => {
  const { subscription } = await w.subscribe();
  const path = `/v1/subscriptions/${subscription.id}/pause`;
  const id = subscription.id;
  const wrongScope = await call('pause', {
    method: 'POST',
    path,
    id,
    claims: { scope: 'subscriptions:read' },
  });
  const otherTenant = await call('pause', { method: 'POST', path, id, claims: { tenant: 'globex' } });
  const missing = await call('delete', {
    method: 'DELETE',
    path: '/v1/subscriptions/sub_01JZZZZZZZZZZZZZZZZZZZZZZZ',
    id: 'sub_01JZZZZZZZZZZZZZZZZZZZZZZZ',
  });
  const badToken = (await handlers.pause!(
    httpEvent({ method: 'POST', path, headers: { authorization: 'Bearer x.y.z' }, pathParameters: { id } }),
    lambdaContext(),
  )) as APIGatewayProxyStructuredResultV2;
  expect([wrongScope, otherTenant, missing, badToken].map((r) => r.statusCode)).toEqual([403, 404, 404, 401]);
  expect(w.subscriptions.outbox).toEqual([]);
  // The refusals by the auth middleware are in the security log instead.
  expect(logs.text()).toContain('"securityEvent":"auth.failure"');
});

test('a replay started and a redelivery are recorded; one refused (another tenant, a disabled subscription) is not', async () => {
  const jobs = () => ({ send: (job: never) => w.queues.sendJob(job) });
  const replay = (await import('../../src/handlers/replay')).createHandler(() => ({
    subscriptions: w.subscriptions,
    jobs: jobs(),
    retentionDays: 7,
    replays: w.usage,
    maxWindowHours: 24,
    tenantLimits: w.subscriptionDeps.tenantLimits,
  }));
  const redeliver = (await import('../../src/handlers/redeliver')).createHandler(() => ({
    history: w.deliveries,
    subscriptions: w.subscriptions,
    queue: w.queues,
    outbox: w.subscriptions,
  }));
  const { subscription } = await w.subscribe();
  await w.publish(w.keys.sign());
  await w.run();
  const [delivery] = (await w.deliveries.listBySubscription('acme', subscription.id, 1)).items;
  const request = async (
    handler: HttpLambdaHandler,
    path: string,
    id: string,
    body?: unknown,
    tenant = 'acme',
  ) =>
    (
      (await handler(
        httpEvent({
          method: 'POST',
          path,
          headers: {
            ...(await auth.headers({ claims: { tenant, scope: 'subscriptions:write' } })),
            'user-agent': 'herald-cli/1.0',
          },
          pathParameters: { id },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
        lambdaContext(),
      )) as APIGatewayProxyStructuredResultV2
    ).statusCode;
  const since = new Date(Date.now() - 60_000).toISOString();
  const replayPath = `/v1/subscriptions/${subscription.id}/replay`;
  const redeliverPath = `/v1/deliveries/${delivery!.id}/redeliver`;
  expect(await request(replay, replayPath, subscription.id, { since })).toBe(202);
  expect(await request(redeliver, redeliverPath, delivery!.id)).toBe(202);
  expect(await request(redeliver, redeliverPath, delivery!.id, undefined, 'globex')).toBe(404);
  await w.subscriptions.update('acme', subscription.id, { set: { status: 'disabled' } });
  expect(await request(redeliver, redeliverPath, delivery!.id)).toBe(409);
  const recorded = w.subscriptions.outbox.filter((entry) => entry.action !== 'subscription.created');
  expect(recorded.map((entry) => [entry.action, entry.resource, entry.changedFields])).toEqual([
    ['replay.started', { type: 'subscription', id: subscription.id }, ['since']],
    ['delivery.redelivered', { type: 'delivery', id: delivery!.id }, []],
  ]);
});
