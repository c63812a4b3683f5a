/**
 * Verifies a JWT in compact JWS form (RFC 7519, 7515) with node:crypto, for asymmetric algorithms
 * only: what the auth middleware asked of jose's jwtVerify (18 KB in every HTTP function) and no
 * more. A failure is a JwtError whose reason the middleware reports; anything else thrown (a key
 * set that cannot be fetched) is not the token's fault.
 */
import { constants, verify, type KeyObject } from 'node:crypto';

export type JwtFailure =
  | 'malformed_token'
  | 'algorithm_not_allowed'
  | 'unknown_signing_key'
  | 'bad_signature'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'missing_claim'
  | 'invalid_claim';

export class JwtError extends Error {
  override readonly name = 'JwtError';
  constructor(
    readonly reason: JwtFailure,
    message: string,
    /** The claim that failed its check, for claim failures. */
    readonly claim?: string,
  ) {
    super(message);
  }
}

export interface JwtHeader {
  alg: string;
  kid?: string;
  [parameter: string]: unknown;
}

export interface JwtPayload {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  [claim: string]: unknown;
}

/** The keys that may have signed a token with this header: several when it names no kid. */
export type KeySet = (header: JwtHeader) => Promise<KeyObject[]>;

export interface JwtVerifyOptions {
  issuer: string;
  audience: string | readonly string[];
  algorithms: readonly string[];
  /** Seconds `exp` and `nbf` may be off by, for clocks that differ. */
  clockTolerance: number;
  /** Claims a token must carry besides iss and aud. */
  requiredClaims: readonly string[];
}

/** What each JWS algorithm (RFC 7518, RFC 8037) needs of its key and of crypto.verify. */
export interface JwsAlgorithm {
  kty: 'RSA' | 'EC' | 'OKP';
  /** The JWK `crv` the key must have (EC and OKP). */
  crv?: string;
  /** The digest; Ed25519 takes none. */
  hash: string | null;
  /** RSASSA-PSS with a salt as long as the digest. */
  pssSaltLength?: number;
}

export const JWS_ALGORITHMS: Readonly<Record<string, JwsAlgorithm>> = {
  RS256: { kty: 'RSA', hash: 'sha256' },
  RS384: { kty: 'RSA', hash: 'sha384' },
  RS512: { kty: 'RSA', hash: 'sha512' },
  PS256: { kty: 'RSA', hash: 'sha256', pssSaltLength: 32 },
  PS384: { kty: 'RSA', hash: 'sha384', pssSaltLength: 48 },
  PS512: { kty: 'RSA', hash: 'sha512', pssSaltLength: 64 },
  ES256: { kty: 'EC', crv: 'P-256', hash: 'sha256' },
  ES384: { kty: 'EC', crv: 'P-384', hash: 'sha384' },
  ES512: { kty: 'EC', crv: 'P-521', hash: 'sha512' },
  ES256K: { kty: 'EC', crv: 'secp256k1', hash: 'sha256' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', hash: null },
  Ed25519: { kty: 'OKP', crv: 'Ed25519', hash: null },
};

// RFC 7518 3.3: RSA keys below 2048 bits must not be used.
const MIN_RSA_BITS = 2048;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

const malformed = (message: string) => new JwtError('malformed_token', message);

function decodeObject(part: string, what: string): Record<string, unknown> {
  if (!BASE64URL.test(part)) throw malformed(`the ${what} is not base64url`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw malformed(`the ${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`the ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function signatureHolds(algorithm: JwsAlgorithm, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  if (algorithm.kty === 'RSA' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) return false;
  try {
    return verify(
      algorithm.hash,
      data,
      algorithm.pssSaltLength === undefined
        ? { key, dsaEncoding: 'ieee-p1363' }
        : { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: algorithm.pssSaltLength },
      signature,
    );
  } catch {
    // A key of another type or a signature of the wrong length: not this key's signature.
    return false;
  }
}

const claimFailure = (reason: JwtFailure, claim: string, message: string) =>
  new JwtError(reason, message, claim);

/** RFC 7519 4.1: the registered claims, checked in jose's order so the same token fails the same way. */
function checkClaims(payload: JwtPayload, options: JwtVerifyOptions): void {
  for (const claim of new Set([...options.requiredClaims, 'iss', 'aud'])) {
    if (!(claim in payload)) throw claimFailure('missing_claim', claim, `the "${claim}" claim is missing`);
  }
  if (payload.iss !== options.issuer)
    throw claimFailure('wrong_issuer', 'iss', 'unexpected "iss" claim value');
  const expected: readonly string[] =
    typeof options.audience === 'string' ? [options.audience] : options.audience;
  const audiences: unknown[] = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.some((audience) => typeof audience === 'string' && expected.includes(audience))) {
    throw claimFailure('wrong_audience', 'aud', 'unexpected "aud" claim value');
  }
  if (payload.iat !== undefined && typeof payload.iat !== 'number') {
    throw claimFailure('invalid_claim', 'iat', '"iat" claim must be a number');
  }
  const now = Math.floor(Date.now() / 1000);
  if (payload.nbf !== undefined) {
    if (typeof payload.nbf !== 'number')
      throw claimFailure('invalid_claim', 'nbf', '"nbf" claim must be a number');
    if (payload.nbf > now + options.clockTolerance) {
      throw claimFailure('token_not_yet_valid', 'nbf', '"nbf" claim timestamp check failed');
    }
  }
  if (payload.exp !== undefined) {
    if (typeof payload.exp !== 'number')
      throw claimFailure('invalid_claim', 'exp', '"exp" claim must be a number');
    if (payload.exp <= now - options.clockTolerance) {
      throw claimFailure('token_expired', 'exp', '"exp" claim timestamp check failed');
    }
  }
}

/** The token's claims once its signature and registered claims hold; a JwtError otherwise. */
export async function verifyJwt(
  token: string,
  keySet: KeySet,
  options: JwtVerifyOptions,
): Promise<JwtPayload> {
  const parts = token.split('.');
  if (parts.length !== 3) throw malformed('a JWT has three parts');
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
  const header = decodeObject(encodedHeader, 'header');
  const { alg, kid } = header;
  if (typeof alg !== 'string') throw malformed('the header has no "alg"');
  if (kid !== undefined && typeof kid !== 'string') throw malformed('"kid" is not a string');
  // RFC 7515 4.1.11: a recipient must refuse extensions it does not understand; it understands none.
  if (header.crit !== undefined) throw malformed('"crit" header parameters are not supported');
  const algorithm = options.algorithms.includes(alg) ? JWS_ALGORITHMS[alg] : undefined;
  if (!algorithm) throw new JwtError('algorithm_not_allowed', `"alg" ${alg} is not allowed`);
  if (!BASE64URL.test(encodedSignature)) throw malformed('the signature is not base64url');

  const keys = await keySet(header as JwtHeader);
  if (keys.length === 0) throw new JwtError('unknown_signing_key', 'no key of the key set matches the token');
  const data = Buffer.from(`${encodedHeader}.${encodedPayload}`);
  const signature = Buffer.from(encodedSignature, 'base64url');
  if (!keys.some((key) => signatureHolds(algorithm, key, data, signature))) {
    throw new JwtError('bad_signature', 'signature verification failed');
  }
  const payload = decodeObject(encodedPayload, 'payload') as JwtPayload;
  checkClaims(payload, options);
  return payload;
}

/**
 * What Herald asks of an access token beyond its signature, shared by every place that verifies one
 * (the auth middleware, the tenants service's authorizer) so both judge a token alike: the clock
 * tolerance, the claims it must carry, a bearer header's form, the tenant claim's form, and the
 * scopes granted (`scope` as RFC 8693 spells it, or `scp` as some providers do; both are read).
 */
export const CLOCK_TOLERANCE_SECONDS = 30;
export const REQUIRED_CLAIMS: readonly string[] = ['exp', 'sub'];
// RFC 6750 b64token; anything else in the header is not a bearer token.
export const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
export const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function grantedScopes(payload: JwtPayload): string[] {
  const granted = new Set<string>();
  for (const claim of [payload.scope, payload.scp]) {
    const values = typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim : [];
    for (const value of values) if (typeof value === 'string' && value.length > 0) granted.add(value);
  }
  return [...granted];
}
