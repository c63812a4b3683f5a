/**
 * Odd but valid JSON on the local cloud, across ingest and processing: what Herald cannot carry as
 * sent is refused with a 422 naming the field (in a request) or that line alone (in an upload), and
 * what it takes (emoji, numbers DynamoDB cannot hold, deep nesting, `__proto__`) is stored exactly;
 * forged cursors are 400, never 500.
 */
import { describe, expect, test } from '@jest/globals';
import { encodeCursor } from '@herald/shared/cursor';
import { eventually } from '../../../test/setup/local-cloud';
import { storedEvent } from '../../../test/e2e/support/events';
import { newTenant, type Tenant } from '../../../test/e2e/support/tenant';
import { localCloud, tokenFor } from '../../../test/setup/local-cloud';

const api = () => localCloud().endpoints.services;

/** POST /v1/events with a body sent as this exact text (JSON.stringify would hide what is odd). */
async function postRaw(tenant: Tenant, text: string) {
  const token = await tokenFor({ tenant: tenant.id, scopes: ['events:write'] });
  const response = await fetch(`${api().ingest}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: text,
  });
  const body = (await response.json()) as Record<string, unknown> & { errors?: Array<{ pointer: string }> };
  return { status: response.status, body };
}

const nested = (depth: number, leaf = '1') => `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;
const deepObject = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level++) value = { level: value };
  return value;
};

describe('POST /v1/events refuses what it cannot carry, naming the field', () => {
  test.each([
    ['an integer beyond 2^53', '{"type":"a.b","data":{"id":12345678901234567890}}', '/body/data/id'],
    ['a number beyond a double', '{"type":"a.b","data":[1e400]}', '/body/data/0'],
    ['a leap second', '{"type":"a.b","data":1,"time":"2016-12-31T23:59:60Z"}', '/body/time'],
    [
      'a time in year -1 once in UTC',
      '{"type":"a.b","data":1,"time":"0000-01-01T00:00:00+01:00"}',
      '/body/time',
    ],
    ['a lone surrogate', '{"type":"a.b","data":{"text":"\\ud800"}}', '/body/data/text'],
    ['U+FFFF, which SQS refuses', '{"type":"a.b","data":"\\uffff"}', '/body/data'],
    ['data 100 levels deep', `{"type":"a.b","data":${nested(100)}}`, `/body/data${'/0'.repeat(64)}`],
    // Refused by the depth check, or (where the parser's stack is smaller) as too deep to parse.
    ['data 5,000 levels deep', `{"type":"a.b","data":${nested(5000)}}`, '/body'],
  ])(
    '%s: 422',
    async (_case, text, pointer) => {
      const tenant = await newTenant();
      const answer = await postRaw(tenant, text);
      expect(answer.status).toBe(422);
      expect(answer.body.errors).toHaveLength(1);
      expect(answer.body.errors![0]!.pointer.startsWith(pointer)).toBe(true);
    },
    90_000,
  );

  test('a __proto__ member is refused (400) by the HTTP stack, never a 500; uploads carry it', async () => {
    const answer = await postRaw(await newTenant(), '{"type":"a.b","data":{"__proto__":{"x":1}}}');
    expect(answer.status).toBe(400);
  }, 90_000);
});

describe('what it takes is stored exactly', () => {
  test('emoji, 1.5e-300 and 40 levels: 202, and processing serves the same data', async () => {
    const tenant = await newTenant();
    const id = `odd-${Date.now()}`;
    const text = `{"id":"${id}","type":"odd.event","subject":"ünï 😀","data":{"emoji":"😀👍🏽","tiny":1.5e-300,"big":9007199254740991,"deep":${JSON.stringify(deepObject(40))}}}`;
    const answer = await postRaw(tenant, text);
    expect(answer).toEqual({ status: 202, body: { ids: [id] } });
    const stored = await storedEvent(tenant, id);
    expect(stored.subject).toBe('ünï 😀');
    expect(JSON.stringify(stored.data)).toBe(JSON.stringify((JSON.parse(text) as { data: unknown }).data));
  }, 90_000);
});

describe('an upload fails the lines it cannot carry, one by one', () => {
  test('a leap second, 5,000 levels, a big integer and U+FFFE are rejected; the rest is stored', async () => {
    const tenant = await newTenant();
    const token = await tokenFor({ tenant: tenant.id, scopes: ['events:write'] });
    const lines = [
      '{"id":"ok-1","type":"a.b","data":{"emoji":"😀"}}',
      '{"type":"a.b","data":1,"time":"2016-12-31T23:59:60Z"}',
      `{"type":"a.b","data":${nested(5000)}}`,
      '{"type":"a.b","data":{"n":-9007199254740993}}',
      '{"type":"a.b","data":"\\ufffe"}',
      '{"id":"ok-2","type":"a.b","data":{"__proto__":{"polluted":true},"tiny":1.5e-300}}',
    ];
    const content = Buffer.from(lines.join('\n'));
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${api().ingest}/v1/uploads`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ size: content.length }),
    });
    expect(created.status).toBe(201);
    const upload = (await created.json()) as {
      id: string;
      upload: { method: string; url: string; headers: Record<string, string> };
    };
    const { 'content-length': _length, ...putHeaders } = upload.upload.headers;
    const put = await fetch(upload.upload.url, {
      method: upload.upload.method,
      headers: putHeaders,
      body: content,
    });
    expect(put.status).toBe(200);
    const report = await eventually(
      async () => {
        const response = await fetch(`${api().ingest}/v1/uploads/${upload.id}`, { headers });
        const view = (await response.json()) as { status: string };
        return view.status === 'pending' || view.status === 'processing' ? undefined : view;
      },
      60_000,
      'the upload processed',
    );
    expect(report).toMatchObject({
      status: 'completed',
      report: {
        lines: 6,
        accepted: 2,
        rejected: 4,
        rejections: [
          { line: 2, reason: expect.stringContaining('/time is a leap second') },
          { line: 3, reason: expect.stringContaining('nests deeper than 64') },
          { line: 4, reason: expect.stringContaining('/data/n is an integer beyond') },
          { line: 5, reason: expect.stringContaining('U+FFFE or U+FFFF') },
        ],
      },
    });
    expect((await storedEvent(tenant, 'ok-1')).data).toEqual({ emoji: '😀' });
    expect(JSON.stringify((await storedEvent(tenant, 'ok-2')).data)).toBe(
      '{"__proto__":{"polluted":true},"tiny":1.5e-300}',
    );
  }, 90_000);
});

/** Cursors a client could make up: not base64, not JSON, wrong shapes, keys of no table. */
const forgedCursors = [
  'x',
  '!!!',
  encodeCursor([]),
  encodeCursor(['']),
  encodeCursor(['', '']),
  encodeCursor(['0']),
  encodeCursor(['999999999']),
  encodeCursor(['-1']),
  encodeCursor(['a', 'b']),
  encodeCursor(['a', 'b', 'c', 'd']),
  encodeCursor(['x'.repeat(700)]),
  encodeCursor(['\ud800', '\udc00']),
  Buffer.from('["a",1]').toString('base64url'),
  Buffer.from('{"pk":"a"}').toString('base64url'),
  Buffer.from('null').toString('base64url'),
  Buffer.from(`[${'['.repeat(3000)}${']'.repeat(3000)}]`)
    .toString('base64url')
    .slice(0, 1000),
];

describe('forged cursors are refused, never a 500', () => {
  test('GET /v1/uploads/{id}?cursor= answers each below 500', async () => {
    const tenant = await newTenant();
    const token = await tokenFor({ tenant: tenant.id, scopes: ['events:write'] });
    const created = await fetch(`${api().ingest}/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ size: 10 }),
    });
    const { id } = (await created.json()) as { id: string };
    for (const cursor of forgedCursors) {
      const response = await fetch(`${api().ingest}/v1/uploads/${id}?cursor=${encodeURIComponent(cursor)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect([cursor, response.status < 500]).toEqual([cursor, true]);
    }
  }, 90_000);

  test('GET /v1/events?cursor= answers 400 or 422 for each, with and without filters', async () => {
    const tenant = await newTenant();
    for (const query of ['', '&type=odd.event', '&since=2026-01-01T00:00:00Z&until=2026-01-02T00:00:00Z']) {
      for (const cursor of [
        ...forgedCursors,
        encodeCursor(['AAAAAAAAAAAAAAAA', '2026-01-01T00:00:00.000Z#evt-1']),
        encodeCursor(['AAAAAAAAAAAAAAAA', '9999-99-99T99:99:99.999Z#x']),
      ]) {
        const answer = await tenant.call(
          'processing',
          'GET',
          `/v1/events?limit=5${query}&cursor=${encodeURIComponent(cursor)}`,
        );
        expect([cursor, query, answer.status >= 400 && answer.status < 500]).toEqual([cursor, query, true]);
      }
    }
  }, 90_000);
});
