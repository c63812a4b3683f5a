// The HTTP front of a service, against a plain node:http server standing in for serverless-offline:
// requests and answers pass as they came (method, path, query, headers with their repeats, bodies
// streamed both ways, status), and while the upstream is down, or not answering, every request gets a
// 503 problem+json with Retry-After instead of a refused connection.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { buffer } from 'node:stream/consumers';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { corsAsApiGateway, startHttpFront, type HttpFront } from '../src/http-front';
import { freePort } from '../src/ports';

let upstream: Server;
let upstreamPort: number;
let front: HttpFront;
let base: string;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    void (async () => {
      if (req.url === '/hang-up') return void req.socket.destroy();
      const body = await buffer(req);
      if (req.url?.startsWith('/echo-bytes')) {
        // Streamed back in pieces, with no content-length: chunked through the front.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        for (let at = 0; at < body.length; at += 64 * 1024) res.write(body.subarray(at, at + 64 * 1024));
        return void res.end();
      }
      res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; HttpOnly']);
      res.setHeader('x-upstream', 'yes');
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          headers: req.headers,
          remotePort: req.socket.remotePort,
          body: body.toString(),
        }),
      );
    })();
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamPort = (upstream.address() as { port: number }).port;
  front = await startHttpFront({
    service: 'ingest',
    port: 'auto',
    use: { purpose: 'test', setting: 'TEST' },
  });
  base = `http://127.0.0.1:${front.port}`;
});

afterAll(async () => {
  await front.stop();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

afterEach(() => front.up(upstreamPort));

describe('the HTTP front, upstream up', () => {
  test('passes method, path and query, headers (repeats too), body and status both ways', async () => {
    front.up(upstreamPort);
    const response = await fetch(`${base}/v1/events?x=1&y=%20`, {
      method: 'PATCH',
      headers: [
        ['content-type', 'application/json'],
        ['authorization', 'Bearer abc'],
        ['x-many', 'one'],
        ['x-many', 'two'],
        ['idempotency-key', 'k-1'],
      ],
      body: '{"type":"order.created"}',
    });
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(response.headers.get('x-upstream')).toBe('yes');
    const seen = (await response.json()) as {
      method: string;
      url: string;
      headers: Record<string, string>;
      body: string;
    };
    expect(seen.method).toBe('PATCH');
    expect(seen.url).toBe('/v1/events?x=1&y=%20');
    expect(seen.body).toBe('{"type":"order.created"}');
    expect(seen.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer abc',
      'idempotency-key': 'k-1',
      'x-many': 'one, two',
      // The client's Host, as API Gateway passes it.
      host: `127.0.0.1:${front.port}`,
    });
  });

  test('streams a large body up and back unchanged', async () => {
    front.up(upstreamPort);
    const sent = Buffer.alloc(3 * 1024 * 1024 + 7);
    for (let i = 0; i < sent.length; i++) sent[i] = (i * 31) % 251;
    const response = await fetch(`${base}/echo-bytes`, { method: 'POST', body: sent });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(sent)).toBe(true);
  });

  test('status codes and empty answers pass as they are (HEAD, 204-like)', async () => {
    front.up(upstreamPort);
    const response = await fetch(`${base}/anything`, { method: 'HEAD' });
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('');
  });

  test('a GET sent with a body reaches the upstream without it, and the connection stays usable', async () => {
    front.up(upstreamPort);
    const get = (path: string, body?: string) =>
      new Promise<{ status: number; seen: { body: string; headers: Record<string, string> } }>(
        (resolve, reject) => {
          const out = request(`${base}${path}`, {
            method: 'GET',
            headers:
              body === undefined ? {} : { 'content-type': 'application/json', 'content-length': body.length },
          });
          out.on(
            'response',
            (response) =>
              void buffer(response).then(
                (text) => resolve({ status: response.statusCode!, seen: JSON.parse(text.toString()) }),
                reject,
              ),
          );
          out.on('error', reject);
          out.end(body);
        },
      );
    const withBody = await get('/with-body', 'null');
    expect(withBody.status).toBe(201);
    expect(withBody.seen.body).toBe('');
    expect(withBody.seen.headers['content-length']).toBeUndefined();
    expect(withBody.seen.headers['content-type']).toBe('application/json');
    const next = await get('/next');
    expect(next.status).toBe(201);
  });

  test('keeps connections to the upstream alive between requests', async () => {
    front.up(upstreamPort);
    const ports = new Set<number>();
    for (let i = 0; i < 5; i++) {
      const seen = (await (await fetch(`${base}/n${i}`)).json()) as { remotePort: number };
      ports.add(seen.remotePort);
    }
    // One request after another: one connection, reused.
    expect(ports.size).toBe(1);
  });
});

async function expectUnavailable(response: Response, detail: RegExp) {
  expect(response.status).toBe(503);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  const problem = (await response.json()) as Record<string, unknown>;
  expect(problem).toMatchObject({
    type: 'https://herald.dev/problems/service-unavailable',
    title: 'Service Unavailable',
    status: 503,
    service: 'ingest',
  });
  expect(problem.detail).toMatch(detail);
  return { problem, retryAfter };
}

describe('the HTTP front, upstream down', () => {
  test('answers 503 problem+json with Retry-After while told the service is down', async () => {
    front.down({
      detail:
        "ingest's serverless-offline process exited (signal SIGKILL); the local cloud is restarting it.",
      expectedBackAt: Date.now() + 20_000,
      extra: { exitCode: null, signal: 'SIGKILL', restarting: true },
    });
    const { problem, retryAfter } = await expectUnavailable(
      await fetch(`${base}/v1/events`, { method: 'POST', body: 'x'.repeat(100_000) }),
      /ingest.*SIGKILL.*restarting/,
    );
    expect(retryAfter).toBeGreaterThanOrEqual(19);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(problem).toMatchObject({ signal: 'SIGKILL', restarting: true });
    // And it answers the same again on the same connection.
    await expectUnavailable(await fetch(`${base}/v1/events`), /SIGKILL/);
    front.up(upstreamPort);
    expect((await fetch(`${base}/back`)).status).toBe(201);
  });

  test('answers 503 problem+json, not a refused connection, when nothing listens upstream', async () => {
    front.up(await freePort());
    await expectUnavailable(
      await fetch(`${base}/v1/events`, { method: 'POST', body: '{}' }),
      /ingest.*did not answer \(ECONNREFUSED\)/,
    );
  });

  test('answers 503 when the upstream closes the connection before answering', async () => {
    front.up(upstreamPort);
    await expectUnavailable(await fetch(`${base}/hang-up`, { method: 'POST', body: '{}' }), /did not answer/);
  });

  test('cuts the answer when the upstream dies halfway through it', async () => {
    const halfway = createServer((req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('x'.repeat(100));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await new Promise<void>((resolve) => halfway.listen(0, '127.0.0.1', resolve));
    front.up((halfway.address() as { port: number }).port);
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      request(`${base}/cut`, resolve).once('error', reject).end(),
    );
    expect(response.statusCode).toBe(200);
    await expect(buffer(response)).rejects.toThrow(/aborted/);
    halfway.closeAllConnections();
    await new Promise((resolve) => halfway.close(resolve));
  });
});

/** What a test sees of an upstream that holds every request until the test lets it answer. */
interface HeldUpstream {
  /** The front's URL for `path`. */
  url(path: string): string;
  /** Paths the upstream received, in order. */
  seen: string[];
  /** Requests the upstream held at once, at most so far. */
  most(): number;
  /** Waits for a held request and answers it (200, its path as the body). */
  release(): Promise<void>;
}

/** A front with `limits` before a held upstream, for `run`; both stopped after. */
async function withHeldUpstream(
  limits: { maxInFlight: number; maxWaiting?: number; maxWaitMs?: number },
  run: (upstream: HeldUpstream) => Promise<void>,
): Promise<void> {
  let inFlight = 0;
  let most = 0;
  const seen: string[] = [];
  const held: Array<() => void> = [];
  const gated = createServer((req, res) => {
    inFlight += 1;
    most = Math.max(most, inFlight);
    seen.push(req.url!);
    held.push(() => {
      inFlight -= 1;
      res.end(req.url);
    });
  });
  await new Promise<void>((resolve) => gated.listen(0, '127.0.0.1', resolve));
  const limited = await startHttpFront({
    service: 'ingest',
    port: 'auto',
    use: { purpose: 'test', setting: 'TEST' },
    ...limits,
  });
  limited.up((gated.address() as { port: number }).port);
  try {
    await run({
      url: (path) => `http://127.0.0.1:${limited.port}${path}`,
      seen,
      most: () => most,
      release: async () => {
        for (let i = 0; i < 200 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
        expect(inFlight).toBeLessThanOrEqual(limits.maxInFlight);
        held.shift()!();
      },
    });
  } finally {
    await limited.stop();
    gated.closeAllConnections();
    await new Promise((resolve) => gated.close(resolve));
  }
}

describe('the HTTP front, in flight', () => {
  test('passes at most maxInFlight requests at once; the rest wait their turn and all are answered', () =>
    withHeldUpstream({ maxInFlight: 2 }, async (upstream) => {
      const answers = Array.from({ length: 5 }, (_, i) =>
        fetch(upstream.url(`/r${i}`)).then((response) => response.text()),
      );
      // Release one held request at a time: each release lets exactly one waiting request through.
      for (let released = 0; released < 5; released++) await upstream.release();
      expect((await Promise.all(answers)).sort()).toEqual(['/r0', '/r1', '/r2', '/r3', '/r4']);
      expect(upstream.most()).toBe(2);
    }));
});

describe('the HTTP front, clients that leave', () => {
  test('a request already running keeps its place until it ends; one still waiting is never sent', () =>
    withHeldUpstream({ maxInFlight: 1 }, async (upstream) => {
      const gone = (path: string, controller: AbortController) =>
        fetch(upstream.url(path), { signal: controller.signal }).catch(() => 'aborted');
      const running = new AbortController();
      const waiting = new AbortController();
      const leftRunning = gone('/running', running);
      for (let i = 0; i < 200 && upstream.seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const leftWaiting = gone('/waiting', waiting);
      const next = fetch(upstream.url('/next')).then((r) => r.text());
      await new Promise((r) => setTimeout(r, 50));
      running.abort();
      waiting.abort();
      expect(await leftRunning).toBe('aborted');
      expect(await leftWaiting).toBe('aborted');
      // The running one still holds the only place: nothing else reached the upstream meanwhile.
      await new Promise((r) => setTimeout(r, 100));
      expect(upstream.seen).toEqual(['/running']);
      await upstream.release();
      await upstream.release();
      expect(await next).toBe('/next');
      expect(upstream.seen).toEqual(['/running', '/next']);
      expect(upstream.most()).toBe(1);
    }));
});

describe('the HTTP front, overloaded', () => {
  test('past maxInFlight + maxWaiting requests, it answers 503 problem+json with Retry-After; the rest are answered', () =>
    withHeldUpstream({ maxInFlight: 1, maxWaiting: 2 }, async (upstream) => {
      // Four at once against room for three (one in progress, two waiting): exactly one is refused, at once.
      const answers = [0, 1, 2, 3].map((i) => fetch(upstream.url(`/r${i}`)));
      const refused = await Promise.race(answers);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const problem = (await refused.json()) as { detail: string; cause: string; service: string };
      expect(problem).toMatchObject({ cause: 'overloaded', service: 'ingest' });
      expect(problem.detail).toContain('1 requests in progress and 2 more waiting');
      // The three it took are all answered, one at a time.
      for (let released = 0; released < 3; released++) await upstream.release();
      const statuses = await Promise.all(answers.map(async (answer) => (await answer).status));
      expect(statuses.sort()).toEqual([200, 200, 200, 503]);
      // With room again, a request passes.
      const again = fetch(upstream.url('/r4')).then((r) => r.text());
      await upstream.release();
      expect(await again).toBe('/r4');
    }));
});

describe('the HTTP front, a request that waits too long', () => {
  test('one that waited maxWaitMs for a place is answered 503 problem+json at once and never sent; one that got a place in time is answered', () =>
    withHeldUpstream({ maxInFlight: 1, maxWaitMs: 300 }, async (upstream) => {
      const first = fetch(upstream.url('/first')).then((r) => r.text());
      for (let i = 0; i < 200 && upstream.seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const sentAt = Date.now();
      const late = await fetch(upstream.url('/late'), {
        method: 'POST',
        body: JSON.stringify({ id: 'evt' }),
      });
      const waited = Date.now() - sentAt;
      expect(late.status).toBe(503);
      expect(late.headers.get('content-type')).toBe('application/problem+json');
      expect(Number(late.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const problem = (await late.json()) as { detail: string; cause: string; service: string };
      expect(problem).toMatchObject({ cause: 'overloaded', service: 'ingest' });
      expect(problem.detail).toContain('waited 0.3 s for a place');
      // Answered when its wait ran out, not when a place came free.
      expect(waited).toBeGreaterThanOrEqual(250);
      expect(waited).toBeLessThan(5_000);
      // One that gets its place within the wait is passed on and answered.
      const inTime = fetch(upstream.url('/in-time')).then((r) => r.text());
      await new Promise((r) => setTimeout(r, 100));
      await upstream.release();
      expect(await first).toBe('/first');
      await upstream.release();
      expect(await inTime).toBe('/in-time');
      // The refused request never reached the service, and its place was not kept.
      expect(upstream.seen).toEqual(['/first', '/in-time']);
      const again = fetch(upstream.url('/again')).then((r) => r.text());
      await upstream.release();
      expect(await again).toBe('/again');
      expect(upstream.seen).toEqual(['/first', '/in-time', '/again']);
    }));
});

describe('the HTTP front, CORS as API Gateway answers it', () => {
  const raw = [
    'Content-Type',
    'application/json',
    'Access-Control-Allow-Origin',
    'https://evil.example.com',
    'access-control-allow-credentials',
    'true',
    'Vary',
    'origin',
  ];

  test('an allowed origin keeps the CORS headers the service answered', () => {
    expect(corsAsApiGateway(raw, 'https://evil.example.com', ['https://evil.example.com'])).toEqual(raw);
  });

  test('another origin, no origin, or an API without CORS: no CORS header passes', () => {
    const without = ['Content-Type', 'application/json', 'Vary', 'origin'];
    expect(corsAsApiGateway(raw, 'https://evil.example.com', ['http://localhost:5173'])).toEqual(without);
    expect(corsAsApiGateway(raw, undefined, ['http://localhost:5173'])).toEqual(without);
    expect(corsAsApiGateway(raw, 'https://evil.example.com', undefined)).toEqual(without);
  });
});
