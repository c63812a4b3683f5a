/**
 * A subscriber that keeps every webhook it is sent, for as long as a run lasts: the local cloud's
 * receiver keeps its last 1,000 requests only, fewer than a run sends. It verifies each with the
 * subscription's secret (Standard Webhooks) and fails a share of them with 503, as a real receiver
 * sometimes does, so Herald's own retries run under the faults too.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface Receipt {
  webhookId: string;
  eventId: string;
  /** `data.seq` of the event: which event of the run it is. */
  seq: number | undefined;
  status: number;
  verified: boolean;
  at: number;
}

export interface RecordingReceiver {
  /** `http://127.0.0.1:<port>/<path>`, the subscription's URL. */
  url: string;
  receipts: Receipt[];
  /** Verifies from now on with this secret (the one the subscription was created with). */
  setSecret(secret: string): void;
  stop(): Promise<void>;
}

/** A small seeded sequence, so a run's receiver failures repeat. */
function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

const one = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
};

export async function startRecordingReceiver(options: {
  failureRate: number;
  seed: number;
}): Promise<RecordingReceiver> {
  const receipts: Receipt[] = [];
  const random = seeded(options.seed);
  let webhook: Webhook | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified: boolean;
      try {
        webhook?.verify(body, req.headers as Record<string, string>);
        verified = webhook !== undefined;
      } catch {
        verified = false;
      }
      let json: { id?: string; data?: { seq?: number } } = {};
      try {
        json = JSON.parse(body) as typeof json;
      } catch {
        // Recorded as it came; an unreadable body has no event id.
      }
      const status = random() < options.failureRate ? 503 : 200;
      receipts.push({
        webhookId: one(req.headers, 'webhook-id'),
        eventId: json.id ?? '',
        seq: typeof json.data?.seq === 'number' ? json.data.seq : undefined,
        status,
        verified,
        at: Date.now(),
      });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'try again');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/faults`,
    receipts,
    setSecret(secret) {
      webhook = new Webhook(secret);
    },
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
