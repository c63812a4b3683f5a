/**
 * The subscriber of a run: an endpoint of the local cloud's webhook receiver (the one port besides
 * 443 the local stage lets webhooks go to), read as the run goes. The receiver keeps its last 1,000
 * requests only, fewer than a run sends, so what arrived is taken out of it every quarter second, in
 * one synchronous step with nothing arriving in between. Every so often the endpoint refuses the next
 * webhook with 503, as a real subscriber sometimes does, so Herald's own retries run under the
 * faults too.
 */
import type { LocalCloud } from '@herald/local-cloud';

export interface Receipt {
  webhookId: string;
  eventId: string;
  /** `data.seq` of the event: which event of the run it is. */
  seq: number | undefined;
  status: number;
  /** Verified by the receiver with the subscription's secret (Standard Webhooks). */
  verified: boolean;
}

export interface Subscriber {
  /** The subscription's URL. */
  url: string;
  receipts: Receipt[];
  /** Verifies from now on with this secret (the one the subscription was created with). */
  setSecret(secret: string): void;
  stop(): void;
}

export interface SubscriberOptions {
  endpoint: string;
  /** Every this many ms, the next `refusals` webhooks are answered 503 (0: never). */
  refuseEveryMs: number;
  refusals: number;
}

const POLL_MS = 250;

export function subscriber(receiver: LocalCloud['webhooks'], options: SubscriberOptions): Subscriber {
  const { endpoint } = options;
  const receipts: Receipt[] = [];
  receiver.clear(endpoint);
  const take = () => {
    const arrived = receiver.requests(endpoint);
    receiver.clear(endpoint);
    for (const request of arrived) {
      const json = request.json as { id?: string; data?: { seq?: unknown } } | undefined;
      const header = request.headers['webhook-id'];
      receipts.push({
        webhookId: (Array.isArray(header) ? header[0] : header) ?? '',
        eventId: json?.id ?? '',
        seq: typeof json?.data?.seq === 'number' ? json.data.seq : undefined,
        status: request.status,
        verified: request.verified === true,
      });
    }
  };
  const polling = setInterval(take, POLL_MS);
  const refusing =
    options.refuseEveryMs > 0
      ? setInterval(
          () => receiver.configure(endpoint, { failTimes: options.refusals, status: 503 }),
          options.refuseEveryMs,
        )
      : undefined;
  return {
    url: `${receiver.url}/${endpoint}`,
    receipts,
    setSecret: (secret) => receiver.setSecret(endpoint, secret),
    stop() {
      clearInterval(polling);
      clearInterval(refusing);
      take();
    },
  };
}
