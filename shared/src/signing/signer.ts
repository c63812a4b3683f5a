import { sign as signBytes } from 'node:crypto';
import { EnvelopeError, assertEnvelope } from '../contracts/envelope';
import type { Envelope, JsonValue, UnsignedEnvelope } from '../contracts/envelope';
import { signingInput } from './canonical';
import { checkPrivateJwk, importPrivateKey, parsePrivateKey } from './keys';
import type { Ed25519PrivateJwk, Ed25519PublicJwk } from './keys';

export interface EnvelopeSigner {
  /** The `kid` every envelope from this signer carries as `signaturekeyid`. */
  readonly keyId: string;
  /** The public half, in the form the verifiers' JWKS expects. */
  readonly publicJwk: Ed25519PublicJwk;
  /**
   * Returns a new, signed envelope; throws EnvelopeError if the result would not pass the
   * envelope schema or `data` has no canonical JSON form.
   */
  sign<TData = JsonValue>(unsigned: UnsignedEnvelope<TData>): Envelope<TData>;
}

/** Imports the key once; accepts the JWK object or its JSON text (as stored in Secrets Manager). */
export function createEnvelopeSigner(privateJwk: Ed25519PrivateJwk | string): EnvelopeSigner {
  const jwk = typeof privateJwk === 'string' ? parsePrivateKey(privateJwk) : checkPrivateJwk(privateJwk);
  const key = importPrivateKey(jwk);
  const keyId = jwk.kid;
  const publicJwk: Ed25519PublicJwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid: keyId };
  if (jwk.alg !== undefined) publicJwk.alg = jwk.alg;
  if (jwk.use !== undefined) publicJwk.use = jwk.use;

  return {
    keyId,
    publicJwk,
    sign<TData = JsonValue>(unsigned: UnsignedEnvelope<TData>): Envelope<TData> {
      // A re-signed envelope must not keep the previous signer's attributes.
      const {
        signature: _signature,
        signaturekeyid: _keyId,
        ...fields
      } = unsigned as UnsignedEnvelope<TData> & Partial<Pick<Envelope, 'signature' | 'signaturekeyid'>>;
      const covered = { ...fields, signaturekeyid: keyId };
      let input: Buffer;
      try {
        input = signingInput(covered);
      } catch (error) {
        throw new EnvelopeError('unserialisable', `Cannot sign envelope: ${(error as Error).message}`);
      }
      const envelope = { ...covered, signature: signBytes(null, input, key).toString('base64url') };
      assertEnvelope(envelope);
      return envelope as Envelope<TData>;
    },
  };
}
