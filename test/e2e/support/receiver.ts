/**
 * The local webhook receiver as a subscriber sees it: an endpoint per subscription, what arrived
 * there, and the subscriber's own Standard Webhooks check with the secret it was given.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { eventually, localCloud } from '../../setup/local-cloud';

export interface ReceivedWebhook {
  seq: number;
  headers: Record<string, string>;
  /** The raw body, exactly as signed. */
  body: string;
  json?: { id: string; type: string; timestamp: string; subject?: string; data: unknown };
  /** The receiver's own verification with the endpoint's secret. */
  verified?: boolean;
  verificationError?: string;
  status: number;
}

const receiverUrl = () => localCloud().endpoints.webhooks;

export const newEndpoint = (tenant: string) => `${tenant}-${randomBytes(4).toString('hex')}`;
export const endpointUrl = (endpoint: string) => `${receiverUrl()}/${endpoint}`;

export async function setEndpointSecret(endpoint: string, secret: string): Promise<void> {
  const response = await fetch(`${receiverUrl()}/_endpoints/${endpoint}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret }),
  });
  if (response.status !== 200) throw new Error(`receiver refused the secret: ${await response.text()}`);
}

/** Every request the endpoint recorded, oldest first. */
export async function receivedAt(endpoint: string): Promise<ReceivedWebhook[]> {
  const response = await fetch(`${receiverUrl()}/_requests?endpoint=${encodeURIComponent(endpoint)}`);
  return (await response.json()) as ReceivedWebhook[];
}

/** Waits until `enough` holds of what the endpoint received, and returns it. */
export function receivedUntil(
  endpoint: string,
  enough: (requests: ReceivedWebhook[]) => boolean,
  what: string,
  timeoutMs = 90_000,
): Promise<ReceivedWebhook[]> {
  return eventually(
    async () => {
      const requests = await receivedAt(endpoint);
      return enough(requests) ? requests : undefined;
    },
    timeoutMs,
    what,
  );
}

/** The ids of the events that arrived, one entry per request. */
export const eventIds = (requests: readonly ReceivedWebhook[]) => requests.map((r) => r.json?.id ?? '');

/** The subscriber's check: throws unless the request is signed with `secret` (Standard Webhooks). */
export function verifyWebhook(request: ReceivedWebhook, secret: string): unknown {
  return new Webhook(secret).verify(request.body, request.headers);
}

/** A well-formed secret Herald never issued, to show the check can fail. */
export const foreignSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
