/**
 * The authorization code flow with PKCE (RFC 6749 §4.1, RFC 7636) for public clients such as the web
 * console: checking an authorization request, the sign-in form, one-time codes, and redeeming a code
 * at the token endpoint. Pure apart from randomness and the clock it is given; the server wires it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clients } from './clients';
import { KNOWN_SCOPES, normaliseScopes, TENANT_ID, TokenRequestError } from './tokens';

/** RFC 6749 §4.1.2.1 and §5.2 error codes this provider answers with. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'access_denied'
  | 'temporarily_unavailable';

export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    readonly error: OAuthErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The client or redirect URI of an authorization request is missing, unknown or not registered:
 * RFC 6749 §4.1.2.1 forbids redirecting then, so the user sees an error page instead.
 */
export class UnsafeRedirectError extends Error {
  override readonly name = 'UnsafeRedirectError';
}

/** Where an authorization request's answer (code or error) may be sent. */
export interface RedirectTarget {
  clientId: string;
  redirectUri: string;
  state?: string;
}

export interface AuthorizationRequest extends RedirectTarget {
  codeChallenge: string;
  nonce?: string;
  /** The scopes asked for, `openid` aside (it asks for the ID token, which is always issued). */
  scopes: string[];
}

/** A code lives this long (RFC 6749 §4.1.2 recommends at most 10 minutes; the console needs seconds). */
export const CODE_LIFETIME_MS = 60_000;
/** Codes outstanding at once; beyond it the oldest is dropped, so a flood of sign-ins cannot grow memory. */
export const MAX_OUTSTANDING_CODES = 1_000;

// The protocol scope: it asks for an ID token and is not a Herald permission.
const OPENID = 'openid';
// S256 challenges are BASE64URL(SHA-256(verifier)): always 43 characters.
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
// RFC 7636 §4.1: 43 to 128 characters of the unreserved set.
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
// state and nonce are opaque to the provider; they are only bounded, as they travel in the page and the code.
const MAX_OPAQUE_LENGTH = 1024;
const MAX_SUBJECT_LENGTH = 256;

function validSubject(subject: string): boolean {
  if (subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH) return false;
  // No control characters: the subject ends up in logs and on pages.
  for (let i = 0; i < subject.length; i++) {
    const code = subject.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

/** The single value of `name`; RFC 6749 §3.1 forbids repeating a parameter. */
function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new OAuthError('invalid_request', `${name} is repeated`);
  return values[0];
}

function opaque(params: URLSearchParams, name: string): string | undefined {
  const value = single(params, name);
  if (value === undefined || value === '') return undefined;
  if (value.length > MAX_OPAQUE_LENGTH) {
    throw new OAuthError('invalid_request', `${name} is longer than ${MAX_OPAQUE_LENGTH} characters`);
  }
  return value;
}

/**
 * The client and redirect URI of an authorization request, checked before anything else: only once
 * both are known good may errors go back to the client. Throws UnsafeRedirectError otherwise.
 */
export function redirectTarget(params: URLSearchParams, clients: Clients): RedirectTarget {
  const clientIds = params.getAll('client_id');
  const redirectUris = params.getAll('redirect_uri');
  const [clientId] = clientIds;
  const [redirectUri] = redirectUris;
  if (clientIds.length !== 1 || !clientId) throw new UnsafeRedirectError('client_id is missing or repeated.');
  if (!clients.isClient(clientId)) throw new UnsafeRedirectError(`The client ${clientId} is not registered.`);
  if (redirectUris.length !== 1 || !redirectUri) {
    throw new UnsafeRedirectError('redirect_uri is missing or repeated.');
  }
  if (!clients.redirectAllowed(clientId, redirectUri)) {
    throw new UnsafeRedirectError(`${redirectUri} is not a redirect URI registered for ${clientId}.`);
  }
  // A repeated state cannot go back as it came; the first one does, with the error.
  const state = params.getAll('state')[0];
  return { clientId, redirectUri, ...(state ? { state } : {}) };
}

/**
 * The rest of an authorization request, once `target` is known good. Throws OAuthError, which the
 * server sends to the redirect URI. PKCE with S256 is required: `plain` would let anyone who sees
 * the request redeem the code.
 */
export function parseAuthorizationRequest(
  params: URLSearchParams,
  target: RedirectTarget,
): AuthorizationRequest {
  opaque(params, 'state');
  const responseType = single(params, 'response_type');
  if (responseType !== 'code') {
    throw new OAuthError('unsupported_response_type', 'response_type must be code');
  }
  const method = single(params, 'code_challenge_method');
  const codeChallenge = single(params, 'code_challenge');
  if (!codeChallenge) throw new OAuthError('invalid_request', 'code_challenge is required (PKCE, S256)');
  // RFC 7636 §4.3: an absent method means plain, which is refused like an explicit one.
  if (method !== 'S256') throw new OAuthError('invalid_request', 'code_challenge_method must be S256');
  if (!S256_CHALLENGE.test(codeChallenge)) {
    throw new OAuthError('invalid_request', 'code_challenge must be 43 base64url characters (S256)');
  }
  const nonce = opaque(params, 'nonce');
  let scopes: string[];
  try {
    scopes = normaliseScopes(single(params, 'scope') ?? '').filter((scope) => scope !== OPENID);
  } catch (error) {
    if (error instanceof TokenRequestError) throw new OAuthError('invalid_scope', error.message);
    throw error;
  }
  return { ...target, codeChallenge, ...(nonce ? { nonce } : {}), scopes };
}

/** The scopes the sign-in page offers: every known one, then any other the client asked for. */
export function offeredScopes(request: AuthorizationRequest): string[] {
  return [...KNOWN_SCOPES, ...request.scopes.filter((scope) => !KNOWN_SCOPES.includes(scope))];
}

/** Pre-ticked on the page: what the client asked for, or everything when it named no scope. */
export function preselectedScopes(request: AuthorizationRequest): string[] {
  return request.scopes.length > 0 ? request.scopes : offeredScopes(request);
}

export interface SignIn {
  tenant: string;
  subject: string;
  scopes: string[];
}

/** A sign-in form field the user can correct: the page is shown again with the message. */
export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(
    readonly field: 'tenant' | 'subject' | 'scope',
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_TENANT = 'demo';
/** The sign-in form's checkboxes: apart from `scope`, which carries the client's request. */
export const GRANTED_SCOPE = 'granted_scope';
export const defaultSubject = (tenant: string) => `dev@${tenant}`;

/** The person's choices on the sign-in page: tenant, subject (empty means `dev@<tenant>`), ticked scopes. */
export function parseSignIn(form: URLSearchParams): SignIn {
  const tenant = (form.get('tenant') ?? '').trim();
  if (!TENANT_ID.test(tenant)) {
    throw new SignInError('tenant', 'A tenant is 1 to 64 characters of A-Z, a-z, 0-9, _ and -.');
  }
  const subject = (form.get('subject') ?? '').trim() || defaultSubject(tenant);
  if (!validSubject(subject)) {
    throw new SignInError('subject', 'A subject is 1 to 256 characters, without control characters.');
  }
  let scopes: string[];
  try {
    scopes = normaliseScopes(form.getAll(GRANTED_SCOPE)).filter((scope) => scope !== OPENID);
  } catch (error) {
    if (error instanceof TokenRequestError) throw new SignInError('scope', error.message);
    throw error;
  }
  return { tenant, subject, scopes };
}

/** What a code stands for, bound to the request that obtained it. */
export interface CodeGrant extends SignIn {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce?: string;
}

interface StoredCode {
  grant: CodeGrant;
  expiresAt: number;
  used: boolean;
}

export interface CodeStore {
  /** A new one-time code for `grant`: 256 random bits, valid for CODE_LIFETIME_MS. */
  issue(grant: CodeGrant): string;
  /**
   * The grant of `code`, which can never be redeemed again, even when the caller then refuses the
   * exchange (a wrong verifier burns the code). Throws OAuthError invalid_grant.
   */
  redeem(code: string): CodeGrant;
  /** Codes held (outstanding or used and not yet expired). */
  size(): number;
}

export function createCodeStore(
  options: { now?: () => number; lifetimeMs?: number; max?: number } = {},
): CodeStore {
  const now = options.now ?? Date.now;
  const lifetimeMs = options.lifetimeMs ?? CODE_LIFETIME_MS;
  const max = options.max ?? MAX_OUTSTANDING_CODES;
  // Insertion order is issue order, so the first entry is the oldest.
  const codes = new Map<string, StoredCode>();

  const sweep = () => {
    const time = now();
    for (const [code, stored] of codes) if (stored.expiresAt <= time) codes.delete(code);
  };

  return {
    issue(grant) {
      sweep();
      while (codes.size >= max) codes.delete(codes.keys().next().value!);
      const code = randomBytes(32).toString('base64url');
      codes.set(code, { grant, expiresAt: now() + lifetimeMs, used: false });
      return code;
    },
    redeem(code) {
      const stored = codes.get(code);
      if (!stored || stored.expiresAt <= now()) {
        codes.delete(code);
        throw new OAuthError('invalid_grant', 'the code is unknown or expired');
      }
      // RFC 6749 §4.1.2: a code used twice must be refused. The entry stays until it expires, to say so.
      if (stored.used) throw new OAuthError('invalid_grant', 'the code was already used');
      stored.used = true;
      return stored.grant;
    },
    size: () => codes.size,
  };
}

export interface CodeExchange {
  code: string;
  redirectUri: string;
  clientId: string;
  codeVerifier: string;
}

/** The fields of a `grant_type=authorization_code` token request, checked for shape only. */
export function parseCodeExchange(form: URLSearchParams): CodeExchange {
  const code = single(form, 'code');
  const redirectUri = single(form, 'redirect_uri');
  const clientId = single(form, 'client_id');
  const codeVerifier = single(form, 'code_verifier');
  if (!code) throw new OAuthError('invalid_request', 'code is required');
  if (!redirectUri) throw new OAuthError('invalid_request', 'redirect_uri is required');
  // Public clients have no secret; the client_id is how they say who they are (RFC 6749 §4.1.3).
  if (!clientId) throw new OAuthError('invalid_request', 'client_id is required');
  if (!codeVerifier) throw new OAuthError('invalid_request', 'code_verifier is required (PKCE)');
  if (!CODE_VERIFIER.test(codeVerifier)) {
    throw new OAuthError(
      'invalid_request',
      'code_verifier must be 43 to 128 characters of A-Z, a-z, 0-9, "-", ".", "_" and "~"',
    );
  }
  return { code, redirectUri, clientId, codeVerifier };
}

/** RFC 7636 §4.6: BASE64URL(SHA-256(ASCII(code_verifier))) must equal the code's challenge. */
export function verifierMatches(codeVerifier: string, codeChallenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(codeVerifier, 'ascii').digest('base64url'));
  const expected = Buffer.from(codeChallenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/** The grant behind a code exchange, once the code, client, redirect URI and verifier all hold. */
export function redeemCode(store: CodeStore, clients: Clients, exchange: CodeExchange): CodeGrant {
  if (!clients.isClient(exchange.clientId)) {
    throw new OAuthError('invalid_client', `the client ${exchange.clientId} is not registered`);
  }
  const grant = store.redeem(exchange.code);
  if (grant.clientId !== exchange.clientId) {
    throw new OAuthError('invalid_grant', 'the code was issued to another client');
  }
  if (grant.redirectUri !== exchange.redirectUri) {
    throw new OAuthError('invalid_grant', 'redirect_uri differs from the authorization request');
  }
  if (!verifierMatches(exchange.codeVerifier, grant.codeChallenge)) {
    throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
  }
  return grant;
}
