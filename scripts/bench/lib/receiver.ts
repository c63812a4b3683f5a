/**
 * A webhook receiver a benchmark runs itself, as a subscriber would: it checks each webhook's
 * Standard Webhooks signature with the subscription's secret (the local cloud's own check) and
 * notes when it arrived, keeping every arrival (the local cloud's receiver keeps its last 1,000).
 * Each subscription gets an endpoint, `<url>/<name>`, which answers 200 at once or after a delay.
 *
 * Start it on a port before the local cloud, and pass the port to startBenchCloud({ webhookPorts })
 * so notifications may send there.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { verifyRequest } from '@herald/local-cloud';

export interface Arrival {
  /** performance.now() when the request's body was in. */
  at: number;
  verified: boolean;
}

export interface Endpoint {
  /** The URL to subscribe with. */
  url: string;
  /** The first arrival of each event id. */
  arrivals: Map<string, Arrival>;
  /** Requests for an event already received (retries, redeliveries). */
  duplicates: number;
  /** Requests whose signature did not verify (they are still counted as arrivals: they arrived). */
  unverified: number;
  /** Requests without a JSON body holding an event id. */
  unreadable: number;
  /** Sets the secret(s) the signature is checked with. */
  setSecrets(secrets: readonly string[]): void;
  /** How long the endpoint waits before answering 200. */
  setDelayMs(ms: number): void;
  /** Resolves once every id has arrived, or nothing new arrived for `quietMs`, or `timeoutMs` passed. */
  waitFor(ids: Iterable<string>, options: { quietMs: number; timeoutMs: number }): Promise<void>;
}

export interface BenchReceiver {
  port: number;
  endpoint(name: string): Endpoint;
  stop(): Promise<void>;
}

interface EndpointState extends Endpoint {
  secrets: readonly string[];
  delayMs: number;
  lastArrival: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startBenchReceiver(port = 0): Promise<BenchReceiver> {
  const endpoints = new Map<string, EndpointState>();
  let base = '';

  const endpoint = (name: string): EndpointState => {
    let state = endpoints.get(name);
    if (state) return state;
    const created: EndpointState = {
      url: `${base}/${encodeURIComponent(name)}`,
      arrivals: new Map(),
      duplicates: 0,
      unverified: 0,
      unreadable: 0,
      secrets: [],
      delayMs: 0,
      lastArrival: performance.now(),
      setSecrets(secrets) {
        created.secrets = [...secrets];
      },
      setDelayMs(ms) {
        created.delayMs = ms;
      },
      async waitFor(ids, { quietMs, timeoutMs }) {
        const wanted = [...ids];
        const started = performance.now();
        created.lastArrival = Math.max(created.lastArrival, started);
        for (;;) {
          const now = performance.now();
          if (wanted.every((id) => created.arrivals.has(id))) return;
          if (now - created.lastArrival > quietMs || now - started > timeoutMs) return;
          await sleep(200);
        }
      },
    };
    endpoints.set(name, created);
    state = created;
    return state;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await buffer(req);
    const at = performance.now();
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://receiver').pathname.slice(1));
    const state = endpoints.get(name);
    if (!state || req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    const verified = verifyRequest(state.secrets, req.headers, body).verified;
    let id: string | undefined;
    try {
      id = (JSON.parse(body.toString('utf8')) as { id?: unknown }).id as string | undefined;
    } catch {
      id = undefined;
    }
    state.lastArrival = at;
    if (!verified) state.unverified += 1;
    if (typeof id !== 'string') state.unreadable += 1;
    else if (state.arrivals.has(id)) state.duplicates += 1;
    else state.arrivals.set(id, { at, verified });
    if (state.delayMs > 0) await sleep(state.delayMs);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  // Deliveries keep connections alive; a slow endpoint's answers must not be cut short.
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${bound}`;
  return {
    port: bound,
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
