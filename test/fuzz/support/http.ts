/**
 * A bare HTTP client for the fuzz cases: headers sent exactly as listed (duplicates, any order, any
 * latin-1 bytes), bodies sent as the bytes given, over keep-alive connections, with a cap on
 * requests in flight so that several routes' properties can run at once without swamping the
 * functions (each concurrent invocation beyond the warm ones costs a cold start).
 */
import http from 'node:http';
import type { Header } from './arbitraries';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The connection failed or timed out: no answer at all. */
export interface NoAnswer {
  error: string;
}

export class RawHttp {
  private readonly agent: http.Agent;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  sent = 0;

  constructor(
    private readonly concurrency = 4,
    private readonly timeoutMs = 30_000,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  }

  async send(
    base: string,
    method: string,
    path: string,
    headers: Header[],
    body?: Buffer,
  ): Promise<Answer | NoAnswer> {
    await this.slot();
    try {
      return await this.request(base, method, path, headers, body);
    } finally {
      this.inFlight -= 1;
      this.waiting.shift()?.();
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private slot(): Promise<void> {
    if (this.inFlight < this.concurrency) {
      this.inFlight += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.inFlight += 1;
        resolve();
      }),
    );
  }

  private request(
    base: string,
    method: string,
    path: string,
    headers: Header[],
    body?: Buffer,
  ): Promise<Answer | NoAnswer> {
    const url = new URL(base);
    this.sent += 1;
    const raw: string[] = ['host', url.host];
    for (const [name, value] of headers) raw.push(name, value);
    if (body !== undefined && !headers.some(([name]) => name.toLowerCase() === 'content-length'))
      raw.push('content-length', String(body.length));
    return new Promise((resolve) => {
      let settled = false;
      const done = (value: Answer | NoAnswer) => {
        if (settled) return;
        settled = true;
        resolve(value);
      };
      let request: http.ClientRequest;
      try {
        request = http.request(
          // An array of headers is sent as it is: Node adds nothing and merges nothing.
          { agent: this.agent, host: url.hostname, port: url.port, method, path, headers: raw as never },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () =>
              done({
                status: response.statusCode ?? 0,
                headers: response.headers,
                body: Buffer.concat(chunks).toString('utf8'),
              }),
            );
            response.on('error', (error) => done({ error: String(error) }));
          },
        );
      } catch (error) {
        done({ error: `not sent: ${String(error)}` });
        return;
      }
      request.setTimeout(this.timeoutMs, () => {
        request.destroy(new Error(`no answer within ${this.timeoutMs} ms`));
      });
      // A server may answer and close before it has read the whole body (EPIPE while writing):
      // its answer, if it comes, is what counts.
      request.on('error', (error) => setTimeout(() => done({ error: String(error) }), 200));
      request.end(body);
    });
  }
}

export const isAnswer = (value: Answer | NoAnswer): value is Answer => 'status' in value;
