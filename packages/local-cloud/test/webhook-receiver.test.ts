// The webhook receiver: records what it is sent, answers per endpoint (flaky, gone, slow, rate
// limited), checks Standard Webhooks signatures with the reference library, and refuses large bodies.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { MAX_BODY_BYTES, parseBehaviour, replyFor, startWebhookReceiver } from '../src/webhook-receiver';
import type { WebhookReceiver } from '../src/webhook-receiver';

let receiver: WebhookReceiver;

/** Starting and stopping a server, on a busy machine. */
const SERVER_MS = 30_000;

beforeAll(async () => {
  receiver = await startWebhookReceiver({ port: 'auto' });
}, SERVER_MS);

afterAll(async () => {
  await receiver.stop();
}, SERVER_MS);

beforeEach(() => receiver.clear());

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

function post(endpoint: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${receiver.url}/${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

/** Headers as Herald sends them: one or more secrets sign the same id, timestamp and body. */
function signed(body: string, secrets: string[], timestamp = new Date()) {
  const id = `msg_${randomUUID()}`;
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body)).join(' '),
  };
}

describe('recording', () => {
  test('records method, path, headers, raw body and parsed JSON, and answers 200', async () => {
    const body = JSON.stringify({ type: 'order.created', data: { id: 42 } });
    const response = await post('orders?x=1', body, { 'x-trace': 'abc' });
    expect(response.status).toBe(200);
    const [entry, ...rest] = receiver.requests('orders');
    expect(rest).toHaveLength(0);
    expect(entry).toMatchObject({
      endpoint: 'orders',
      method: 'POST',
      path: '/orders?x=1',
      body,
      json: { type: 'order.created', data: { id: 42 } },
      status: 200,
    });
    expect(entry!.headers['x-trace']).toBe('abc');
    expect(Date.parse(entry!.time)).not.toBeNaN();
    expect(entry!.verified).toBeUndefined();
    expect(receiver.requests('other')).toEqual([]);
  });

  test('keeps non-JSON bodies raw and accepts nested endpoint names', async () => {
    await post('hooks/v2/team-a', 'plain text', { 'content-type': 'text/plain' });
    const [entry] = receiver.requests('hooks/v2/team-a');
    expect(entry).toMatchObject({ body: 'plain text', status: 200 });
    expect(entry!.json).toBeUndefined();
  });

  test('answers 405 to anything but POST on an endpoint, and 404 to bad names', async () => {
    const get = await fetch(`${receiver.url}/orders`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await post('..%2Fetc', '{}')).status).toBe(404);
    expect(receiver.requests()).toEqual([]);
  });
});

describe('signatures', () => {
  test('a payload signed with the endpoint secret verifies', async () => {
    const secret = newSecret();
    receiver.setSecret('signed', secret);
    const body = JSON.stringify({ hello: 'world' });
    expect((await post('signed', body, signed(body, [secret]))).status).toBe(200);
    expect(receiver.requests('signed')[0]).toMatchObject({ verified: true });
    expect(receiver.requests('signed')[0]!.verificationError).toBeUndefined();
  });

  test('a tampered body does not verify, and the record says why', async () => {
    const secret = newSecret();
    receiver.setSecret('tampered', secret);
    const headers = signed(JSON.stringify({ amount: 1 }), [secret]);
    await post('tampered', JSON.stringify({ amount: 1000 }), headers);
    expect(receiver.requests('tampered')[0]).toMatchObject({
      verified: false,
      verificationError: 'No matching signature found',
      status: 200,
    });
  });

  test('during a rotation, a header with the old and the new signature verifies', async () => {
    const [oldSecret, currentSecret] = [newSecret(), newSecret()];
    receiver.setSecret('rotating', currentSecret);
    const body = JSON.stringify({ rotation: true });
    const headers = signed(body, [oldSecret, currentSecret]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    await post('rotating', body, headers);
    // Only the old secret's signature: not this endpoint's secret any more.
    await post('rotating', body, signed(body, [oldSecret]));
    expect(receiver.requests('rotating').map((entry) => entry.verified)).toEqual([true, false]);
  });

  test('an endpoint may accept either of two secrets while its subscriber rotates', async () => {
    const [oldSecret, currentSecret] = [newSecret(), newSecret()];
    receiver.setSecret('two-secrets', [currentSecret, oldSecret]);
    const body = '{}';
    await post('two-secrets', body, signed(body, [oldSecret]));
    await post('two-secrets', body, signed(body, [newSecret()]));
    expect(receiver.requests('two-secrets').map((entry) => entry.verified)).toEqual([true, false]);
  });

  test('stale timestamps and missing headers fail, and rejectUnverified answers 401', async () => {
    const secret = newSecret();
    receiver.setSecret('strict', secret);
    receiver.configure('strict', { rejectUnverified: true });
    const body = '{"a":1}';
    const stale = await post('strict', body, signed(body, [secret], new Date(Date.now() - 10 * 60 * 1000)));
    expect(stale.status).toBe(401);
    expect((await post('strict', body)).status).toBe(401);
    expect((await post('strict', body, signed(body, [secret]))).status).toBe(200);
    expect(
      receiver.requests('strict').map(({ verificationError, status }) => ({ verificationError, status })),
    ).toEqual([
      { verificationError: 'Message timestamp too old', status: 401 },
      { verificationError: 'Missing required headers', status: 401 },
      { verificationError: undefined, status: 200 },
    ]);
  });

  test('refuses secrets that are not whsec_ base64', () => {
    expect(() => receiver.setSecret('x', 'not a secret!')).toThrow(/whsec_/);
    expect(() => receiver.setSecret('x', 'whsec_')).toThrow(/whsec_/);
  });
});

describe('behaviours', () => {
  test('a flaky endpoint fails the first N requests, then succeeds', async () => {
    receiver.configure('flaky', { failTimes: 2, status: 503, retryAfter: 3 });
    const responses = [];
    for (let i = 0; i < 4; i++) responses.push(await post('flaky', `{"n":${i}}`));
    expect(responses.map((r) => r.status)).toEqual([503, 503, 200, 200]);
    expect(responses.map((r) => r.headers.get('retry-after'))).toEqual(['3', '3', null, null]);
    expect(receiver.requests('flaky').map((entry) => entry.status)).toEqual([503, 503, 200, 200]);
  });

  test('configuring again restarts the count', async () => {
    receiver.configure('recount', { failTimes: 1 });
    expect((await post('recount', '{}')).status).toBe(500);
    expect((await post('recount', '{}')).status).toBe(200);
    receiver.configure('recount', { failTimes: 1 });
    expect((await post('recount', '{}')).status).toBe(500);
  });

  test('a gone endpoint always answers 410', async () => {
    receiver.configure('gone', { status: 410 });
    for (let i = 0; i < 3; i++) expect((await post('gone', '{}')).status).toBe(410);
  });

  test('retryAfter alone makes a rate-limited endpoint', async () => {
    receiver.configure('limited', { retryAfter: 7 });
    const response = await post('limited', '{}');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
  });

  test('a slow endpoint answers after its delay, and is recorded on arrival', async () => {
    receiver.configure('slow', { delayMs: 300 });
    const started = Date.now();
    const response = await post('slow', '{}');
    const answeredAt = Date.now();
    expect(response.status).toBe(200);
    expect(answeredAt - started).toBeGreaterThanOrEqual(290);
    // Recorded when it came in, the delay before the answer.
    const [recorded] = receiver.requests('slow');
    expect(answeredAt - Date.parse(recorded!.time)).toBeGreaterThanOrEqual(290);
  });

  test('stopping does not wait for delayed answers', async () => {
    const other = await startWebhookReceiver({ port: 'auto' });
    other.configure('slow', { delayMs: 60_000 });
    const pending = fetch(`${other.url}/slow`, { method: 'POST', body: '{}' }).then(
      (response) => response.status,
      () => 'connection closed',
    );
    while (other.requests('slow').length === 0) await new Promise((r) => setTimeout(r, 10));
    await other.stop();
    // Had stopping waited for the answer, the client would have had it, not a closed connection.
    expect(await pending).toBe('connection closed');
  });

  test('rejects behaviours that make no sense', () => {
    expect(() => receiver.configure('x', { status: 99 })).toThrow(/status/);
    expect(() => receiver.configure('x', { failTimes: -1 })).toThrow(/failTimes/);
    expect(() => receiver.configure('x', { delayMs: 10 * 60 * 1000 })).toThrow(/delayMs/);
    expect(() => parseBehaviour({ retryAfter: 'a\r\nset-cookie: x' })).toThrow(/retryAfter/);
    expect(() => parseBehaviour({ stauts: 500 })).toThrow(/unknown behaviour field/);
    expect(() => receiver.configure('_requests', {})).toThrow(/endpoint name/);
  });

  test('replyFor is the rule table', () => {
    expect(replyFor({}, 1)).toEqual({ status: 200, delayMs: 0, headers: {} });
    expect(replyFor({ failTimes: 1 }, 1).status).toBe(500);
    expect(replyFor({ failTimes: 1 }, 2).status).toBe(200);
    expect(replyFor({ status: 503, retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT' }, 9)).toEqual({
      status: 503,
      delayMs: 0,
      headers: { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' },
    });
  });
});

describe('hostile input', () => {
  test('a body over 1 MiB is refused with 413 and not recorded; 1 MiB exactly is fine', async () => {
    expect((await post('big', 'x'.repeat(MAX_BODY_BYTES + 1))).status).toBe(413);
    expect((await post('big', 'x'.repeat(MAX_BODY_BYTES))).status).toBe(200);
    expect(receiver.requests('big')).toHaveLength(1);
  });

  test('a chunked body (no content-length) over the limit is refused too', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(`${receiver.url}/chunked`, { method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 'y');
      for (let sent = 0; sent <= MAX_BODY_BYTES; sent += chunk.length) req.write(chunk);
      req.end();
    });
    expect(status).toBe(413);
    expect(receiver.requests('chunked')).toEqual([]);
  });
});

describe('control API', () => {
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${receiver.url}${path}`, {
      method,
      ...(body !== undefined && {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    });

  test('PUT /_endpoints sets behaviour and secret; GET and DELETE /_requests read and clear', async () => {
    const secret = newSecret();
    const put = await control('PUT', '/_endpoints/api-flaky', { failTimes: 1, status: 502, secret });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({
      endpoint: 'api-flaky',
      behaviour: { failTimes: 1, status: 502 },
      secrets: 1,
      count: 0,
    });

    const body = '{"via":"http"}';
    expect((await post('api-flaky', body, signed(body, [secret]))).status).toBe(502);
    expect((await post('api-flaky', body, signed(body, [secret]))).status).toBe(200);
    await post('elsewhere', '{}');

    const listed = (await (await control('GET', '/_requests?endpoint=api-flaky')).json()) as Array<
      Record<string, unknown>
    >;
    expect(listed.map((entry) => [entry.status, entry.verified])).toEqual([
      [502, true],
      [200, true],
    ]);
    expect(listed[0]).toMatchObject({ method: 'POST', path: '/api-flaky', body, json: { via: 'http' } });
    expect(((await (await control('GET', '/_requests')).json()) as unknown[]).length).toBe(3);

    const endpoints = await (await control('GET', '/_endpoints')).text();
    expect(endpoints).toContain('"api-flaky"');
    expect(endpoints).not.toContain(secret.slice(6));

    expect((await control('DELETE', '/_requests')).status).toBe(204);
    expect(await (await control('GET', '/_requests')).json()).toEqual([]);
    expect(receiver.requests()).toEqual([]);
  });

  test('a bad PUT answers 400 and changes nothing', async () => {
    await control('PUT', '/_endpoints/kept', { status: 410 });
    for (const bad of [{ status: 'x' }, { nope: 1 }, { secret: 'not base64!' }, [1]]) {
      expect((await control('PUT', '/_endpoints/kept', bad)).status).toBe(400);
    }
    const raw = await fetch(`${receiver.url}/_endpoints/kept`, { method: 'PUT', body: '{' });
    expect(raw.status).toBe(400);
    expect((await post('kept', '{}')).status).toBe(410);
  });

  test('DELETE /_endpoints/<name> returns it to plain 200; unknown routes answer 404', async () => {
    await control('PUT', '/_endpoints/reset-me', { status: 500 });
    expect((await post('reset-me', '{}')).status).toBe(500);
    expect((await control('DELETE', '/_endpoints/reset-me')).status).toBe(204);
    expect((await post('reset-me', '{}')).status).toBe(200);
    expect((await control('GET', '/_nothing')).status).toBe(404);
    expect((await control('POST', '/_requests')).status).toBe(405);
  });

  test('an oversized control request is refused with 413', async () => {
    const response = await fetch(`${receiver.url}/_endpoints/big`, {
      method: 'PUT',
      body: JSON.stringify({ status: 500, padding: 'x'.repeat(100_000) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'body larger than 65536 bytes' });
  });
});
