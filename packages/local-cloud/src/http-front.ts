/**
 * The front of one service's HTTP API. The local cloud listens on the service's public port itself and
 * passes each request to serverless-offline on an internal port, bodies streamed both ways and headers
 * as they came (every `set-cookie` included). serverless-offline is a child process that can die (a
 * heap that runs out under load) and takes tens of seconds to start again: while it is down, the front
 * answers `503 application/problem+json` saying which service, why and that it is restarting, with a
 * `Retry-After`, so a client reads what happened instead of meeting a refused connection.
 *
 * node:http only: the proxy libraries at hand are framework plugins (hapi's h2o2) or unmaintained
 * (http-proxy), and this needs a few dozen lines.
 */
import {
  Agent,
  createServer,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { HttpProblem, problemType } from '@herald/shared/problem';
import type { FrontContract } from './contract/front';
import {
  AUTHORIZER_OVERRIDE_HEADER,
  authorizerOverride,
  type GateAnswer,
  type GateRequest,
} from './http-authorizers';
import { listenOnLoopback, type PortUse } from './ports';

/** Why the service cannot answer, as the 503 tells it. */
export interface FrontDown {
  /** The problem's `detail`: which service, why, and what happens next. */
  detail: string;
  /** When the service is expected back (epoch ms); Retry-After counts down to it. */
  expectedBackAt: number;
  /** Extension members of the problem, for programs (e.g. `exitCode`, `signal`). */
  extra?: Record<string, unknown>;
}

export interface HttpFront {
  service: string;
  /** The public port, the one `endpoints.services[service]` names. */
  port: number;
  /** Pass requests to serverless-offline listening on this (internal) port. */
  up(upstreamPort: number): void;
  /** Answer every request with the 503 problem until up() again. */
  down(why: FrontDown): void;
  stop(): Promise<void>;
}

export interface HttpFrontOptions {
  service: string;
  port: number | 'auto';
  use: PortUse;
  /** Retry-After when the service should already be back but is not (or nothing better is known). */
  fallbackRetryAfterSeconds?: number;
  /**
   * Requests passed to serverless-offline at once, at most; the rest wait their turn here. It runs
   * each request in a worker thread, starting a new one (a cold start) whenever none is idle and
   * keeping it: unbounded, a burst starts workers faster than they warm up, each slower than the
   * last, until requests time out and the process runs out of heap. Default 256.
   */
  maxInFlight?: number;
  /**
   * Requests that may wait for one of those places, at most; past that the front answers 503 with
   * `Retry-After`, as Lambda throttles a function at its concurrency limit. A load the service cannot
   * keep up with then costs refusals the client sees and can retry, not a queue that grows (with every
   * waiting body in memory) until requests time out unanswered. Default 1000.
   */
  maxWaiting?: number;
  /**
   * How long a request may wait for one of those places, at most (ms); then the front answers it 503
   * with `Retry-After`, and it is never run. Under a load the service cannot keep up with, the
   * waiting line is otherwise as long as maxWaiting: a producer waited up to a minute for its 202, past
   * the timeout of most HTTP clients, and a producer that gave up on a request cannot tell whether its
   * events were taken. A refusal says so at once: nothing was stored, send again. Default 10 s.
   */
  maxWaitMs?: number;
  /**
   * Each response checked against the service's OpenAPI document (HERALD_CONTRACT): unless its mode
   * is `off`, a response is read whole before it is passed on, so a broken one can be answered 500.
   */
  contract?: FrontContract;
  /**
   * The HTTP API's CORS allow-list (its template's `CorsConfiguration.AllowOrigins`). serverless-offline
   * checks it on preflights only and echoes any origin on the requests themselves (every origin when
   * CORS is off); API Gateway adds CORS headers for allowed origins alone, so the front drops them
   * for any other. Undefined: the API has no CORS, and no answer carries CORS headers.
   */
  allowedOrigins?: readonly string[];
  /** Requests the front answers itself (true when it did), before the service: the API reference. */
  ownRoutes?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /**
   * API Gateway's Lambda authorizers before the routes (http-authorizers.ts): a request is passed on
   * with the authorizer's context, or answered as API Gateway answers it. A client's own
   * `sls-offline-authorizer-override` header is dropped from every request whatever this is: through
   * it serverless-offline would take any context the client wrote.
   */
  authorize?: (request: GateRequest) => Promise<GateAnswer>;
}

// Connection-level headers belong to each hop (RFC 9110 §7.6.1); `expect` was answered by this server.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'expect',
]);

/** Raw headers ([name, value, name, value...], each repeat kept) without the hop-by-hop ones. */
function endToEnd(raw: readonly string[]): string[] {
  const named = new Set<string>();
  for (let i = 0; i < raw.length; i += 2)
    if (raw[i]!.toLowerCase() === 'connection')
      for (const token of raw[i + 1]!.split(',')) named.add(token.trim().toLowerCase());
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (!HOP_BY_HOP.has(name) && !named.has(name)) out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/** The request's headers without the authorizer override a client may have forged, then the front's own. */
function withAuthorizerContext(
  raw: readonly string[],
  context: Record<string, unknown> | undefined,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2)
    if (raw[i]!.toLowerCase() !== AUTHORIZER_OVERRIDE_HEADER) out.push(raw[i]!, raw[i + 1]!);
  if (context !== undefined) out.push(AUTHORIZER_OVERRIDE_HEADER, authorizerOverride(context));
  return out;
}

/** Headers without the body's length, for a request sent without its body. */
function withoutBodyLength(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2)
    if (raw[i]!.toLowerCase() !== 'content-length') out.push(raw[i]!, raw[i + 1]!);
  return out;
}

/** The response's headers, without CORS ones unless the request came from an allowed origin. */
export function corsAsApiGateway(
  raw: readonly string[],
  origin: string | undefined,
  allowedOrigins: readonly string[] | undefined,
): string[] {
  if (origin !== undefined && allowedOrigins?.includes(origin)) return [...raw];
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2)
    if (!raw[i]!.toLowerCase().startsWith('access-control-')) out.push(raw[i]!, raw[i + 1]!);
  return out;
}

// A request body is kept while it streams, up to this size, so a request that met a kept-alive
// connection the upstream had just closed can be sent again on a new one.
const REPLAYABLE_BYTES = 1024 * 1024;

export async function startHttpFront(options: HttpFrontOptions): Promise<HttpFront> {
  const { service } = options;
  const fallbackRetryAfter = options.fallbackRetryAfterSeconds ?? 5;
  // Kept-alive connections to serverless-offline. `timeout` makes Node honour the upstream's
  // `Keep-Alive: timeout=5` hint (an idle socket is dropped a second before the server would drop it).
  // One request per connection at a time (HTTP/1.1): the agent's socket limit is the in-flight limit.
  const maxInFlight = options.maxInFlight ?? 256;
  const maxWaiting = options.maxWaiting ?? 1000;
  const maxWaitMs = options.maxWaitMs ?? 10_000;
  const agent = new Agent({ keepAlive: true, maxSockets: maxInFlight, timeout: 60_000 });
  /** Requests passed on or waiting for a place, not yet answered. */
  let forwarding = 0;
  let state: { upstreamPort: number } | { down: FrontDown } = {
    down: { detail: `${service} is starting.`, expectedBackAt: 0 },
  };

  function unavailable(res: ServerResponse, why: FrontDown): void {
    const retryAfter = Math.max(1, Math.ceil((why.expectedBackAt - Date.now()) / 1000));
    const problem = new HttpProblem(503, {
      type: problemType('service-unavailable'),
      detail: why.detail,
      extra: { service, ...why.extra },
    }).toProblem();
    const body = JSON.stringify(problem);
    if (res.headersSent) return void res.destroy();
    res.writeHead(503, {
      'content-type': 'application/problem+json',
      'content-length': Buffer.byteLength(body),
      'retry-after': String(why.expectedBackAt > Date.now() ? retryAfter : fallbackRetryAfter),
      'cache-control': 'no-store',
    });
    res.end(body);
  }

  /** The 503 of a front whose service has too many requests to take this one. */
  function overloaded(res: ServerResponse, why: string): void {
    unavailable(res, {
      detail: `${service} ${why}: it is not keeping up with this load. Retry shortly, or send events in batches.`,
      expectedBackAt: 0,
      extra: { cause: 'overloaded' },
    });
  }

  function notAnswering(res: ServerResponse, error: NodeJS.ErrnoException): void {
    unavailable(res, {
      detail:
        `${service} (serverless-offline) did not answer (${error.code ?? error.message}): its process ` +
        'may have just exited. The local cloud restarts it when it exits; retry shortly.',
      expectedBackAt: 0,
      extra: { cause: error.code ?? 'error' },
    });
  }

  /** Passes the request on; `done` once the exchange no longer holds a place (see maxInFlight). */
  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    upstreamPort: number,
    done: () => void,
    context?: Record<string, unknown>,
  ): void {
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      done();
    };
    /** The client left while serverless-offline ran the function: its answer is read and dropped. */
    let abandoned = false;
    /** The request waited maxWaitMs for a place and was answered 503 without being sent. */
    let turnedAway = false;
    let answer: IncomingMessage | undefined;
    // serverless-offline (hapi) reads no body of a GET or HEAD: one sent anyway would stay unread on
    // the kept-alive connection and be taken for the start of the next request there (or the
    // connection closed under it while it is still being written). It is dropped here, with its length.
    const bodiless = req.method === 'GET' || req.method === 'HEAD';
    const answerHeaders = (upstream: IncomingMessage) =>
      corsAsApiGateway(endToEnd(upstream.rawHeaders), req.headers.origin, options.allowedOrigins);
    const headers = withAuthorizerContext(endToEnd(req.rawHeaders), context);
    const sentHeaders = bodiless ? withoutBodyLength(headers) : headers;
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let replayable = true;
    if (bodiless) req.resume();
    else
      req.on('data', (chunk: Buffer) => {
        keptBytes += chunk.length;
        if (keptBytes > REPLAYABLE_BYTES) {
          replayable = false;
          kept.length = 0;
        } else if (replayable) kept.push(chunk);
      });

    // The whole response, judged before any of it is sent: the client sees it, or the 500 that says
    // why not.
    const judged = (upstream: IncomingMessage, contract: FrontContract): void => {
      const chunks: Buffer[] = [];
      upstream.on('data', (chunk: Buffer) => chunks.push(chunk));
      upstream.once('aborted', () => res.destroy());
      upstream.once('error', () => res.destroy());
      upstream.once('end', () => {
        if (res.destroyed) return;
        const status = upstream.statusCode ?? 502;
        const body = Buffer.concat(chunks);
        const answer = contract.judge(req.method ?? 'GET', req.url ?? '/', {
          status,
          headers: upstream.headers,
          body,
        });
        if (answer) {
          res.writeHead(answer.status, {
            ...answer.headers,
            'content-length': Buffer.byteLength(answer.body),
          });
          return void res.end(answer.body);
        }
        res.writeHead(status, upstream.statusMessage, answerHeaders(upstream));
        res.end(body);
      });
    };

    let current: ClientRequest;
    const send = (retry: boolean): ClientRequest => {
      const out = httpRequest({
        agent,
        host: '127.0.0.1',
        port: upstreamPort,
        method: req.method,
        path: req.url,
        headers: sentHeaders,
      });
      out.on('response', (upstream) => {
        answer = upstream;
        upstream.once('close', settle);
        if (abandoned) return void upstream.resume();
        if (options.contract && options.contract.mode() !== 'off') return judged(upstream, options.contract);
        res.writeHead(upstream.statusCode ?? 502, upstream.statusMessage, answerHeaders(upstream));
        upstream.pipe(res);
        // The upstream died while answering: the client must see a cut answer, not a whole one.
        upstream.once('aborted', () => res.destroy());
        upstream.once('error', () => res.destroy());
      });
      out.on('error', (error: NodeJS.ErrnoException) => {
        if (abandoned || turnedAway) return settle();
        if (res.headersSent || res.destroyed) return void res.destroy();
        // A kept-alive connection the upstream closed as it was reused: it never read the request.
        if (!retry && out.reusedSocket && error.code === 'ECONNRESET' && replayable) {
          req.unpipe(out);
          const again = (current = send(true));
          if (bodiless) return void again.end();
          for (const chunk of kept) again.write(chunk);
          if (req.readableEnded) again.end();
          else req.pipe(again);
          return;
        }
        notAnswering(res, error);
      });
      return out;
    };
    current = send(false);
    if (bodiless) current.end();
    else req.pipe(current);
    // A place is a socket of the agent: until it has one, the request is waiting and was not sent.
    const waiting = setTimeout(() => {
      if (current.socket || res.headersSent || res.destroyed) return;
      turnedAway = true;
      req.unpipe(current);
      current.destroy();
      settle();
      req.resume();
      overloaded(
        res,
        `had ${maxInFlight} requests in progress while this one waited ${maxWaitMs / 1000} s for a place`,
      );
    }, maxWaitMs);
    current.once('socket', () => clearTimeout(waiting));
    res.once('close', () => {
      clearTimeout(waiting);
      if (res.writableFinished) return settle();
      // The client went away before the answer was complete. A request still waiting for a place, or
      // whose body never arrived whole, was not run: it goes too. One serverless-offline is running is
      // left to finish, as Lambda finishes an invocation API Gateway's client gave up on, and keeps its
      // place until then: cut off, it would free the place while the function still ran, and the next
      // request would start one more worker thread beside it (hundreds of MB under a load clients time
      // out on).
      if (!current.socket || !req.complete) {
        current.destroy();
        return settle();
      }
      abandoned = true;
      if (answer) {
        answer.unpipe(res);
        answer.resume();
      }
    });
  }

  const server = createServer((req, res) => {
    if (options.ownRoutes?.(req, res)) return;
    if ('down' in state) {
      const why = state.down;
      // The body is not wanted; reading it lets the connection be kept alive.
      req.resume();
      return unavailable(res, why);
    }
    if (forwarding >= maxInFlight + maxWaiting) {
      req.resume();
      return overloaded(
        res,
        `has ${maxInFlight} requests in progress and ${maxWaiting} more waiting, its limit`,
      );
    }
    forwarding += 1;
    const done = () => (forwarding -= 1);
    if (!options.authorize) return forward(req, res, state.upstreamPort, done);
    void gate(req, res, options.authorize, done);
  });

  /** The request through API Gateway's authorizer first: passed on with its context, or answered. */
  async function gate(
    req: IncomingMessage,
    res: ServerResponse,
    authorize: (request: GateRequest) => Promise<GateAnswer>,
    done: () => void,
  ): Promise<void> {
    let answer: GateAnswer;
    try {
      answer = await authorize({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        // Every value of a repeated header (node keeps only the first Authorization in `headers`):
        // API Gateway joins them, and so does the gate.
        headers: req.headersDistinct,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      });
    } catch {
      answer = { pass: false, status: 500, body: JSON.stringify({ message: 'Internal Server Error' }) };
    }
    if (res.destroyed) return void done();
    if (answer.pass) {
      // The service may have gone down while the authorizer ran.
      if ('down' in state) {
        done();
        req.resume();
        return unavailable(res, state.down);
      }
      return forward(req, res, state.upstreamPort, done, answer.context);
    }
    done();
    // The body is not wanted; reading it lets the connection be kept alive.
    req.resume();
    const headers = { 'content-type': 'application/json' };
    // API Gateway's own answers are part of the API too: the documents give them.
    const contract = options.contract;
    const replaced =
      contract && contract.mode() !== 'off'
        ? contract.judge(req.method ?? 'GET', req.url ?? '/', {
            status: answer.status,
            headers,
            body: Buffer.from(answer.body),
          })
        : undefined;
    const sent = replaced ?? { status: answer.status, headers, body: answer.body };
    res.writeHead(sent.status, { ...sent.headers, 'content-length': Buffer.byteLength(sent.body) });
    res.end(sent.body);
  }
  // Longer than clients usually keep an idle connection, so none reuses one this side closed.
  server.keepAliveTimeout = 65_000;
  const port = await listenOnLoopback(server, options.port, options.use);

  return {
    service,
    port,
    up(upstreamPort) {
      state = { upstreamPort };
    },
    down(why) {
      state = { down: why };
      // Idle sockets to the process that went away are of no use to the next one.
      agent.destroy();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
