import { afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { HttpLambdaHandler } from '@herald/shared/entry/http';
import {
  authEnvironment,
  captureLogs,
  expectProblem,
  expectSecurityHeaders,
  httpEvent,
  lambdaContext,
  type AuthFixture,
} from '@herald/shared/testing/http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { toStoredEvent } from '../src/events-table';
import { signedEnvelope } from './support/envelopes';
import { MemoryEventsTable } from './support/memory-events-table';

let auth: AuthFixture;
let logs: ReturnType<typeof captureLogs>;
let getHandler: HttpLambdaHandler;
let listHandler: HttpLambdaHandler;
let table: MemoryEventsTable;
const NOW = new Date('2026-11-28T12:00:00.000Z');

function seed(tenant: string, id: string, minute: number) {
  const envelope = signedEnvelope({ tenantid: tenant, id, data: { id, secret: `${tenant}-only` } });
  const received = new Date(Date.parse('2026-11-28T10:00:00.000Z') + minute * 60_000);
  const item = toStoredEvent(envelope, JSON.stringify(envelope), received, received, 30);
  table.items.set(`${item.pk}|${item.sk}`, item);
}

beforeAll(async () => {
  auth = await authEnvironment();
  const get = await import('../src/handlers/get-event');
  const list = await import('../src/handlers/list-events');
  getHandler = get.createHandler(
    () => table,
    () => NOW,
  );
  listHandler = list.createHandler(
    () => table,
    () => NOW,
  );
});
beforeEach(() => {
  table = new MemoryEventsTable();
  seed('acme', 'a1', 1);
  seed('acme', 'a2', 2);
  seed('acme', 'a3', 3);
  seed('globex', 'g1', 1);
  logs = captureLogs();
});
afterEach(() => logs.restore());

const claims = (tenant: string, scope = 'events:read') => ({ claims: { tenant, scope } });

async function getOne(
  id: string,
  options: { tenant?: string; scope?: string; headers?: Record<string, string> } = {},
) {
  const path = `/v1/events/${id}`;
  const event = httpEvent({
    method: 'GET',
    path,
    headers: options.headers ?? (await auth.headers(claims(options.tenant ?? 'acme', options.scope))),
    pathParameters: { id },
  });
  event.routeKey = 'GET /v1/events/{id}';
  return (await getHandler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
}

async function getList(
  query?: Record<string, string>,
  options: { tenant?: string; scope?: string; headers?: Record<string, string> } = {},
) {
  const event = httpEvent({
    method: 'GET',
    path: '/v1/events',
    headers: options.headers ?? (await auth.headers(claims(options.tenant ?? 'acme', options.scope))),
    ...(query ? { queryStringParameters: query } : {}),
  });
  return (await listHandler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
}

describe('GET /v1/events/{id}', () => {
  test('200 with the caller’s event', async () => {
    const response = await getOne('a2');
    expect(response.statusCode).toBe(200);
    expectSecurityHeaders(response);
    expect(JSON.parse(response.body!)).toMatchObject({ id: 'a2', type: 'order.created', data: { id: 'a2' } });
  });

  test('another tenant’s id answers exactly like an id that does not exist', async () => {
    const theirs = await getOne('g1');
    const missing = await getOne('no-such-event');
    const a = expectProblem(theirs, 404, '/v1/events/g1');
    const b = expectProblem(missing, 404, '/v1/events/no-such-event');
    expect({ ...a, instance: undefined }).toEqual({ ...b, instance: undefined });
    expect(a).toMatchObject({ type: 'https://herald.dev/problems/event-not-found' });
    expect(theirs.body).not.toContain('globex');
    expect(table.gets.map((key) => key.pk)).toEqual(['TENANT#acme', 'TENANT#acme']);
  });

  test('a malformed id: 422 naming the path parameter, nothing read', async () => {
    const problem = expectProblem(await getOne('a%23b'), 422, '/v1/events/a%23b');
    expect(problem.errors).toEqual([expect.objectContaining({ pointer: '/pathParameters/id' })]);
    expect(table.gets).toEqual([]);
  });

  test('no token 401, wrong scope 403, nothing read', async () => {
    expectProblem(await getOne('a1', { headers: {} }), 401, '/v1/events/a1');
    expectProblem(await getOne('a1', { scope: 'events:write' }), 403, '/v1/events/a1');
    expect(table.gets).toEqual([]);
  });
});

describe('GET /v1/events', () => {
  test('200 with the caller’s events, newest first, and a cursor to the next page', async () => {
    const first = await getList({ limit: '2' });
    expect(first.statusCode).toBe(200);
    const body = JSON.parse(first.body!) as { items: Array<{ id: string }>; nextCursor?: string };
    expect(body.items.map((item) => item.id)).toEqual(['a3', 'a2']);
    const second = JSON.parse((await getList({ limit: '2', cursor: body.nextCursor! })).body!);
    expect(second.items.map((item: { id: string }) => item.id)).toEqual(['a1']);
    expect(second.nextCursor).toBeUndefined();
  });

  test('another tenant sees only its own', async () => {
    const body = JSON.parse((await getList(undefined, { tenant: 'globex' })).body!);
    expect(body.items.map((item: { id: string }) => item.id)).toEqual(['g1']);
    expect(JSON.stringify(body)).not.toContain('acme-only');
  });

  test('type, since and until filter', async () => {
    const body = JSON.parse(
      (await getList({ type: 'order.created', since: '2026-11-28T10:02:00Z', until: '2026-11-28T10:03:00Z' }))
        .body!,
    );
    expect(body.items.map((item: { id: string }) => item.id)).toEqual(['a2']);
  });

  test.each<[string, Record<string, string>, string]>([
    ['limit 0', { limit: '0' }, '/queryStringParameters/limit'],
    ['limit 101', { limit: '101' }, '/queryStringParameters/limit'],
    ['a non-numeric limit', { limit: 'ten' }, '/queryStringParameters/limit'],
    ['a since that is not RFC 3339', { since: 'yesterday' }, '/queryStringParameters/since'],
    ['an until without a time zone', { until: '2026-11-28T10:00:00' }, '/queryStringParameters/until'],
    ['a type that is no event type', { type: 'Order Created' }, '/queryStringParameters/type'],
    ['an unknown parameter', { tenant: 'globex' }, '/queryStringParameters'],
    ['a cursor with foreign characters', { cursor: 'a/b' }, '/queryStringParameters/cursor'],
    [
      'until before since',
      { since: '2026-11-28T10:03:00Z', until: '2026-11-28T10:01:00Z' },
      '/queryStringParameters/until',
    ],
    ['a day that does not exist', { since: '2026-02-30T00:00:00Z' }, '/queryStringParameters/since'],
  ])('%s: 422 naming the parameter, no query made', async (_name, query, pointer) => {
    const problem = expectProblem(await getList(query), 422, '/v1/events');
    expect(problem.type).toBe('https://herald.dev/problems/validation-failed');
    expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer })]));
    expect(table.queries).toEqual([]);
  });

  test('a cursor this API did not issue, or issued for another query: 400 invalid-cursor', async () => {
    const cursor = JSON.parse((await getList({ limit: '1' })).body!).nextCursor as string;
    table.queries.length = 0;
    for (const query of [{ cursor: 'bm90LWEtY3Vyc29y' }, { cursor, type: 'order.created' }] as Array<
      Record<string, string>
    >) {
      const problem = expectProblem(await getList(query), 400, '/v1/events');
      expect(problem.type).toBe('https://herald.dev/problems/invalid-cursor');
    }
    expect(table.queries).toEqual([]);
  });

  test.each<[string, () => Promise<Record<string, string>>, number]>([
    ['no token', async () => ({}), 401],
    ['a token that is not a JWT', async () => ({ authorization: 'Bearer not.a.jwt' }), 401],
    ['an expired token', () => auth.headers({ claims: { scope: 'events:read' }, expiresIn: -3600 }), 401],
    [
      'a token for another audience',
      () => auth.headers({ claims: { scope: 'events:read' }, audience: 'other' }),
      401,
    ],
    ['a token without events:read', () => auth.headers({ claims: { scope: 'events:write' } }), 403],
  ])('%s: %d, no query made', async (_name, headers, status) => {
    const response = await getList(undefined, { headers: await headers() });
    expectProblem(response, status, '/v1/events');
    expect(response.headers?.['www-authenticate']).toMatch(/^Bearer realm="herald"/);
    expect(table.queries).toEqual([]);
  });
});
