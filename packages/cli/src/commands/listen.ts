/**
 * herald listen: Herald's webhooks on a developer's machine. It subscribes a local HTTP server of
 * its own (a temporary subscription), verifies each delivery's signature with the secret it got,
 * forwards the delivery with its headers to --forward-to, and answers Herald with that target's
 * status, so retries and failures behave as they would for the real endpoint. The subscription is
 * deleted when it stops.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { CreatedSubscription } from '@herald/client';
import type { Command } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import { list as listOf, positiveInteger } from '../input';

/** The port the local cloud lets webhooks go to for `herald listen` (npm start allows it). */
export const DEFAULT_LISTEN_PORT = 4210;

/** Headers a delivery carries that the forward target needs (the signature's among them). */
const FORWARDED = [
  'content-type',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'x-correlation-id',
  'user-agent',
];

export interface Forwarded {
  time: string;
  type?: string;
  id?: string;
  webhookId?: string;
  verified: boolean;
  status?: number;
  error?: string;
  ms: number;
}

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Verifies and forwards one delivery; answers Herald with the target's status (502 when it is down). */
export async function forward(
  webhook: Webhook,
  target: string,
  headers: IncomingMessage['headers'],
  payload: Buffer,
): Promise<{ status: number; answer: string; line: Forwarded }> {
  const started = Date.now();
  const flat: Record<string, string> = {};
  for (const name of FORWARDED) {
    const value = headers[name];
    if (typeof value === 'string') flat[name] = value;
  }
  let event: { id?: string; type?: string } = {};
  try {
    event = JSON.parse(payload.toString('utf8')) as typeof event;
  } catch {
    // A delivery that is not JSON is still forwarded; its line has no type or id.
  }
  const line = (fields: Partial<Forwarded>): Forwarded => ({
    time: new Date(started).toISOString(),
    ...(event.type !== undefined && { type: event.type }),
    ...(event.id !== undefined && { id: event.id }),
    ...(flat['webhook-id'] !== undefined && { webhookId: flat['webhook-id'] }),
    verified: false,
    ms: Date.now() - started,
    ...fields,
  });
  try {
    webhook.verify(payload, flat);
  } catch (error) {
    const reason = error instanceof WebhookVerificationError ? error.message : String(error);
    return {
      status: 401,
      answer: `signature not verified: ${reason}`,
      line: line({ error: `signature: ${reason}` }),
    };
  }
  try {
    const response = await fetch(target, { method: 'POST', headers: flat, body: new Uint8Array(payload) });
    const answer = await response.text();
    return {
      status: response.status,
      answer,
      line: line({ verified: true, status: response.status, ms: Date.now() - started }),
    };
  } catch (error) {
    const reason = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
    return {
      status: 502,
      answer: `forward target unreachable: ${reason}`,
      line: line({ verified: true, error: reason }),
    };
  }
}

export function formatForwarded(line: Forwarded): string {
  const outcome = line.status === undefined ? `! ${line.error}` : `-> ${line.status}`;
  return `${line.time}  ${line.type ?? '-'}  ${line.id ?? '-'}  ${outcome}  ${line.ms} ms`;
}

function listenOn(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export const listen: Command = {
  words: ['listen'],
  summary: "Receive Herald's webhooks locally and forward them to your app (local cloud)",
  usage: '--forward-to URL [--events TYPES] [--port PORT]',
  options: {
    'forward-to': {
      type: 'string',
      valueName: 'URL',
      description: 'where to POST each verified delivery, e.g. http://localhost:3000/webhooks',
    },
    events: {
      type: 'string',
      multiple: true,
      valueName: 'TYPES',
      description: 'event types to subscribe to (default *, all)',
    },
    port: {
      type: 'string',
      valueName: 'PORT',
      description: `port of the local receiver (default $HERALD_LISTEN_PORT, else ${DEFAULT_LISTEN_PORT}); the local cloud must allow webhooks to it`,
    },
  },
  details: `For the local cloud (npm start), which lets webhooks go to port ${DEFAULT_LISTEN_PORT} (HERALD_LISTEN_PORT for
both). Creates a temporary subscription to http://127.0.0.1:PORT/, verifies each delivery's
Standard Webhooks signature with the secret it was given (printed at start, for your app to verify
with too), forwards the delivery and its webhook-* headers to --forward-to, and answers Herald with
the target's status (502 when it cannot be reached), so Herald retries as it would your endpoint.
Prints a line per delivery: time, event type, event id, the target's status, milliseconds
(--json: one JSON object per line). Ctrl-C deletes the subscription and stops.`,
  async run(context, values) {
    const target = values['forward-to'];
    if (typeof target !== 'string')
      throw new UsageError('--forward-to is required, e.g. --forward-to http://localhost:3000/webhooks');
    if (!URL.canParse(target)) throw new UsageError(`--forward-to ${target} is not a URL`);
    const port =
      positiveInteger(values.port ?? context.io.env.HERALD_LISTEN_PORT, 'port') ?? DEFAULT_LISTEN_PORT;
    const eventTypes = listOf(values.events);
    const client = context.client();
    // Caught from now on, so Ctrl-C while starting still deletes the subscription.
    const stopped = context.io.stopped();

    // Known once the subscription is made; a request before then (none is expected) is refused.
    const signing: { webhook?: Webhook } = {};
    const server = createServer((request, response) => {
      void (async () => {
        const payload = await body(request);
        if (!signing.webhook) {
          response.writeHead(503).end('not ready');
          return;
        }
        const { status, answer, line } = await forward(signing.webhook, target, request.headers, payload);
        response.writeHead(status, { 'content-type': 'text/plain' }).end(answer.slice(0, 1024));
        context.out(context.json ? JSON.stringify(line) : formatForwarded(line));
      })();
    });
    try {
      await listenOn(server, port);
    } catch (error) {
      throw new UsageError(`cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`);
    }

    let subscription: CreatedSubscription;
    try {
      subscription = await client.subscriptions.create({
        url: `http://127.0.0.1:${port}/`,
        eventTypes: eventTypes.length > 0 ? eventTypes : ['*'],
        description: `herald listen --forward-to ${target}`,
      });
    } catch (error) {
      server.close();
      throw error;
    }
    signing.webhook = new Webhook(subscription.secret!);
    context.note(
      `Ready: ${subscription.eventTypes.join(',')} events are forwarded to ${target} ` +
        `(subscription ${subscription.id}, signing secret ${subscription.secret}). Ctrl-C to stop.`,
    );
    if (context.json)
      context.out(
        JSON.stringify({ ready: true, subscription: subscription.id, secret: subscription.secret }),
      );

    const signal = await stopped;
    server.close();
    server.closeAllConnections();
    try {
      await client.subscriptions.delete(subscription.id);
      context.note(`${signal}: deleted subscription ${subscription.id}`);
    } catch (error) {
      context.note(
        `${signal}: could not delete subscription ${subscription.id}: ${(error as Error).message}`,
      );
      return EXIT.problem;
    }
    return EXIT.ok;
  },
};
