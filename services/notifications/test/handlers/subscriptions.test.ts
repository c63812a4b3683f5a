import { afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
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
import { world } from '../support/world';

let auth: AuthFixture;
let logs: ReturnType<typeof captureLogs>;
let w: ReturnType<typeof world>;
const handlers: Record<string, HttpLambdaHandler> = {};
const WRITE = { scope: 'subscriptions:read subscriptions:write' };

beforeAll(async () => {
  auth = await authEnvironment();
  const deps = () => w.subscriptionDeps;
  handlers.create = (await import('../../src/handlers/create-subscription')).createHandler(deps);
  handlers.get = (await import('../../src/handlers/get-subscription')).createHandler(() => w.subscriptions);
  handlers.update = (await import('../../src/handlers/update-subscription')).createHandler(deps);
  handlers.rotate = (await import('../../src/handlers/rotate-secret')).createHandler(deps);
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
  options: {
    method: string;
    path: string;
    body?: unknown;
    id?: string;
    claims?: Record<string, unknown>;
    contentType?: string;
  },
) {
  const event = httpEvent({
    method: options.method,
    path: options.path,
    headers: {
      ...(await auth.headers({ claims: options.claims ?? WRITE })),
      ...(options.contentType ? { 'content-type': options.contentType } : {}),
    },
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
    ...(options.id ? { pathParameters: { id: options.id } } : {}),
  });
  return (await handlers[name]!(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
}

const create = (body: unknown, claims?: Record<string, unknown>) =>
  call('create', { method: 'POST', path: '/v1/subscriptions', body, ...(claims ? { claims } : {}) });

describe('POST /v1/subscriptions', () => {
  test('201 with the subscription, its Location and the secret, which no log line carries', async () => {
    const response = await create({ url: 'https://hooks.example.com/h', eventTypes: ['order.*'] });
    expect(response.statusCode).toBe(201);
    const body = JSON.parse(response.body!);
    expect(body).toMatchObject({
      kind: 'webhook',
      status: 'active',
      secret: expect.stringMatching(/^whsec_/),
    });
    expect(header(response, 'location')).toBe(`/v1/subscriptions/${body.id}`);
    expect(logs.text()).not.toContain(body.secret.slice('whsec_'.length, 20));
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({ securityEvent: 'subscription.created', subscriptionId: body.id }),
    );

    const fetched = await call('get', { method: 'GET', path: `/v1/subscriptions/${body.id}`, id: body.id });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.body).not.toContain('whsec_');
    expect(fetched.body).not.toContain('secrets');
  });

  test('a private address: 422 naming the field, nothing stored', async () => {
    const problem = expectProblem(
      await create({ url: 'https://192.168.0.10/h', eventTypes: ['order.*'] }),
      422,
      '/v1/subscriptions',
    );
    expect(problem).toMatchObject({
      type: 'https://herald.dev/problems/validation-failed',
      errors: [{ pointer: '/body/url', message: 'must not point at a private address' }],
    });
    expect(w.subscriptions.items.size).toBe(0);
  });

  test('schema violations: 422 with every pointer', async () => {
    const problem = expectProblem(
      await create({ url: 5, eventTypes: 'order.*', extra: true }),
      422,
      '/v1/subscriptions',
    );
    expect((problem.errors as Array<{ pointer: string }>).map((e) => e.pointer).sort()).toEqual([
      '/body',
      '/body/eventTypes',
      '/body/url',
    ]);
  });

  test('without subscriptions:write: 403; without a token: 401', async () => {
    expectProblem(
      await create({ url: 'https://h.example.com/', eventTypes: ['a.b'] }, { scope: 'subscriptions:read' }),
      403,
      '/v1/subscriptions',
    );
    const anonymous = await handlers.create!(
      httpEvent({
        method: 'POST',
        path: '/v1/subscriptions',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      }),
      lambdaContext(),
    );
    expectProblem(anonymous as APIGatewayProxyStructuredResultV2, 401, '/v1/subscriptions');
    expect(w.subscriptions.items.size).toBe(0);
  });

  test('a body that is not JSON: 415 or 400, never a 500', async () => {
    expectProblem(
      await call('create', {
        method: 'POST',
        path: '/v1/subscriptions',
        body: 'url=x',
        contentType: 'text/plain',
      }),
      415,
      '/v1/subscriptions',
    );
    expectProblem(
      await call('create', { method: 'POST', path: '/v1/subscriptions', body: '{"url":' }),
      400,
      '/v1/subscriptions',
    );
  });
});

describe('one subscription', () => {
  test('an id that is not a subscription id: 422; an unknown one: 404', async () => {
    expectProblem(
      await call('get', { method: 'GET', path: '/v1/subscriptions/x', id: 'x' }),
      422,
      '/v1/subscriptions/x',
    );
    const id = 'sub_01JZZZZZZZZZZZZZZZZZZZZZZZ';
    const problem = expectProblem(
      await call('get', { method: 'GET', path: `/v1/subscriptions/${id}`, id }),
      404,
      `/v1/subscriptions/${id}`,
    );
    expect(problem.type).toBe('https://herald.dev/problems/not-found');
  });

  test('PATCH with nothing to change is 422; a kind mismatch is 409', async () => {
    const created = JSON.parse((await create({ email: 'ops@example.com', eventTypes: ['a.b'] })).body!);
    const path = `/v1/subscriptions/${created.id}`;
    expectProblem(await call('update', { method: 'PATCH', path, id: created.id, body: {} }), 422, path);
    const conflict = expectProblem(
      await call('update', {
        method: 'PATCH',
        path,
        id: created.id,
        body: { url: 'https://h.example.com/' },
      }),
      409,
      path,
    );
    expect(conflict.type).toBe('https://herald.dev/problems/wrong-subscription-kind');
  });

  test('rotate-secret answers the new secret once and logs the rotation, not the secret', async () => {
    const created = JSON.parse(
      (await create({ url: 'https://hooks.example.com/h', eventTypes: ['a.b'] })).body!,
    );
    const path = `/v1/subscriptions/${created.id}/rotate-secret`;
    const response = await call('rotate', { method: 'POST', path, id: created.id });
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body!);
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.secret).not.toBe(created.secret);
    expect(logs.text()).not.toContain(body.secret.slice('whsec_'.length, 20));
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({ securityEvent: 'subscription.secret-rotated' }),
    );
  });

  test('DELETE is 204, then 404', async () => {
    const created = JSON.parse(
      (await create({ url: 'https://hooks.example.com/h', eventTypes: ['a.b'] })).body!,
    );
    const path = `/v1/subscriptions/${created.id}`;
    expect((await call('delete', { method: 'DELETE', path, id: created.id })).statusCode).toBe(204);
    expectProblem(await call('delete', { method: 'DELETE', path, id: created.id }), 404, path);
  });
});
