/**
 * OpenID Connect authorization code flow with PKCE (RFC 7636, S256) for a public client, as plain
 * functions over Web Crypto and URLs. Hand-written rather than a library: the flow needs a dozen
 * small steps, and the provider's token answer is checked here against what Herald's issuers send.
 *
 * The id_token's signature is not verified: it comes straight from the token endpoint over the
 * connection the browser opened (OpenID Connect Core 3.1.3.7 allows TLS server validation instead),
 * and the console trusts no claim of it beyond the nonce, issuer and audience checked below. The
 * APIs verify the access token themselves.
 */

export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

/** What the console keeps in sessionStorage for the round trip to the provider, and removes after. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The console path to return to after signing in. */
  returnTo: string;
}

export interface TokenSet {
  accessToken: string;
  idToken?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The scopes granted, when the provider said. */
  scope?: string;
}

export class SignInError extends Error {
  override readonly name = 'SignInError';
}

export const PENDING_KEY = 'herald-console.sign-in';

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random string of the PKCE unreserved set: 32 bytes give 43 characters (RFC 7636 §4.1). */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** S256: BASE64URL(SHA-256(ASCII(code_verifier))). */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export function parseDiscovery(json: unknown, expectedIssuer: string): Discovery {
  const doc = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  for (const name of ['issuer', 'authorization_endpoint', 'token_endpoint'] as const) {
    if (typeof doc[name] !== 'string') throw new SignInError(`The issuer's discovery document lacks ${name}`);
  }
  // OpenID Connect Discovery §4.3: the document must name the issuer it was fetched from.
  if ((doc.issuer as string).replace(/\/+$/, '') !== expectedIssuer.replace(/\/+$/, ''))
    throw new SignInError('The discovery document names another issuer');
  return {
    issuer: doc.issuer as string,
    authorization_endpoint: doc.authorization_endpoint as string,
    token_endpoint: doc.token_endpoint as string,
    ...(typeof doc.end_session_endpoint === 'string'
      ? { end_session_endpoint: doc.end_session_endpoint }
      : {}),
  };
}

export function newPendingSignIn(returnTo: string): PendingSignIn {
  return { state: randomToken(), nonce: randomToken(), codeVerifier: randomToken(), returnTo };
}

export async function authorizationUrl(
  discovery: Discovery,
  request: { clientId: string; redirectUri: string; scopes: readonly string[]; pending: PendingSignIn },
): Promise<string> {
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: request.scopes.join(' '),
    state: request.pending.state,
    nonce: request.pending.nonce,
    code_challenge: await codeChallenge(request.pending.codeVerifier),
    code_challenge_method: 'S256',
  }).toString();
  return url.href;
}

export function savePending(storage: Storage, pending: PendingSignIn): void {
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
}

/** The pending sign-in, removed from storage whatever it holds: a verifier is used once. */
export function takePending(storage: Storage): PendingSignIn | undefined {
  const raw = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  if (raw === null) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<PendingSignIn>;
    if (
      typeof value.state === 'string' &&
      typeof value.nonce === 'string' &&
      typeof value.codeVerifier === 'string' &&
      typeof value.returnTo === 'string'
    )
      return value as PendingSignIn;
  } catch {
    // Not JSON: treated as no pending sign-in.
  }
  return undefined;
}

/** The authorization code of the provider's redirect, once its state is the one sent. */
export function codeFromCallback(params: URLSearchParams, pending: PendingSignIn | undefined): string {
  if (!pending) throw new SignInError('No sign-in was started in this tab; sign in again');
  if (params.get('state') !== pending.state)
    throw new SignInError('The sign-in answer does not match the request sent (state)');
  const error = params.get('error');
  if (error)
    throw new SignInError(`The issuer refused the sign-in: ${params.get('error_description') ?? error}`);
  const code = params.get('code');
  if (!code) throw new SignInError('The sign-in answer carries no code');
  return code;
}

export function tokenRequestBody(request: {
  code: string;
  redirectUri: string;
  clientId: string;
  codeVerifier: string;
}): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    code: request.code,
    redirect_uri: request.redirectUri,
    client_id: request.clientId,
    code_verifier: request.codeVerifier,
  });
}

/** The claims of a JWT, unverified (see the module's comment). */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (part === undefined) throw new SignInError('The token is not a JWT');
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims))
    throw new SignInError('The token holds no claims');
  return claims as Record<string, unknown>;
}

/** The token endpoint's answer, with the id_token's nonce, issuer and audience checked. */
export function parseTokenResponse(
  json: unknown,
  expected: { issuer: string; clientId: string; nonce: string },
  now = Date.now(),
): TokenSet {
  const body = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  if (typeof body.access_token !== 'string' || body.access_token === '')
    throw new SignInError('The issuer answered no access token');
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : undefined;
  const tokens: TokenSet = {
    accessToken: body.access_token,
    expiresAt: now + (expiresIn ?? 300) * 1000,
    ...(typeof body.scope === 'string' ? { scope: body.scope } : {}),
  };
  if (typeof body.id_token === 'string') {
    const claims = decodeJwtPayload(body.id_token);
    if (claims.nonce !== expected.nonce)
      throw new SignInError('The ID token does not match this sign-in (nonce)');
    if (
      typeof claims.iss === 'string' &&
      claims.iss.replace(/\/+$/, '') !== expected.issuer.replace(/\/+$/, '')
    )
      throw new SignInError('The ID token comes from another issuer');
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audience.includes(expected.clientId)) throw new SignInError('The ID token is for another client');
    tokens.idToken = body.id_token;
  }
  return tokens;
}

/** Where sign-out goes: the provider's end-session endpoint, back to the console's start page. */
export function endSessionUrl(
  discovery: Discovery | undefined,
  request: { clientId: string; postLogoutRedirectUri: string; idToken?: string },
): string {
  if (!discovery?.end_session_endpoint) return request.postLogoutRedirectUri;
  const url = new URL(discovery.end_session_endpoint);
  url.searchParams.set('client_id', request.clientId);
  url.searchParams.set('post_logout_redirect_uri', request.postLogoutRedirectUri);
  if (request.idToken) url.searchParams.set('id_token_hint', request.idToken);
  return url.href;
}
