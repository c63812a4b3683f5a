/**
 * A fault proxy in front of one emulator endpoint. Functions are pointed at it (their
 * AWS_ENDPOINT_URL_<SERVICE>); the local cloud's own provisioning, pollers and the tests keep
 * talking to the emulator directly. Each request is forwarded as it came, or failed per the plan.
 */
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { listenOnLoopback } from '../ports';
import {
  describeCall,
  internalErrorAnswer,
  throttlingAnswer,
  type Answer,
  type CallInfo,
} from './aws-errors';
import type { FaultyService } from './config';
import type { AwsFaultKind } from './counts';
import { canFailByEntry, partialFault } from './partial-batch';
import type { FaultPlan } from './plan';

export interface FaultProxy {
  service: FaultyService;
  /** `http://127.0.0.1:<port>`, for AWS_ENDPOINT_URL_<SERVICE>. */
  endpoint: string;
  stop(): Promise<void>;
}

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

// Connection-level headers belong to each hop; `expect` was already answered by this server.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'expect',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
]);

function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers))
    if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
  return out;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

function send(res: ServerResponse, answer: Answer): void {
  const body = Buffer.from(answer.body);
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(body.length) });
  res.end(body);
}

export async function startFaultProxy(
  service: FaultyService,
  target: string,
  plan: FaultPlan,
  log: (line: string) => void,
): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  function forward(req: IncomingMessage, body: Buffer, retried = false): Promise<IncomingMessage> {
    const headers = withoutHopByHop(req.headers);
    if (body.length > 0 || req.headers['content-length'] !== undefined)
      headers['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const out = httpRequest(
        {
          agent,
          hostname: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers,
        },
        resolve,
      );
      out.once('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the emulator closed as it was reused: not a fault of ours to inject,
        // so the request goes again on a new connection (the emulator never read it).
        if (out.reusedSocket && error.code === 'ECONNRESET' && !retried)
          forward(req, body, true).then(resolve, reject);
        else reject(error);
      });
      out.end(body);
    });
  }

  async function forwardBuffered(req: IncomingMessage, body: Buffer): Promise<Upstream | undefined> {
    try {
      const response = await forward(req, body);
      return { status: response.statusCode ?? 502, headers: response.headers, body: await readAll(response) };
    } catch (error) {
      log(
        `fault proxy (${service}): ${req.method} ${req.url} could not reach the emulator: ${String(error)}`,
      );
      return undefined;
    }
  }

  async function pass(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const response = await forward(req, body);
    res.writeHead(response.statusCode ?? 502, withoutHopByHop(response.headers));
    response.pipe(res);
  }

  async function faulted(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    call: CallInfo,
    fault: AwsFaultKind,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    const record = (kind: AwsFaultKind, entriesFailed = 0) =>
      plan.ledger.attempt(service, call.operation, call.invocationId, kind, entriesFailed);
    if (fault === 'throttle') {
      record(fault);
      return send(res, throttlingAnswer(service, call, method, plan.random(`${service} answers`)));
    }
    const partial =
      fault === 'partial'
        ? partialFault(service, call.operation, body, plan.random(`${service} entries`))
        : undefined;
    if (partial) {
      record('partial', partial.failed);
      const answered = partial.forward ? await forwardBuffered(req, partial.forward) : undefined;
      const { status, body: text } = partial.answer(answered);
      const contentType = String(answered?.headers['content-type'] ?? 'application/x-amz-json-1.0');
      return send(res, { status, headers: { 'content-type': contentType }, body: text });
    }
    // A batch without entries to fail one by one fails as a whole.
    const kind = fault === 'partial' ? 'error' : fault;
    record(kind);
    // error-after: the emulator applies the call; only its answer is lost.
    if (kind === 'error-after') await forwardBuffered(req, body);
    return send(res, internalErrorAnswer(service, call, method));
  }

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const call = describeCall(service, req.method ?? 'GET', req.url ?? '/', req.headers, body);
      const fault = plan.awsFault(service, canFailByEntry(service, call.operation, call.protocol), call);
      if (fault) return faulted(req, res, body, call, fault);
      plan.ledger.attempt(service, call.operation, call.invocationId, undefined);
      return pass(req, res, body);
    })().catch((error: unknown) => {
      // The emulator is unreachable: the caller sees what it would see of a dead endpoint.
      log(`fault proxy (${service}): ${req.method} ${req.url}: ${String(error)}`);
      res.destroy();
    });
  });
  // Longer than the SDK keeps an idle connection, so a client never reuses one this side closed.
  server.keepAliveTimeout = 65_000;
  const port = await listenOnLoopback(server, 'auto', {
    purpose: `fault proxy for ${service}`,
    setting: 'HERALD_FAULTS',
  });
  return {
    service,
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
