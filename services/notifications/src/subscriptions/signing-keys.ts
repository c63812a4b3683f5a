/**
 * Asymmetric webhook signatures (Standard Webhooks `v1a`): an Ed25519 key pair per subscription
 * instead of a shared secret, so a receiver holding only the public key can check that a webhook
 * came from Herald without being able to forge one.
 *
 * The private key is its 32-byte seed (what the spec's `whsk_<base64>` format holds), kept exactly
 * like a signing secret: KMS ciphertext under the same encryption context (signing-secrets.ts), in
 * the same `secrets` list, rotated with the same overlap. It never leaves Herald, so `whsk_` is only
 * the name of its format here. The public key is `whpk_<base64 of the raw 32 bytes>`, shown in the
 * subscription and published in the tenant's key set (webhook-keys.ts).
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { StoredPublicKey, StoredSecret } from '../model/subscription';

export const PUBLIC_KEY_PREFIX = 'whpk_';
/** The spec's name of a private key's format; Herald never shows one. */
export const PRIVATE_KEY_PREFIX = 'whsk_';

export interface SigningKeyPair {
  /** The private key's seed: what is encrypted and stored. */
  seed: Uint8Array;
  /** `whpk_<base64>`. */
  publicKey: string;
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return {
    seed: Buffer.from(jwk.d!, 'base64url'),
    publicKey: `${PUBLIC_KEY_PREFIX}${Buffer.from(jwk.x!, 'base64url').toString('base64')}`,
  };
}

/**
 * RFC 8410's PKCS#8 wrapping of an Ed25519 seed: node:crypto takes a private key as DER, PEM or a
 * JWK (which also wants the public half), and this fixed 16-byte header is all DER adds to a seed.
 */
const PKCS8_ED25519_HEADER = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The private key of a stored seed, for node:crypto's sign(). */
export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new Error('An Ed25519 seed is 32 bytes');
  return createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_HEADER, seed]),
    format: 'der',
    type: 'pkcs8',
  });
}

/**
 * The public keys as the API and the key set show them, one for each stored secret of a `v1a`
 * subscription (same times, so the same keys are active): a copy kept beside the secrets because
 * the listing and the public key set must never read the secrets' ciphertext.
 */
export const publicKeysOf = (secrets: readonly StoredSecret[]): StoredPublicKey[] =>
  secrets.flatMap((secret) =>
    secret.publicKey === undefined
      ? []
      : [
          {
            key: secret.publicKey,
            createdAt: secret.createdAt,
            ...(secret.expiresAt === undefined ? {} : { expiresAt: secret.expiresAt }),
          },
        ],
  );
