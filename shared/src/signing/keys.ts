import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { EnvelopePattern } from '../contracts/envelope';

interface Ed25519JwkMembers {
  kty: 'OKP';
  crv: 'Ed25519';
  /** Public key, 32 bytes, base64url. */
  x: string;
  /** Key id, carried in each envelope's `signaturekeyid`. */
  kid: string;
  /** `EdDSA` (RFC 8037) or its fully specified successor `Ed25519` (RFC 9864). */
  alg?: 'EdDSA' | 'Ed25519';
  use?: 'sig';
  key_ops?: string[];
}

/** `d?: never` makes handing a private JWK to a verifier a type error as well as a runtime one. */
export interface Ed25519PublicJwk extends Ed25519JwkMembers {
  d?: never;
}

export interface Ed25519PrivateJwk extends Ed25519JwkMembers {
  /** Private key, 32 bytes, base64url. */
  d: string;
}

export interface Ed25519Jwks {
  keys: Ed25519PublicJwk[];
}

export interface SigningKeyPair {
  privateJwk: Ed25519PrivateJwk;
  publicJwk: Ed25519PublicJwk;
}

export type KeyErrorReason =
  | 'malformed-json'
  | 'invalid-jwk'
  | 'private-key-material'
  | 'not-private'
  | 'key-mismatch'
  | 'duplicate-kid'
  | 'no-keys';

export class KeyError extends Error {
  override readonly name = 'KeyError';
  readonly reason: KeyErrorReason;

  constructor(reason: KeyErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

// 32 bytes in unpadded base64url: 43 characters, the last carrying 4 bits, so only these 16 end it.
const KEY_BYTES_32 = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/**
 * Parses the stage parameter holding the verification keys: a JWKS, `{"keys": [...]}`, with
 * Ed25519 public keys only.
 */
export function parsePublicKeys(value: string): Ed25519Jwks {
  // JSON.parse's message quotes the input; were a private key pasted here by mistake it would leak.
  const parsed = parseJson(value, 'Public keys are not valid JSON (expected a JWKS: {"keys": [...]})');
  if (!isObject(parsed) || !Array.isArray(parsed.keys)) {
    throw new KeyError('invalid-jwk', 'Public keys must be a JWKS object: {"keys": [...]}');
  }
  return { keys: checkPublicKeySet(parsed.keys) };
}

/** Parses a private signing key stored as JSON text (the Secrets Manager secret string). */
export function parsePrivateKey(value: string): Ed25519PrivateJwk {
  return checkPrivateJwk(parseJson(value, 'Private key is not valid JSON (expected an Ed25519 JWK)'));
}

export function generateSigningKeyPair(kid: string): SigningKeyPair {
  checkKid(kid, 'kid');
  const { privateKey } = generateKeyPairSync('ed25519');
  const { x, d } = privateKey.export({ format: 'jwk' });
  const publicJwk: Ed25519PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: x!, kid, alg: 'Ed25519', use: 'sig' };
  return { privateJwk: { ...publicJwk, d: d! }, publicJwk };
}

/** Validates a set of public keys: at least one, none private, no kid twice. */
export function checkPublicKeySet(keys: readonly unknown[]): Ed25519PublicJwk[] {
  if (keys.length === 0) throw new KeyError('no-keys', 'The public key set is empty; nothing could verify');
  const seen = new Set<string>();
  return keys.map((key, index) => {
    const jwk = checkPublicJwk(key, `keys[${index}]`);
    if (seen.has(jwk.kid)) {
      throw new KeyError(
        'duplicate-kid',
        `keys[${index}]: kid ${JSON.stringify(jwk.kid)} appears more than once`,
      );
    }
    seen.add(jwk.kid);
    return jwk;
  });
}

export function checkPublicJwk(value: unknown, label = 'JWK'): Ed25519PublicJwk {
  checkCommonMembers(value, label);
  if ('d' in value) {
    throw new KeyError(
      'private-key-material',
      `${label} (kid ${JSON.stringify(value.kid)}) contains private key material ("d"); ` +
        'a verifier takes public keys only: publish the JWK without "d"',
    );
  }
  checkKeyOps(value, label, 'verify');
  return value as unknown as Ed25519PublicJwk;
}

export function checkPrivateJwk(value: unknown, label = 'Private JWK'): Ed25519PrivateJwk {
  checkCommonMembers(value, label);
  if (!('d' in value))
    throw new KeyError('not-private', `${label} has no "d": it is a public key, not a signing key`);
  // Never echo "d", not even in part: error messages end up in logs.
  if (typeof value.d !== 'string' || !KEY_BYTES_32.test(value.d)) {
    throw new KeyError('invalid-jwk', `${label}: "d" must be 32 bytes in base64url`);
  }
  checkKeyOps(value, label, 'sign');
  return value as unknown as Ed25519PrivateJwk;
}

export function importPublicKey(jwk: Ed25519PublicJwk): KeyObject {
  return createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
}

/**
 * Imports a private key and proves its "x" belongs to its "d": with a mismatched pair every
 * signature would fail against the published public key, so fail at start-up instead.
 */
export function importPrivateKey(jwk: Ed25519PrivateJwk): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d }, format: 'jwk' });
  } catch {
    throw new KeyError(
      'invalid-jwk',
      `Private JWK ${JSON.stringify(jwk.kid)} cannot be imported as an Ed25519 key`,
    );
  }
  if (createPublicKey(key).export({ format: 'jwk' }).x !== jwk.x) {
    throw new KeyError(
      'key-mismatch',
      `Private JWK ${JSON.stringify(jwk.kid)}: "x" is not the public half of "d"`,
    );
  }
  return key;
}

function checkCommonMembers(value: unknown, label: string): asserts value is Record<string, unknown> {
  if (!isObject(value)) throw new KeyError('invalid-jwk', `${label} must be a JSON object`);
  if (value.kty !== 'OKP' || value.crv !== 'Ed25519') {
    throw new KeyError('invalid-jwk', `${label} must be an Ed25519 key: "kty": "OKP", "crv": "Ed25519"`);
  }
  checkKid(value.kid, `${label}: "kid"`);
  if (typeof value.x !== 'string' || !KEY_BYTES_32.test(value.x)) {
    throw new KeyError('invalid-jwk', `${label}: "x" must be 32 bytes in base64url`);
  }
  if (value.alg !== undefined && value.alg !== 'EdDSA' && value.alg !== 'Ed25519') {
    throw new KeyError('invalid-jwk', `${label}: "alg" must be "EdDSA" or "Ed25519" when present`);
  }
  if (value.use !== undefined && value.use !== 'sig') {
    throw new KeyError('invalid-jwk', `${label}: "use" must be "sig" when present`);
  }
}

function checkKeyOps(value: Record<string, unknown>, label: string, operation: 'sign' | 'verify'): void {
  const ops = value.key_ops;
  if (ops === undefined) return;
  if (!Array.isArray(ops) || !ops.includes(operation)) {
    throw new KeyError('invalid-jwk', `${label}: "key_ops" must include "${operation}" when present`);
  }
}

// The kid travels as the envelope's signaturekeyid, so it must fit that attribute's schema.
function checkKid(kid: unknown, label: string): asserts kid is string {
  if (typeof kid !== 'string' || !EnvelopePattern.signaturekeyid.test(kid)) {
    throw new KeyError('invalid-jwk', `${label} must be 1-128 characters of A-Z a-z 0-9 . _ : -`);
  }
}

function parseJson(value: string, message: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new KeyError('malformed-json', message);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
