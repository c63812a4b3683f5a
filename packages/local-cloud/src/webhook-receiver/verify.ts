/**
 * Standard Webhooks signature checks with the reference library, so the receiver judges Herald's
 * signatures the way subscribers' code will.
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { IncomingHttpHeaders } from 'node:http';
import { EndpointSettingError } from './behaviour';

export type Verification = { verified: true } | { verified: false; reason: string };

/** Throws EndpointSettingError unless the secret is a usable `whsec_<base64>` (or bare base64) secret. */
export function checkSecret(secret: unknown): string {
  const invalid = new EndpointSettingError('a secret must be whsec_ followed by base64');
  if (typeof secret !== 'string') throw invalid;
  const base64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) throw invalid;
  try {
    new Webhook(secret);
  } catch {
    throw invalid;
  }
  return secret;
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * Verified when any of `secrets` matches any `v1,` signature in the header: the sender may sign with
 * old and new secrets during a rotation, and the subscriber may accept either of two.
 */
export function verifyRequest(
  secrets: readonly string[],
  headers: IncomingHttpHeaders,
  body: Buffer,
): Verification {
  const flat = flatten(headers);
  let reason = 'no secret';
  for (const secret of secrets) {
    try {
      // jsonParse off: a signed non-JSON body is still correctly signed.
      new Webhook(secret).verify(body, flat, { jsonParse: false });
      return { verified: true };
    } catch (error) {
      reason =
        error instanceof WebhookVerificationError ? error.message : `verification failed: ${String(error)}`;
    }
  }
  return { verified: false, reason };
}
