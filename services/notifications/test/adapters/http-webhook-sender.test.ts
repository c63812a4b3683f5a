/**
 * SSRF defence at send time, against a real HTTP server on loopback: the name is resolved once, the
 * addresses judged, and the socket connects to the judged address.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpWebhookSender, type Resolve } from '../../src/adapters/http-webhook-sender';
import { STRICT_TARGETS, type TargetPolicy } from '../../src/subscriptions/url-policy';

let server: Server;
let port: number;
/** The local stage's policy, with the test server's port among those allowed. */
let LOCAL: TargetPolicy;
let seen: Array<{ url: string; host: string; headers: IncomingMessage['headers']; body: string }>;
let reply: (res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        url: req.url ?? '',
        host: req.headers.host ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      reply(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  LOCAL = { allowHttp: true, allowLoopback: true, ports: [443, port] };
}, 30_000);
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}, 30_000);
beforeEach(() => {
  seen = [];
  reply = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
});

function resolverTo(...addresses: string[]): Resolve & { calls: string[] } {
  const calls: string[] = [];
  const resolve = (async (host: string) => {
    calls.push(host);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }) as Resolve & { calls: string[] };
  resolve.calls = calls;
  return resolve;
}

const post = (sender: HttpWebhookSender, url: string, timeoutMs = 2000) =>
  sender.post({
    url,
    headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1' },
    body: '{"a":1}',
    timeoutMs,
  });

describe('sending a webhook', () => {
  test('resolves the name once and connects to the address it judged, keeping the name as Host', async () => {
    // The name exists nowhere: only the pinned answer can have reached the server.
    const resolve = resolverTo('127.0.0.1');
    const result = await post(
      new HttpWebhookSender(LOCAL, resolve),
      `http://hooks.nowhere.invalid:${port}/in?x=1`,
    );
    expect(result).toMatchObject({ statusCode: 200, responseBody: '{"ok":true}' });
    expect(resolve.calls).toEqual(['hooks.nowhere.invalid']);
    expect(seen).toEqual([
      expect.objectContaining({ url: '/in?x=1', host: `hooks.nowhere.invalid:${port}`, body: '{"a":1}' }),
    ]);
    expect(seen[0]!.headers['webhook-id']).toBe('msg_1');
  });

  test('refuses a name that resolves to loopback outside the local stage, without connecting', async () => {
    const result = await post(
      new HttpWebhookSender({ ...STRICT_TARGETS, allowHttp: true, ports: [port] }, resolverTo('127.0.0.1')),
      `http://hooks.example.com:${port}/`,
    );
    expect(result.error).toMatchObject({ class: 'forbidden-address', retryable: false });
    expect(result.error!.message).toMatch(/loopback/);
    expect(seen).toEqual([]);
  });

  test('refuses a name when any of its addresses is refused (a rebinding answer mixing in a private one)', async () => {
    const result = await post(
      new HttpWebhookSender(LOCAL, resolverTo('127.0.0.1', '10.0.0.8')),
      `http://mixed.example.com:${port}/`,
    );
    expect(result.error).toMatchObject({ class: 'forbidden-address' });
    expect(seen).toEqual([]);
  });

  test.each([
    'https://169.254.169.254/latest/meta-data/',
    'https://[::ffff:a9fe:a9fe]/',
    'https://0xA9FEA9FE/',
    'https://10.0.0.1/',
  ])('refuses %s at send time even if it was stored', async (url) => {
    const resolve = resolverTo('8.8.8.8');
    const result = await post(new HttpWebhookSender(STRICT_TARGETS, resolve), url);
    expect(result.error!.class).toBe('invalid-url');
    expect(resolve.calls).toEqual([]);
  });

  test('does not follow redirects', async () => {
    reply = (res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/elsewhere` }).end();
    const result = await post(
      new HttpWebhookSender(LOCAL, resolverTo('127.0.0.1')),
      `http://127.0.0.1:${port}/start`,
    );
    expect(result.statusCode).toBe(302);
    expect(seen.map((s) => s.url)).toEqual(['/start']);
  });

  test('gives up at the deadline: a timeout, worth retrying', async () => {
    let answer: NodeJS.Timeout | undefined;
    let answered = false;
    reply = (res) => {
      answer = setTimeout(() => {
        answered = true;
        res.writeHead(200).end();
      }, 5000);
    };
    const result = await post(
      new HttpWebhookSender(LOCAL, resolverTo('127.0.0.1')),
      `http://127.0.0.1:${port}/`,
      150,
    );
    clearTimeout(answer);
    expect(result.error).toMatchObject({ class: 'timeout' });
    // At its own deadline, before the receiver answered, not when it did.
    expect(answered).toBe(false);
  });

  test('keeps only the first KiB of the answer, and the Retry-After header', async () => {
    reply = (res) => res.writeHead(503, { 'retry-after': '30' }).end('x'.repeat(10_000));
    const result = await post(
      new HttpWebhookSender(LOCAL, resolverTo('127.0.0.1')),
      `http://127.0.0.1:${port}/`,
    );
    expect(result).toMatchObject({ statusCode: 503, retryAfter: '30' });
    expect(result.responseBody).toHaveLength(1024);
  });

  test('classes a refused connection and a name that does not resolve', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const free = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(free));
      });
    });
    const policy = { ...LOCAL, ports: [closed, 80] };
    const refused = await post(
      new HttpWebhookSender(policy, resolverTo('127.0.0.1')),
      `http://127.0.0.1:${closed}/`,
    );
    expect(refused.error).toMatchObject({ class: 'connection' });
    const missing: Resolve = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    const unresolved = await post(new HttpWebhookSender(policy, missing), 'http://nowhere.example.com/');
    expect(unresolved.error).toMatchObject({ class: 'dns' });
  });
});
