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
