/**
 * What a subscriber receives: the event as a Standard Webhooks payload (`type`, `timestamp`,
 * `data`, plus the event `id` and `subject`), with `webhook-id`, `webhook-timestamp` and one
 * `v1,<base64 HMAC-SHA256>` signature per active secret in `webhook-signature`. The internal
 * envelope signature and key id stay inside Herald.
 */
import type { Envelope } from '@herald/shared/contracts';
import { Webhook } from 'standardwebhooks';

export const USER_AGENT = 'Herald-Webhooks/1.0 (+https://herald.dev/webhooks)';
export const CORRELATION_HEADER = 'x-correlation-id';

export interface WebhookPayload {
  id: string;
  type: string;
  timestamp: string;
  subject?: string;
  data: unknown;
}

export function webhookPayload(envelope: Envelope): WebhookPayload {
  return {
    id: envelope.id,
    type: envelope.type,
    timestamp: envelope.time,
    ...(envelope.subject === undefined ? {} : { subject: envelope.subject }),
    data: envelope.data,
  };
}

/** The exact bytes sent and signed; the same for every attempt of a delivery. */
export const webhookBody = (envelope: Envelope): string => JSON.stringify(webhookPayload(envelope));

/** Space-separated `v1,<sig>` for each secret, newest first, as Standard Webhooks allows during rotation. */
export function signatureHeader(
  messageId: string,
  timestamp: Date,
  body: string,
  secrets: readonly Uint8Array[],
): string {
  if (secrets.length === 0) throw new Error('No active signing secret');
  return secrets
    .map((secret) => new Webhook(secret, { format: 'raw' }).sign(messageId, timestamp, body))
    .join(' ');
}

export function webhookHeaders(input: {
  messageId: string;
  timestamp: Date;
  body: string;
  secrets: readonly Uint8Array[];
  correlationId: string;
}): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': input.messageId,
    'webhook-timestamp': String(Math.floor(input.timestamp.getTime() / 1000)),
    'webhook-signature': signatureHeader(input.messageId, input.timestamp, input.body, input.secrets),
    [CORRELATION_HEADER]: input.correlationId,
  };
}
