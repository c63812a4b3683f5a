/**
 * Webhook signing secrets: 32 random bytes, shown to the subscriber once as `whsec_<base64>`, stored
 * only as KMS ciphertext bound to the tenant and subscription (a ciphertext copied onto another
 * subscription does not decrypt). Rotation puts a new secret first and keeps the previous one
 * signing until its grace period ends, so a subscriber can switch without missing a webhook.
 */
import { randomBytes } from 'node:crypto';
import type { StoredSecret } from '../model/subscription';

export const SECRET_PREFIX = 'whsec_';
export const SECRET_BYTES = 32;
/** Secrets signing at once at most: the current one and those still in their grace period. */
export const MAX_SECRETS = 3;
export const MAX_GRACE_SECONDS = 7 * 24 * 3600;

/** Encrypts and decrypts secrets with the service key; the context must match to decrypt. */
export interface SecretCipher {
  encrypt(plaintext: Uint8Array, context: Record<string, string>): Promise<string>;
  decrypt(ciphertext: string, context: Record<string, string>): Promise<Uint8Array>;
}

export function secretContext(tenantId: string, subscriptionId: string): Record<string, string> {
  return { purpose: 'herald-webhook-signing-secret', tenant: tenantId, subscription: subscriptionId };
}

export function generateSecret(random: (size: number) => Uint8Array = randomBytes): Uint8Array {
  return random(SECRET_BYTES);
}

export const formatSecret = (bytes: Uint8Array): string =>
  `${SECRET_PREFIX}${Buffer.from(bytes).toString('base64')}`;

export function isActive(secret: StoredSecret, now: Date): boolean {
  return secret.expiresAt === undefined || Date.parse(secret.expiresAt) > now.getTime();
}

/** The secrets that sign at `now`, newest first. */
export function activeSecrets(secrets: readonly StoredSecret[], now: Date): StoredSecret[] {
  return secrets.filter((secret) => isActive(secret, now));
}

/**
 * The list after a rotation: the new secret first; each older one still active keeps signing until
 * `now + graceSeconds` (or its own earlier end); expired ones are dropped, and beyond MAX_SECRETS
 * the oldest go at once.
 */
export function rotateSecrets(
  current: readonly StoredSecret[],
  added: StoredSecret,
  now: Date,
  graceSeconds: number,
): StoredSecret[] {
  const graceEnd = new Date(now.getTime() + graceSeconds * 1000).toISOString();
  const kept = activeSecrets(current, now).map((secret) => ({
    ...secret,
    expiresAt: secret.expiresAt !== undefined && secret.expiresAt < graceEnd ? secret.expiresAt : graceEnd,
  }));
  const previous = graceSeconds > 0 ? kept : [];
  return [added, ...previous].slice(0, MAX_SECRETS);
}

/**
 * Keeps decrypted secrets for a few minutes per container, so a burst of deliveries to one
 * subscription costs one KMS call instead of one each. Keyed by ciphertext: a rotation is a new
 * ciphertext, so it is never served stale.
 */
export function cachingCipher(
  cipher: SecretCipher,
  options: { ttlMs: number; maxEntries: number; now?: () => number },
): SecretCipher {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { value: Promise<Uint8Array>; until: number }>();
  return {
    encrypt: (plaintext, context) => cipher.encrypt(plaintext, context),
    decrypt(ciphertext, context) {
      const key = `${JSON.stringify(context)}|${ciphertext}`;
      const hit = cache.get(key);
      if (hit && hit.until > now()) return hit.value;
      const value = cipher.decrypt(ciphertext, context);
      value.catch(() => cache.delete(key));
      if (cache.size >= options.maxEntries) cache.delete(cache.keys().next().value!);
      cache.set(key, { value, until: now() + options.ttlMs });
      return value;
    },
  };
}
