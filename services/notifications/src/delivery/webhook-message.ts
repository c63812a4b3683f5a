/**
 * What a subscriber receives: the event as a Standard Webhooks payload (`type`, `timestamp`,
 * `data`, plus the event `id` and `subject`), with `webhook-id`, `webhook-timestamp` and one
 * `v1,<base64 HMAC-SHA256>` signature per active secret in `webhook-signature` (or, for a `v1a`
 * subscription, one `v1a,<base64 Ed25519>` per active key). The internal envelope signature and
 * key id stay inside Herald.
 */
import { createHmac, sign, type KeyObject } from 'node:crypto';
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

/**
 * Space-separated `v1a,<sig>` for each private key, newest first: the spec's asymmetric scheme, an
 * Ed25519 signature (RFC 8032, so the same bytes every time) of the same `<id>.<unix seconds>.<body>`
 * as v1, in standard base64. Made with node:crypto, which adds nothing to the bundle.
 */
export function asymmetricSignatureHeader(
  messageId: string,
  timestamp: Date,
  body: string,
  privateKeys: readonly KeyObject[],
): string {
  if (privateKeys.length === 0) throw new Error('No active signing key');
  const signed = Buffer.from(`${messageId}.${Math.floor(timestamp.getTime() / 1000)}.${body}`, 'utf8');
  return privateKeys.map((key) => `v1a,${sign(null, signed, key).toString('base64')}`).join(' ');
}

/** How a delivery is signed: `v1` with secrets (HMAC), or `v1a` with Ed25519 private keys. */
export type WebhookSigning =
  | { secrets: readonly Uint8Array[]; privateKeys?: undefined }
  | { privateKeys: readonly KeyObject[]; secrets?: undefined };

export function webhookHeaders(
  input: {
    messageId: string;
    timestamp: Date;
    body: string;
    correlationId: string;
  } & WebhookSigning,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': input.messageId,
    'webhook-timestamp': String(Math.floor(input.timestamp.getTime() / 1000)),
    'webhook-signature':
      input.privateKeys === undefined
        ? signatureHeader(input.messageId, input.timestamp, input.body, input.secrets)
        : asymmetricSignatureHeader(input.messageId, input.timestamp, input.body, input.privateKeys),
    [CORRELATION_HEADER]: input.correlationId,
  };
}
