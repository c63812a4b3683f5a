import { describe, expect, test } from '@jest/globals';
import { createHeraldClient, HeraldNetworkError, HeraldProblem } from '../src';
import { retryAfterSeconds } from '../src/problem';
import { json, memoryFetch, problem } from './memory-fetch';

const baseUrls = {
  ingest: 'http://localhost:4000',
  processing: 'http://localhost:4010',
  notifications: 'http://localhost:4020',
};

describe('the client', () => {
  test('calls each operation on its own service’s URL, with a token fresh from getToken each time', async () => {
    let issued = 0;
    const api = memoryFetch(() => json(200, { items: [] }));
    const client = createHeraldClient({
      baseUrls,
      getToken: async () => `token-${++issued}`,
      fetch: api.fetch,
    });
    await client.events.list().next();
    await client.subscriptions.list().next();
    expect(api.requests.map((request) => [request.url, request.headers.get('authorization')])).toEqual([
      ['http://localhost:4010/v1/events', 'Bearer token-1'],
      ['http://localhost:4020/v1/subscriptions', 'Bearer token-2'],
    ]);
  });

  test("the console's reads: an event's deliveries, the overview, a replay's dry run", async () => {
    const api = memoryFetch((request) => {
      const url = new URL(request.url);
      if (url.pathname === '/v1/stats') return json(200, { window: url.searchParams.get('window') });
      if (url.pathname.endsWith('/replay')) return json(200, { dryRun: true, events: 3 });
      return json(200, { eventId: 'evt-1', items: [] });
    });
    const client = createHeraldClient({ baseUrls, token: 't', fetch: api.fetch });
    expect(await client.deliveries.ofEvent('evt-1')).toEqual({ eventId: 'evt-1', items: [] });
    expect(await client.overview()).toEqual({ window: '1h' });
    expect(await client.overview('24h')).toEqual({ window: '24h' });
    expect(
      await client.subscriptions.previewReplay('sub_1', { since: '2026-12-01T00:00:00Z' }),
    ).toMatchObject({
      events: 3,
    });
    expect(api.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET http://localhost:4020/v1/events/evt-1/deliveries',
      'GET http://localhost:4020/v1/stats?window=1h',
      'GET http://localhost:4020/v1/stats?window=24h',
      'POST http://localhost:4020/v1/subscriptions/sub_1/replay',
    ]);
    expect(JSON.parse(api.requests[3]!.body)).toEqual({ since: '2026-12-01T00:00:00Z', dryRun: true });
  });

  test("AWS destinations: the tenant's ExternalId and a subscription's test connection", async () => {
    const api = memoryFetch((request) =>
      new URL(request.url).pathname.endsWith('/test')
        ? json(200, { ok: true, assumedRole: true })
        : json(200, { externalId: 'ext-1', rolePath: '/herald-destinations/' }),
    );
    const client = createHeraldClient({ baseUrls, token: 't', fetch: api.fetch });
    expect(await client.destinations.externalId()).toMatchObject({ externalId: 'ext-1' });
    expect(await client.subscriptions.testConnection('sub_1')).toMatchObject({ ok: true });
    expect(api.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET http://localhost:4020/v1/destinations/external-id',
      'POST http://localhost:4020/v1/subscriptions/sub_1/test',
    ]);
  });

  test('a listing follows nextCursor until it is absent', async () => {
    const pages: Record<string, unknown> = {
      '': { items: [{ id: 'a' }, { id: 'b' }], nextCursor: 'c1' },
      c1: { items: [], nextCursor: 'c2' },
      c2: { items: [{ id: 'c' }] },
    };
    const api = memoryFetch((request) =>
      json(200, pages[new URL(request.url).searchParams.get('cursor') ?? '']),
    );
    const client = createHeraldClient({ baseUrls, token: 't', fetch: api.fetch });
    const seen: string[] = [];
    for await (const event of client.events.list({ type: 'order.created', pageSize: 2 })) seen.push(event.id);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(new URL(api.requests[0]!.url).search).toBe('?type=order.created&limit=2');
    expect(api.requests).toHaveLength(3);
  });

  test('a problem answer is thrown as a HeraldProblem with its members', async () => {
    const api = memoryFetch(() =>
      problem(
        409,
        'quota-exceeded',
        { detail: 'Too many', quota: 'subscriptions', limit: 100, current: 100, extra: 1 },
        {
          'x-correlation-id': 'c-1',
        },
      ),
    );
    const client = createHeraldClient({ baseUrls, token: 't', fetch: api.fetch });
    const thrown = await client.subscriptions
      .create({ url: 'https://x.example.com', eventTypes: ['*'] })
      .catch((e) => e);
    expect(thrown).toBeInstanceOf(HeraldProblem);
    expect(thrown).toMatchObject({
      status: 409,
      slug: 'quota-exceeded',
      detail: 'Too many',
      quota: 'subscriptions',
      limit: 100,
      current: 100,
      correlationId: 'c-1',
    });
    expect(thrown.body.extra).toBe(1);
  });

  test('API Gateway’s own { message } and a body that is not JSON are problems too', async () => {
    const answers = [
      json(403, { message: 'Forbidden' }),
      new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    ];
    const api = memoryFetch((_, index) => answers[index]!);
    const client = createHeraldClient({ baseUrls, token: 't', fetch: api.fetch });
    await expect(client.events.get('e1')).rejects.toMatchObject({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
    });
    await expect(client.events.get('e1')).rejects.toMatchObject({ title: 'Bad Gateway', status: 502 });
  });

  test('no answer at all is a HeraldNetworkError, not a problem', async () => {
    const api = memoryFetch(() => {
      throw new TypeError('fetch failed');
    });
    const client = createHeraldClient({ baseUrls, token: 't', fetch: api.fetch });
    const thrown = await client.subscriptions.get('sub_1').catch((e) => e);
    expect(thrown).toBeInstanceOf(HeraldNetworkError);
    expect(thrown).not.toBeInstanceOf(HeraldProblem);
    expect(thrown.cause).toBeInstanceOf(TypeError);
  });

  test('Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    expect(retryAfterSeconds('7', now)).toBe(7);
    expect(retryAfterSeconds('Tue, 01 Dec 2026 00:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(null, now)).toBeUndefined();
  });
});

describe('uploadNdjson', () => {
  test('creates the upload, PUTs the file with the signed headers, reports progress and polls for the report', async () => {
    const file = 'x'.repeat(200_000);
    const report = { lines: 1, accepted: 1, rejected: 0, blank: 0, rejections: [] };
    const statuses = ['pending', 'processing', 'completed'];
    const api = memoryFetch((request) => {
      if (request.method === 'POST') {
        return json(201, {
          id: 'u1',
          status: 'pending',
          upload: {
            method: 'PUT',
            url: 'https://bucket.example.com/u1?sig=1',
            headers: { 'content-type': 'application/x-ndjson', 'if-none-match': '*' },
            expiresAt: '2026-12-01T00:05:00Z',
          },
        });
      }
      if (request.method === 'PUT') return new Response(null, { status: 200 });
      const status = statuses.shift()!;
      return json(200, {
        id: 'u1',
        status,
        size: file.length,
        createdAt: '2026-12-01T00:00:00Z',
        ...(status === 'completed' ? { report } : {}),
      });
    });
    const client = createHeraldClient({ baseUrls, token: 't', fetch: api.fetch });
    const progress: number[] = [];
    async function* chunks() {
      yield file.slice(0, 100_000);
      yield new TextEncoder().encode(file.slice(100_000));
    }
    const upload = await client.uploadNdjson(chunks(), {
      onProgress: ({ sent, total }) => progress.push(sent / total),
      sleep: async () => undefined,
    });

    expect(upload).toMatchObject({ status: 'completed', report });
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ size: 200_000 });
    const put = api.requests[1]!;
    expect(put.url).toBe('https://bucket.example.com/u1?sig=1');
    expect(put.headers.get('content-type')).toBe('application/x-ndjson');
    expect(put.headers.get('if-none-match')).toBe('*');
    expect(put.headers.get('authorization')).toBeNull();
    expect(put.body).toBe(file);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
    expect(progress.length).toBeGreaterThan(2);
    expect(api.requests.filter((request) => request.method === 'GET')).toHaveLength(3);
  });
});

describe('the tenants service’s routes', () => {
  const withTenants = { ...baseUrls, tenants: 'http://localhost:4030' };

  test('tenant, API keys, portal tokens and tenants go to the tenants service, each with its method and body', async () => {
    const api = memoryFetch((request) => {
      const { pathname } = new URL(request.url);
      if (request.method === 'DELETE') return new Response(null, { status: 204 });
      if (pathname === '/v1/api-keys' && request.method === 'POST')
        return json(201, { id: 'key_1', key: 'hk_live_x', scopes: ['events:read'] });
      if (pathname === '/v1/portal-tokens')
        return json(201, { token: 'hk_portal_x', url: 'http://c/#token=hk_portal_x' });
      return json(200, { id: 'acme', status: 'active', settings: {} });
    });
    const client = createHeraldClient({ baseUrls: withTenants, token: 't', fetch: api.fetch });
    expect(await client.tenant.get()).toMatchObject({ id: 'acme' });
    expect(await client.apiKeys.create({ name: 'ci', scopes: ['events:read'] })).toMatchObject({
      key: 'hk_live_x',
    });
    await client.apiKeys.get('key_1');
    await client.apiKeys.revoke('key_1');
    expect(await client.portalTokens.create({ ttlSeconds: 600 })).toMatchObject({ token: 'hk_portal_x' });
    await client.tenants.create({ id: 'acme', name: 'Acme' });
    await client.tenants.get('acme');
    await client.tenants.update('acme', { settings: { retentionDays: 7 } });
    await client.tenants.suspend('acme');
    await client.tenants.resume('acme');
    await client.tenants.delete('acme');
    expect(api.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET http://localhost:4030/v1/tenant',
      'POST http://localhost:4030/v1/api-keys',
      'GET http://localhost:4030/v1/api-keys/key_1',
      'DELETE http://localhost:4030/v1/api-keys/key_1',
      'POST http://localhost:4030/v1/portal-tokens',
      'POST http://localhost:4030/v1/tenants',
      'GET http://localhost:4030/v1/tenants/acme',
      'PATCH http://localhost:4030/v1/tenants/acme',
      'POST http://localhost:4030/v1/tenants/acme/suspend',
      'POST http://localhost:4030/v1/tenants/acme/resume',
      'DELETE http://localhost:4030/v1/tenants/acme',
    ]);
    expect(JSON.parse(api.requests[1]!.body)).toEqual({ name: 'ci', scopes: ['events:read'] });
    expect(JSON.parse(api.requests[4]!.body)).toEqual({ ttlSeconds: 600 });
    expect(JSON.parse(api.requests[7]!.body)).toEqual({ settings: { retentionDays: 7 } });
  });

  test('key and tenant listings follow `next`, the audit log `nextCursor`, with its filters on every page', async () => {
    const api = memoryFetch((request) => {
      const url = new URL(request.url);
      const cursor = url.searchParams.get('cursor');
      if (url.pathname === '/v1/audit')
        return json(200, cursor ? { items: [{ id: 'a2' }] } : { items: [{ id: 'a1' }], nextCursor: 'n1' });
      return json(200, cursor ? { items: [{ id: 'k2' }] } : { items: [{ id: 'k1' }], next: 'n1' });
    });
    const client = createHeraldClient({ baseUrls: withTenants, token: 't', fetch: api.fetch });
    const ids = async (items: AsyncIterable<{ id: string }>) => {
      const seen: string[] = [];
      for await (const item of items) seen.push(item.id);
      return seen;
    };
    expect(await ids(client.apiKeys.list({ pageSize: 1 }))).toEqual(['k1', 'k2']);
    expect(await ids(client.tenants.list())).toEqual(['k1', 'k2']);
    expect(
      await ids(client.audit.list({ action: 'api_key.created', actor: 'key:key_1', pageSize: 1 })),
    ).toEqual(['a1', 'a2']);
    expect(await client.audit.page({ resourceType: 'subscription' }, 'n1')).toEqual({
      items: [{ id: 'a2' }],
    });
    expect(api.requests.map((request) => request.url)).toEqual([
      'http://localhost:4030/v1/api-keys?limit=1',
      'http://localhost:4030/v1/api-keys?limit=1&cursor=n1',
      'http://localhost:4030/v1/tenants',
      'http://localhost:4030/v1/tenants?cursor=n1',
      'http://localhost:4030/v1/audit?action=api_key.created&actor=key%3Akey_1&limit=1',
      'http://localhost:4030/v1/audit?action=api_key.created&actor=key%3Akey_1&limit=1&cursor=n1',
      'http://localhost:4030/v1/audit?resourceType=subscription&cursor=n1',
    ]);
  });

  test("a tenant's export and a subject's erasure: their routes, the subject as the body, a refusal as its problem", async () => {
    const exportId = 'exp_01JF0000000000000000000000';
    const requestId = 'ers_01JF0000000000000000000000';
    const api = memoryFetch((request) => {
      const { pathname } = new URL(request.url);
      if (pathname === '/v1/tenant/export')
        return json(202, { exportId, status: 'pending', requestedAt: '2026-12-01T10:00:00.000Z' });
      if (pathname === `/v1/tenant/exports/${exportId}`)
        return json(200, {
          exportId,
          status: 'ready',
          requestedAt: '2026-12-01T10:00:00.000Z',
          answered: ['ingest', 'processing', 'notifications'],
          waitingFor: [],
          urlsExpireAt: '2026-12-01T10:15:00.000Z',
          files: [{ service: 'ingest', key: 'k', records: 1, bytes: 2, url: 'http://s3/k' }],
        });
      if (pathname === '/v1/tenant/erasures' && request.headers.get('authorization') === 'Bearer reader')
        return problem(403, 'forbidden', { detail: 'needs scope tenant:erase' });
      if (pathname === '/v1/tenant/erasures')
        return json(202, { requestId, status: 'pending', requestedAt: '2026-12-01T10:00:00.000Z' });
      return json(200, {
        requestId,
        scope: 'subject',
        status: 'done',
        requestedAt: '2026-12-01T10:00:00.000Z',
        answered: ['ingest'],
        waitingFor: [],
        counts: { ingest: { events: 3 } },
      });
    });
    const client = createHeraldClient({ baseUrls: withTenants, token: 't', fetch: api.fetch });
    expect(await client.tenant.startExport()).toMatchObject({ exportId, status: 'pending' });
    expect((await client.tenant.getExport(exportId)).files).toEqual([
      { service: 'ingest', key: 'k', records: 1, bytes: 2, url: 'http://s3/k' },
    ]);
    expect(await client.tenant.eraseSubject('users/42')).toMatchObject({ requestId, status: 'pending' });
    expect((await client.tenant.getErasure(requestId)).counts).toEqual({ ingest: { events: 3 } });
    expect(api.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'POST http://localhost:4030/v1/tenant/export',
      `GET http://localhost:4030/v1/tenant/exports/${exportId}`,
      'POST http://localhost:4030/v1/tenant/erasures',
      `GET http://localhost:4030/v1/tenant/erasures/${requestId}`,
    ]);
    expect(JSON.parse(api.requests[2]!.body)).toEqual({ subject: 'users/42' });

    const reader = createHeraldClient({ baseUrls: withTenants, token: 'reader', fetch: api.fetch });
    const refused = await reader.tenant.eraseSubject('users/42').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HeraldProblem);
    expect(refused).toMatchObject({ status: 403, detail: 'needs scope tenant:erase' });
  });

  test('without a tenants URL the other services still work and its methods name what is missing', async () => {
    const api = memoryFetch(() => json(200, { items: [] }));
    const client = createHeraldClient({ baseUrls, token: 't', fetch: api.fetch });
    await client.subscriptions.list().next();
    await expect(async () => client.tenant.get()).rejects.toThrow(/no URL for the tenants service/);
    expect(api.requests).toHaveLength(1);
  });
});
