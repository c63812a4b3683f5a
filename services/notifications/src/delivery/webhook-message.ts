/**
 * What a subscriber receives: the event as a Standard Webhooks payload (`type`, `timestamp`,
 * `data`, plus the event `id` and `subject`), with `webhook-id`, `webhook-timestamp` and one
 * `v1,<base64 HMAC-SHA256>` signature per active secret in `webhook-signature`. The internal
 * envelope signature and key id stay inside Herald.
 */
import { createHmac } from 'node:crypto';
import type { Envelope } from '@herald/shared/contracts';
import type { WebhookPayload } from '../schemas/webhook-payload.types.generated';

export const USER_AGENT = 'Herald-Webhooks/1.0 (+https://herald.dev/webhooks)';
export const CORRELATION_HEADER = 'x-correlation-id';

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

/**
 * Space-separated `v1,<sig>` for each secret, newest first, as Standard Webhooks allows during rotation.
 * Each is the spec's HMAC-SHA256 of `<id>.<unix seconds>.<body>` in base64, made with node:crypto
 * rather than the standardwebhooks package, whose pure-JS SHA-256 and base64 would add 12 KB to the
 * deliver bundle; its verifier judges these signatures in the tests, as a subscriber's would.
 */
export function signatureHeader(
  messageId: string,
  timestamp: Date,
  body: string,
  secrets: readonly Uint8Array[],
): string {
  if (secrets.length === 0) throw new Error('No active signing secret');
  const signed = `${messageId}.${Math.floor(timestamp.getTime() / 1000)}.${body}`;
  return secrets
    .map((secret) => `v1,${createHmac('sha256', secret).update(signed, 'utf8').digest('base64')}`)
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
