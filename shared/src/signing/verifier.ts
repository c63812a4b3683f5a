import { verify as verifyBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { EnvelopeError, assertReceivedEnvelope } from '../contracts/envelope';
import type { Envelope } from '../contracts/envelope';
import type { Violation } from '../contracts/violations';
import { signingInput } from './canonical';
import { KeyError, checkPublicKeySet, importPublicKey } from './keys';
import type { Ed25519Jwks, Ed25519PublicJwk } from './keys';

export type SignatureErrorReason = 'missing-signature' | 'unknown-key' | 'bad-signature' | 'malformed';

export class SignatureError extends Error {
  override readonly name = 'SignatureError';
  readonly reason: SignatureErrorReason;
  /** The envelope's `signaturekeyid`, when it had a usable one. */
  readonly keyId: string | undefined;
  readonly violations: readonly Violation[];

  constructor(
    reason: SignatureErrorReason,
    message: string,
    options: { keyId?: string; violations?: readonly Violation[] } = {},
  ) {
    super(message);
    this.reason = reason;
    this.keyId = options.keyId;
    this.violations = options.violations ?? [];
  }
}

export interface EnvelopeVerifier {
  /** Key ids this verifier accepts, for start-up logs. */
  readonly keyIds: readonly string[];
  /**
   * Returns the envelope when it is schema-valid and signed by one of the keys; throws
   * SignatureError otherwise. Accepts the parsed object or its JSON text.
   */
  verify(envelope: unknown): Envelope;
}

/**
 * Builds a verifier over public keys only. Several keys at once is how rotation works: publish
 * the new key beside the old, switch the signer, then drop the old key once no envelope signed
 * with it can still be in flight.
 */
export function createEnvelopeVerifier(
  publicKeys: readonly Ed25519PublicJwk[] | Ed25519Jwks,
): EnvelopeVerifier {
  const list: unknown = Array.isArray(publicKeys)
    ? publicKeys
    : (publicKeys as Partial<Ed25519Jwks> | null)?.keys;
  if (!Array.isArray(list)) {
    throw new KeyError(
      'invalid-jwk',
      'Public keys must be an array of JWKs or a JWKS object: {"keys": [...]}',
    );
  }
  // A Map, not an object, so a kid such as "__proto__" or "constructor" cannot resolve to anything.
  const keys = new Map<string, KeyObject>(
    checkPublicKeySet(list).map((jwk) => [jwk.kid, importPublicKey(jwk)]),
  );
  const keyIds = Object.freeze([...keys.keys()]);

  return {
    keyIds,
    verify(input: unknown): Envelope {
      const envelope = toEnvelope(input);
      const key = keys.get(envelope.signaturekeyid);
      if (key === undefined) {
        throw new SignatureError(
          'unknown-key',
          `Envelope is signed with unknown key ${envelope.signaturekeyid}`,
          {
            keyId: envelope.signaturekeyid,
          },
        );
      }
      let bytes: Buffer;
      try {
        bytes = signingInput(envelope);
      } catch (error) {
        throw new SignatureError('malformed', `Envelope has no canonical form: ${(error as Error).message}`, {
          keyId: envelope.signaturekeyid,
        });
      }
      const signature = Buffer.from(envelope.signature, 'base64url');
      if (signature.length !== 64 || !verifyBytes(null, bytes, key, signature)) {
        throw new SignatureError(
          'bad-signature',
          `Envelope signature does not match key ${envelope.signaturekeyid}`,
          {
            keyId: envelope.signaturekeyid,
          },
        );
      }
      return envelope;
    },
  };
}

function toEnvelope(input: unknown): Envelope {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new SignatureError('malformed', 'Envelope is not valid JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SignatureError('malformed', 'Envelope must be a JSON object');
  }
  if ((value as { signature?: unknown }).signature === undefined) {
    throw new SignatureError('missing-signature', 'Envelope has no signature');
  }
  // As a consumer: an attribute a newer producer added is let through, and signingInput covers it.
  try {
    assertReceivedEnvelope(value);
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    throw new SignatureError('malformed', error.message, { violations: error.violations });
  }
  return value;
}
