export { canonicalJson, signingInput } from './canonical';
export { KeyError, checkPrivateJwk, generateSigningKeyPair, parsePrivateKey, parsePublicKeys } from './keys';
export type {
  Ed25519Jwks,
  Ed25519PrivateJwk,
  Ed25519PublicJwk,
  KeyErrorReason,
  SigningKeyPair,
} from './keys';
export { createEnvelopeSigner } from './signer';
export type { EnvelopeSigner } from './signer';
export { SignatureError, createEnvelopeVerifier } from './verifier';
export type { EnvelopeVerifier, SignatureErrorReason } from './verifier';
