/**
 * The hop from the local cloud's front (the IAM gateway) to an emulator:
 * a request read whole is sent on as it came (method, path, headers but the hop-by-hop ones, body),
 * and the emulator's answer goes back as it came.
 */
import {
  Agent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { Answer } from './gateway-answers';

/** What the front read of a request: enough to forward it, authorize it, or answer it itself. */
export interface FrontRequest {
  method: string;
  /** Path and query, as the client sent them. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface BufferedAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Upstream {
  /** Sends the request on and pipes the emulator's answer to `res`. */
  pass(request: FrontRequest, res: ServerResponse, body?: Buffer): Promise<void>;
  /** Sends the request on (with `body` instead of its own, if given) and reads the answer whole. */
  forwardBuffered(request: FrontRequest, body?: Buffer): Promise<BufferedAnswer | undefined>;
  stop(): void;
}

// Connection-level headers belong to each hop; `expect` was already answered by the front.
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

export function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers))
    if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
  return out;
}

export function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

/** `target`: the emulator's `http://host:port`. `describe` names the front in logs. */
export function createUpstream(target: string, describe: string, log: (line: string) => void): Upstream {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  function forward(request: FrontRequest, body: Buffer, retried = false): Promise<IncomingMessage> {
    const headers = withoutHopByHop(request.headers);
    if (body.length > 0 || request.headers['content-length'] !== undefined)
      headers['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const out = httpRequest(
        {
          agent,
          hostname: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.path,
          headers,
        },
        resolve,
      );
      out.once('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the emulator closed as it was reused: the emulator never read the
        // request, so it goes again on a new connection.
        if (out.reusedSocket && error.code === 'ECONNRESET' && !retried)
          forward(request, body, true).then(resolve, reject);
        else reject(error);
      });
      out.end(body);
    });
  }

  return {
    async pass(request, res, body = request.body) {
      const response = await forward(request, body);
      res.writeHead(response.statusCode ?? 502, withoutHopByHop(response.headers));
      response.pipe(res);
    },
    async forwardBuffered(request, body = request.body) {
      try {
        const response = await forward(request, body);
        return {
          status: response.statusCode ?? 502,
          headers: response.headers,
          body: await readAll(response),
        };
      } catch (error) {
        log(`${describe}: ${request.method} ${request.path} could not reach the emulator: ${String(error)}`);
        return undefined;
      }
    },
    stop: () => agent.destroy(),
  };
}

/** What a front read of a request, whole. */
export async function readRequest(req: IncomingMessage): Promise<FrontRequest> {
  const body = await readAll(req);
  return { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
}

/** An answer the front gives itself (a denial, a fault), never the emulator's. */
export function sendAnswer(res: ServerResponse, answer: Answer): void {
  const body = Buffer.from(answer.body);
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(body.length) });
  res.end(body);
}
