import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import {
  authorizationUrl,
  base64url,
  codeChallenge,
  codeFromCallback,
  decodeJwtPayload,
  endSessionUrl,
  newPendingSignIn,
  parseDiscovery,
  parseTokenResponse,
  PENDING_KEY,
  randomToken,
  savePending,
  SignInError,
  takePending,
  tokenRequestBody,
  type Discovery,
} from '../src/auth/oidc';

const ISSUER = 'http://localhost:4100';
const discovery: Discovery = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  end_session_endpoint: `${ISSUER}/logout`,
};

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

const jwt = (claims: Record<string, unknown>) =>
  `${base64url(new TextEncoder().encode('{"alg":"none"}'))}.${base64url(new TextEncoder().encode(JSON.stringify(claims)))}.sig`;

describe('PKCE', () => {
  test('a verifier is 43 characters of the unreserved set, a new one each time', () => {
    const verifier = randomToken();
    expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43}$/);
    expect(randomToken()).not.toBe(verifier);
  });

  test('the S256 challenge is BASE64URL(SHA-256(verifier)), as RFC 7636 appendix B gives it', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
    const verifier = randomToken();
    expect(await codeChallenge(verifier)).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });
});

describe('authorization request', () => {
  test('carries the code flow, S256 challenge, state and nonce', async () => {
    const pending = newPendingSignIn('/events');
    const url = new URL(
      await authorizationUrl(discovery, {
        clientId: 'herald-console',
        redirectUri: 'http://localhost:4400/callback',
        scopes: ['openid', 'events:read'],
        pending,
      }),
    );
    expect(url.origin + url.pathname).toBe(`${ISSUER}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'herald-console',
      redirect_uri: 'http://localhost:4400/callback',
      scope: 'openid events:read',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await codeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('code_verifier')).toBeNull();
  });

  test('the pending sign-in is read once: taking it removes it', () => {
    const storage = memoryStorage();
    const pending = newPendingSignIn('/');
    savePending(storage, pending);
    expect(takePending(storage)).toEqual(pending);
    expect(storage.getItem(PENDING_KEY)).toBeNull();
    expect(takePending(storage)).toBeUndefined();
  });

  test('a damaged pending sign-in counts as none, and is removed', () => {
    const storage = memoryStorage();
    storage.setItem(PENDING_KEY, '{"state":1');
    expect(takePending(storage)).toBeUndefined();
    expect(storage.length).toBe(0);
  });
});

describe('callback', () => {
  const pending = { state: 's1', nonce: 'n1', codeVerifier: 'v'.repeat(43), returnTo: '/' };

  test('gives the code when the state is the one sent', () => {
    expect(codeFromCallback(new URLSearchParams('code=abc&state=s1'), pending)).toBe('abc');
  });

  test.each([
    ['another state', 'code=abc&state=s2', /state/],
    ['no state', 'code=abc', /state/],
    ['an error', 'error=access_denied&error_description=No%20way&state=s1', /No way/],
    ['no code', 'state=s1', /no code/],
  ])('refuses %s', (_, query, message) => {
    expect(() => codeFromCallback(new URLSearchParams(query), pending)).toThrow(message);
  });

  test('refuses a callback no sign-in of this tab started', () => {
    expect(() => codeFromCallback(new URLSearchParams('code=abc&state=s1'), undefined)).toThrow(SignInError);
  });

  test('the token request is the code grant with the verifier', () => {
    const body = tokenRequestBody({
      code: 'abc',
      redirectUri: 'http://localhost:4400/callback',
      clientId: 'herald-console',
      codeVerifier: pending.codeVerifier,
    });
    expect(Object.fromEntries(body)).toEqual({
      grant_type: 'authorization_code',
      code: 'abc',
      redirect_uri: 'http://localhost:4400/callback',
      client_id: 'herald-console',
      code_verifier: pending.codeVerifier,
    });
  });
});

describe('token response', () => {
  const expected = { issuer: ISSUER, clientId: 'herald-console', nonce: 'n1' };
  const idToken = (claims: Record<string, unknown> = {}) =>
    jwt({ iss: ISSUER, aud: 'herald-console', nonce: 'n1', sub: 'dev@demo', ...claims });

  test('keeps the tokens, expiry and scope', () => {
    const tokens = parseTokenResponse(
      {
        access_token: 'at',
        id_token: idToken(),
        expires_in: 600,
        scope: 'events:read',
        token_type: 'Bearer',
      },
      expected,
      1_000,
    );
    expect(tokens).toEqual({
      accessToken: 'at',
      idToken: idToken(),
      expiresAt: 601_000,
      scope: 'events:read',
    });
  });

  test.each([
    ['another nonce', { nonce: 'n2' }, /nonce/],
    ['no nonce', { nonce: undefined }, /nonce/],
    ['another issuer', { iss: 'https://evil.example' }, /issuer/],
    ['another audience', { aud: 'someone-else' }, /client/],
  ])('refuses an ID token with %s', (_, claims, message) => {
    expect(() => parseTokenResponse({ access_token: 'at', id_token: idToken(claims) }, expected)).toThrow(
      message,
    );
  });

  test('accepts an audience list that names the client', () => {
    const token = idToken({ aud: ['api', 'herald-console'] });
    expect(parseTokenResponse({ access_token: 'at', id_token: token }, expected).idToken).toBe(token);
  });

  test('refuses an answer without an access token', () => {
    expect(() => parseTokenResponse({ id_token: idToken() }, expected)).toThrow(/access token/);
  });

  test('decodes a JWT payload of base64url with non-ASCII claims', () => {
    expect(decodeJwtPayload(jwt({ sub: 'zoë', scope: 'a b' }))).toEqual({ sub: 'zoë', scope: 'a b' });
    expect(() => decodeJwtPayload('not-a-jwt')).toThrow(SignInError);
  });
});

describe('discovery and sign-out', () => {
  test('discovery needs the endpoints and the issuer it was fetched from', () => {
    expect(parseDiscovery({ ...discovery, jwks_uri: 'x' }, `${ISSUER}/`)).toEqual(discovery);
    expect(() => parseDiscovery({ ...discovery, issuer: 'http://other' }, ISSUER)).toThrow(/another issuer/);
    expect(() => parseDiscovery({ issuer: ISSUER, token_endpoint: 't' }, ISSUER)).toThrow(
      /authorization_endpoint/,
    );
  });

  test('sign-out goes to the end-session endpoint, back to the console', () => {
    const url = new URL(
      endSessionUrl(discovery, {
        clientId: 'herald-console',
        postLogoutRedirectUri: 'http://localhost:4400/',
        idToken: 'idt',
      }),
    );
    expect(url.origin + url.pathname).toBe(`${ISSUER}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'herald-console',
      post_logout_redirect_uri: 'http://localhost:4400/',
      id_token_hint: 'idt',
    });
  });

  test('without an end-session endpoint, sign-out just goes back to the console', () => {
    const { end_session_endpoint: _, ...withoutEnd } = discovery;
    expect(
      endSessionUrl(withoutEnd, { clientId: 'c', postLogoutRedirectUri: 'http://localhost:4400/' }),
    ).toBe('http://localhost:4400/');
  });
});
