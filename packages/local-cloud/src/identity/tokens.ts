/**
 * Access tokens shaped the way Herald's auth middleware reads them (shared/src/middleware/auth.ts):
 * `tenant` and space-separated `scope` claims, `sub` and `exp` always present, an asymmetric signature.
 * Pure: no server, no files, so tests and the CLI can mint tokens from a key they hold.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { CryptoKey, KeyObject } from 'jose';

/** The scopes Herald's routes ask for. Others are allowed (e.g. to test a 403), just not known. */
export const KNOWN_SCOPES: readonly string[] = [
  'events:write',
  'events:read',
  'subscriptions:read',
  'subscriptions:write',
  'deliveries:read',
  'deliveries:write',
  // Ingest's event-type catalog: list and read the tenant's types, register, replace and deprecate them.
  'event-types:read',
  'event-types:write',
  // Operators: every service's dead-letter queues, across tenants (GET and redrive).
  'operator:dead-letters',
];

/** The stage's AUTH_AUDIENCE unless it was overridden. */
export const DEFAULT_AUDIENCE = 'herald';
export const DEFAULT_SUBJECT = 'local-developer';
/** Long enough for a working day of curl; this is a development issuer only. */
export const DEFAULT_EXPIRES_IN_SECONDS = 12 * 60 * 60;
export const SIGNING_ALGORITHM = 'ES256';

// Same rules as the middleware, so a token minted here is never rejected for its claims' shape.
export const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export interface TokenClaims {
  tenant: string;
  /** Scope names; a single string may hold several, space-separated. */
  scopes: readonly string[] | string;
  subject?: string;
  /** Lifetime in seconds; 12 hours by default. */
  expiresIn?: number;
  audience?: string | string[];
}

export class TokenRequestError extends Error {
  override readonly name = 'TokenRequestError';
  constructor(
    /** The claim at fault. */
    readonly field: 'tenant' | 'scope' | 'subject' | 'expiresIn',
    message: string,
  ) {
    super(message);
  }
}

/** Splits and checks scopes; throws TokenRequestError naming the bad one. */
export function normaliseScopes(scopes: readonly string[] | string): string[] {
  const list = typeof scopes === 'string' ? [scopes] : scopes;
  const result: string[] = [];
  for (const entry of list) {
    for (const scope of entry.split(/\s+/)) {
      if (scope === '') continue;
      if (!SCOPE_TOKEN.test(scope))
        throw new TokenRequestError('scope', `invalid scope ${JSON.stringify(scope)}`);
      if (!result.includes(scope)) result.push(scope);
    }
  }
  return result;
}

function checkClaims(claims: TokenClaims): { scope: string; expiresIn: number; subject: string } {
  if (typeof claims.tenant !== 'string' || !TENANT_ID.test(claims.tenant)) {
    throw new TokenRequestError(
      'tenant',
      `invalid tenant ${JSON.stringify(claims.tenant)}: 1-64 characters of A-Z, a-z, 0-9, _ and -`,
    );
  }
  const expiresIn = claims.expiresIn ?? DEFAULT_EXPIRES_IN_SECONDS;
  if (!Number.isSafeInteger(expiresIn) || expiresIn <= 0) {
    throw new TokenRequestError(
      'expiresIn',
      `invalid expiresIn ${String(expiresIn)}: a positive whole number of seconds`,
    );
  }
  const subject = claims.subject ?? DEFAULT_SUBJECT;
  if (typeof subject !== 'string' || subject.length === 0) {
    throw new TokenRequestError('subject', 'invalid subject: a non-empty string');
  }
  return { scope: normaliseScopes(claims.scopes).join(' '), expiresIn, subject };
}

/**
 * Signs an access token with `privateKey` (ES256), naming `kid` in the header so a verifier picks
 * the right key from the JWKS. Throws TokenRequestError for claims Herald would reject.
 */
export async function issueToken(
  privateKey: CryptoKey | KeyObject,
  kid: string,
  issuer: string,
  claims: TokenClaims,
): Promise<string> {
  const { scope, expiresIn, subject } = checkClaims(claims);
  const now = Math.floor(Date.now() / 1000);
  return (
    new SignJWT({ tenant: claims.tenant, scope })
      // RFC 9068: `at+jwt` marks an access token, so it cannot pass for an ID token elsewhere.
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: 'at+jwt' })
      .setIssuer(issuer)
      .setAudience(claims.audience ?? DEFAULT_AUDIENCE)
      .setSubject(subject)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + expiresIn)
      .setJti(randomUUID())
      .sign(privateKey)
  );
}

export interface IdTokenClaims {
  subject: string;
  tenant: string;
  /** The client the person signed in to: the ID token's audience (OpenID Connect Core §2). */
  clientId: string;
  /** The client's nonce from the authorization request, echoed so it can detect a replayed response. */
  nonce?: string;
  expiresIn?: number;
}

/**
 * Signs an OpenID Connect ID token: who signed in, for the client that asked. It is for the client
 * to read, never a credential for Herald's API (its audience is the client and its `typ` is not
 * `at+jwt`).
 */
export async function issueIdToken(
  privateKey: CryptoKey | KeyObject,
  kid: string,
  issuer: string,
  claims: IdTokenClaims,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    tenant: claims.tenant,
    ...(claims.nonce === undefined ? {} : { nonce: claims.nonce }),
  })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(claims.clientId)
    .setSubject(claims.subject)
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.expiresIn ?? DEFAULT_EXPIRES_IN_SECONDS))
    .sign(privateKey);
}
