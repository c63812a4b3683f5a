/**
 * A stand-in subscriber for the local cloud: records every webhook Herald delivers to
 * `<url>/<endpoint>` and answers each endpoint as configured (fail, gone, slow, rate-limited), so
 * delivery, retries and signatures can be watched and tested. Other processes drive it over HTTP:
 *
 *   GET    /_requests[?endpoint=x]   recorded requests, oldest first
 *   DELETE /_requests[?endpoint=x]   forget them
 *   GET    /_endpoints               configured endpoints
 *   PUT    /_endpoints/<name>        {"status":503,"failTimes":2,"secret":"whsec_..."}
 *   DELETE /_endpoints/<name>        back to plain 200, no secret
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_PORTS, portUse } from '../config';
import { listenOnLoopback } from '../ports';
import { EndpointSettingError, parseBehaviour, replyFor } from './behaviour';
import type { EndpointBehaviour } from './behaviour';
import { checkSecret, verifyRequest } from './verify';

/** Webhook bodies larger than this are refused with 413, unread. */
export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_CONTROL_BODY_BYTES = 64 * 1024;
// Bounds on what a flood of requests can make the receiver hold; the oldest records go first.
const MAX_RECORDS = 1000;
const MAX_RECORDED_BYTES = 64 * 1024 * 1024;
const MAX_ENDPOINTS = 1000;
// After refusing an oversized body, read on this far (discarding) so the sender sees the 413 rather
// than a reset; beyond it, drop the connection.
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;
// Path segments of an endpoint name; a leading `_` is kept for the control API.
const ENDPOINT_NAME = /^[A-Za-z0-9][A-Za-z0-9._~-]*(\/[A-Za-z0-9._~-]+)*$/;
const MAX_ENDPOINT_NAME = 200;

export interface ReceivedRequest {
  /** Sequence number, from 1, across all endpoints. */
  seq: number;
  /** ISO 8601 arrival time. */
  time: string;
  endpoint: string;
  method: string;
  /** Path with query string. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body as UTF-8 text. */
  body: string;
  /** The body parsed, when it is JSON. */
  json?: unknown;
  /** Present when the endpoint has a secret. */
  verified?: boolean;
  /** Why verification failed. */
  verificationError?: string;
  /** The status the receiver answered (or is about to answer, while delayed). */
  status: number;
}

export interface EndpointSettings {
  behaviour: EndpointBehaviour;
  /** Secrets accepted; the library takes `whsec_...`. Omitted from control API answers. */
  secrets: readonly string[];
  /** Requests since the behaviour was set: drives `failTimes`. */
  count: number;
}

export interface WebhookReceiverOptions {
  /** A port, or 'auto' for a free one. Defaults to 4200. */
  port?: number | 'auto';
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>`; an endpoint is `${url}/<name>`. */
  url: string;
  port: number;
  /** Recorded requests, oldest first; only one endpoint's when given. */
  requests(endpoint?: string): ReceivedRequest[];
  /** Forgets recorded requests (one endpoint's, or all); behaviours and secrets stay. */
  clear(endpoint?: string): void;
  /** Sets how the endpoint answers from now on, restarting its `failTimes` count. */
  configure(endpoint: string, behaviour: EndpointBehaviour): void;
  /** Verifies the endpoint's requests with this secret (or any of several); null stops verifying. */
  setSecret(endpoint: string, secret: string | readonly string[] | null): void;
  stop(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function checkEndpoint(name: string): string {
  if (name.length > MAX_ENDPOINT_NAME || !ENDPOINT_NAME.test(name)) {
    throw new EndpointSettingError(
      `invalid endpoint name ${JSON.stringify(name)}: path segments of A-Z a-z 0-9 . _ ~ -, not starting with _`,
    );
  }
  return name;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = status === 204 ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text && { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }),
    ...headers,
  });
  res.end(text);
}

/** Refuses the body with 413, reading on (bounded) so the sender gets the answer, then closes. */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse, limit: number, alreadyRead: number): void {
  let drained = alreadyRead;
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > MAX_DRAIN_BYTES) req.socket.destroy();
  });
  req.resume();
  sendJson(res, 413, { error: `body larger than ${limit} bytes` }, { connection: 'close' });
}

/** The body, or undefined when it was refused as too large (the response is then already sent). */
function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      refuseTooLarge(req, res, limit, 0);
      return resolve(undefined);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        refuseTooLarge(req, res, limit, size);
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function readJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const body = await readBody(req, res, MAX_CONTROL_BODY_BYTES);
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'the body must be JSON');
  }
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const records: ReceivedRequest[] = [];
  let recordedBytes = 0;
  let seq = 0;
  const endpoints = new Map<string, EndpointSettings>();
  const timers = new Set<NodeJS.Timeout>();

  const settingsFor = (endpoint: string): EndpointSettings => {
    let settings = endpoints.get(endpoint);
    if (!settings) {
      if (endpoints.size >= MAX_ENDPOINTS)
        throw new EndpointSettingError(`at most ${MAX_ENDPOINTS} endpoints`);
      settings = { behaviour: {}, secrets: [], count: 0 };
      endpoints.set(endpoint, settings);
    }
    return settings;
  };

  const record = (entry: ReceivedRequest) => {
    records.push(entry);
    recordedBytes += entry.body.length;
    while (records.length > MAX_RECORDS || recordedBytes > MAX_RECORDED_BYTES) {
      recordedBytes -= records.shift()!.body.length;
    }
  };

  const requests = (endpoint?: string) =>
    records.filter((entry) => endpoint === undefined || entry.endpoint === endpoint);

  const clear = (endpoint?: string) => {
    for (let i = records.length - 1; i >= 0; i--) {
      if (endpoint === undefined || records[i]!.endpoint === endpoint) {
        recordedBytes -= records[i]!.body.length;
        records.splice(i, 1);
      }
    }
  };

  const configure = (endpoint: string, behaviour: EndpointBehaviour) => {
    const checked = parseBehaviour(behaviour);
    const settings = settingsFor(checkEndpoint(endpoint));
    settings.behaviour = checked;
    settings.count = 0;
  };

  const setSecret = (endpoint: string, secret: string | readonly string[] | null) => {
    const secrets =
      secret === null ? [] : (typeof secret === 'string' ? [secret] : [...secret]).map(checkSecret);
    settingsFor(checkEndpoint(endpoint)).secrets = secrets;
  };

  const describe = (name: string, settings: EndpointSettings) => ({
    endpoint: name,
    behaviour: settings.behaviour,
    secrets: settings.secrets.length,
    count: settings.count,
  });

  const receive = async (req: IncomingMessage, res: ServerResponse, endpoint: string, path: string) => {
    const body = await readBody(req, res, MAX_BODY_BYTES);
    if (body === undefined) return;
    const settings = endpoints.get(endpoint);
    const behaviour = settings?.behaviour ?? {};
    if (settings) settings.count += 1;
    const reply = replyFor(behaviour, settings?.count ?? 1);

    const entry: ReceivedRequest = {
      seq: ++seq,
      time: new Date().toISOString(),
      endpoint,
      method: req.method ?? 'POST',
      path,
      headers: req.headers,
      body: body.toString('utf8'),
      json: parseJson(body),
      status: reply.status,
    };
    if (settings && settings.secrets.length > 0) {
      const verification = verifyRequest(settings.secrets, req.headers, body);
      entry.verified = verification.verified;
      if (!verification.verified) {
        entry.verificationError = verification.reason;
        if (behaviour.rejectUnverified) entry.status = reply.status = 401;
      }
    }
    record(entry);

    const answer = () => {
      const ok = reply.status < 300;
      sendJson(res, reply.status, ok ? { received: true, seq: entry.seq } : { error: 'configured failure' }, {
        ...reply.headers,
      });
    };
    if (reply.delayMs === 0) return answer();
    const timer = setTimeout(() => {
      timers.delete(timer);
      answer();
    }, reply.delayMs);
    timers.add(timer);
    // A sender that gives up (its timeout) should not leave a timer behind.
    res.once('close', () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  };

  const control = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const method = req.method ?? 'GET';
    if (url.pathname === '/_requests') {
      const endpoint = url.searchParams.get('endpoint') ?? undefined;
      if (method === 'GET') return sendJson(res, 200, requests(endpoint));
      if (method === 'DELETE') {
        clear(endpoint);
        return sendJson(res, 204, undefined);
      }
      throw new HttpError(405, 'use GET or DELETE', { allow: 'GET, DELETE' });
    }
    if (url.pathname === '/_endpoints') {
      if (method !== 'GET') throw new HttpError(405, 'use GET', { allow: 'GET' });
      return sendJson(
        res,
        200,
        [...endpoints].map(([name, settings]) => describe(name, settings)),
      );
    }
    if (url.pathname.startsWith('/_endpoints/')) {
      const name = checkEndpoint(decodeURIComponent(url.pathname.slice('/_endpoints/'.length)));
      if (method === 'DELETE') {
        endpoints.delete(name);
        return sendJson(res, 204, undefined);
      }
      if (method === 'GET') {
        const settings = endpoints.get(name);
        if (!settings) throw new HttpError(404, `endpoint ${name} is not configured`);
        return sendJson(res, 200, describe(name, settings));
      }
      if (method !== 'PUT') throw new HttpError(405, 'use GET, PUT or DELETE', { allow: 'GET, PUT, DELETE' });
      const input = await readJson(req, res);
      if (input === undefined) return;
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new HttpError(400, 'the body must be a JSON object');
      }
      const { secret, ...behaviour } = input as Record<string, unknown>;
      // Check both before changing either, so a bad request changes nothing.
      const checked = parseBehaviour(behaviour);
      if (secret !== undefined && secret !== null) {
        (Array.isArray(secret) ? secret : [secret]).forEach((s) => checkSecret(s));
      }
      configure(name, checked);
      if (secret !== undefined) setSecret(name, secret as string | string[] | null);
      return sendJson(res, 200, describe(name, endpoints.get(name)!));
    }
    throw new HttpError(404, `no control route ${method} ${url.pathname}`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://receiver');
    if (url.pathname.startsWith('/_')) return control(req, res, url);
    if (url.pathname === '/') {
      if (req.method === 'GET') {
        return sendJson(res, 200, {
          usage: 'POST /<endpoint> to record a webhook; GET /_requests?endpoint=<name> to read them',
          requests: records.length,
        });
      }
      throw new HttpError(404, 'POST to /<endpoint-name>');
    }
    let endpoint: string;
    try {
      endpoint = checkEndpoint(decodeURIComponent(url.pathname.slice(1)));
    } catch {
      throw new HttpError(404, 'not an endpoint name: path segments of A-Z a-z 0-9 . _ ~ -');
    }
    if (req.method !== 'POST') throw new HttpError(405, 'webhooks are POSTed', { allow: 'POST' });
    return receive(req, res, endpoint, req.url ?? url.pathname);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof HttpError)
        return sendJson(res, error.status, { error: error.message }, error.headers);
      if (error instanceof EndpointSettingError) {
        return sendJson(res, 400, { error: error.message });
      }
      console.error('webhook receiver: request failed', error);
      sendJson(res, 500, { error: 'internal error' });
    });
  });
  // A sender trickling its request must not hold a socket open forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  const port = await listenOnLoopback(server, options.port ?? DEFAULT_PORTS.webhooks, portUse('webhooks'));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    clear,
    configure,
    setSecret,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
