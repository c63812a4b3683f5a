// The identity provider's authorization code flow with PKCE, as the web console drives it: over real
// HTTP against a started provider, with redirects observed rather than followed.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { readAuthConfig } from '@herald/shared/auth-config';
import { httpHandler } from '@herald/shared/entry/http';
import { captureLogs, httpEvent, lambdaContext } from '@herald/shared/testing/http';
import { CODE_LIFETIME_MS, KNOWN_SCOPES, startIdentityProvider } from '../src/identity';
import type { IdentityProvider } from '../src/identity';
import { createCodeStore, OAuthError } from '../src/identity/authorization';
import type { CodeGrant } from '../src/identity/authorization';

const CLIENT_ID = 'herald-console';
const REDIRECT_URI = 'http://localhost:4400/callback';
const CONSOLE_ORIGIN = 'http://localhost:4400';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let keyDir: string;
let provider: IdentityProvider;
// The provider's clock for codes: real time plus what a test moved it by.
let clockOffset = 0;

beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'herald-identity-code-'));
  provider = await startIdentityProvider({
    port: 'auto',
    keyDir,
    clients: { [CLIENT_ID]: { redirectUris: [REDIRECT_URI] } },
    now: () => Date.now() + clockOffset,
  });
}, 30_000);

afterAll(async () => {
  await provider?.stop();
  await rm(keyDir, { recursive: true, force: true });
}, 30_000);

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizationParams(challenge: string, overrides: Record<string, string | undefined> = {}) {
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: 'openid events:read subscriptions:write',
    state: 'state-123',
    nonce: 'nonce-456',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  return new URLSearchParams(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

const authorizePage = (params: URLSearchParams) =>
  fetch(`${provider.issuer}/authorize?${params}`, { redirect: 'manual' });

/** The sign-in page's POST, as a browser on the page would send it. */
function postSignIn(form: URLSearchParams, origin: string | undefined = provider.issuer) {
  return fetch(`${provider.issuer}/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...FORM, ...(origin === undefined ? {} : { origin }) },
    body: form,
  });
}

async function signIn(
  challenge: string,
  choices: { tenant?: string; subject?: string; scopes?: string[] } = {},
  overrides: Record<string, string | undefined> = {},
) {
  const form = authorizationParams(challenge, overrides);
  form.set('tenant', choices.tenant ?? 'acme');
  form.set('subject', choices.subject ?? '');
  for (const scope of choices.scopes ?? ['events:read', 'subscriptions:write'])
    form.append('granted_scope', scope);
  return postSignIn(form);
}

function redirectedTo(response: Response): URL {
  expect(response.status).toBe(303);
  return new URL(response.headers.get('location')!);
}

async function codeFor(challenge: string, choices?: Parameters<typeof signIn>[1]): Promise<string> {
  const location = redirectedTo(await signIn(challenge, choices));
  const code = location.searchParams.get('code');
  expect(code).toBeTruthy();
  return code!;
}

function exchange(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${provider.issuer}/token`, {
    method: 'POST',
    headers: { ...FORM, ...headers },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT_ID,
      ...fields,
    }),
  });
}

async function expectTokenError(response: Response, error: string) {
  expect(response.status).toBe(400);
  expect(response.headers.get('cache-control')).toBe('no-store');
  const body = (await response.json()) as { error: string; error_description: string };
  expect(body.error).toBe(error);
  expect(typeof body.error_description).toBe('string');
  return body;
}

async function heraldAccepts(accessToken: string, scopes: string[]) {
  const config = readAuthConfig({
    AUTH_ISSUER: provider.issuer,
    AUTH_AUDIENCE: 'herald',
    AUTH_JWKS_URL: provider.jwksUrl,
  });
  const handler = httpHandler(async (_event, context) => ({ statusCode: 200, body: context.auth }), {
    scopes,
    auth: { config },
  });
  const logs = captureLogs();
  try {
    return await handler(
      httpEvent({ method: 'GET', headers: { authorization: `Bearer ${accessToken}` } }),
      lambdaContext(),
    );
  } finally {
    logs.restore();
  }
}

describe('authorization code flow with PKCE', () => {
  test('discovery names the endpoints and what the console relies on', async () => {
    const response = await fetch(`${provider.issuer}/.well-known/openid-configuration`);
    const discovery = (await response.json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: provider.issuer,
      authorization_endpoint: `${provider.issuer}/authorize`,
      token_endpoint: `${provider.issuer}/token`,
      end_session_endpoint: `${provider.issuer}/logout`,
      jwks_uri: provider.jwksUrl,
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
    });
    expect(discovery.response_types_supported).toContain('code');
    expect(discovery.grant_types_supported).toContain('authorization_code');
  });

  test('signs in and yields an access token Herald accepts, with the chosen tenant and scopes', async () => {
    const { verifier, challenge } = pkce();
    const page = await authorizePage(authorizationParams(challenge));
    expect(page.status).toBe(200);
    // The 303 that answers the form goes to the client: browsers hold it to form-action too.
    expect(page.headers.get('content-security-policy')).toBe(
      `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${new URL(REDIRECT_URI).origin}; frame-ancestors 'none'`,
    );
    // Under no-referrer a browser posts the form with `Origin: null`, which the provider refuses.
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain(`name="code_challenge" value="${challenge}"`);

    const location = redirectedTo(await signIn(challenge, { tenant: 'acme', scopes: ['events:read'] }));
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('iss')).toBe(provider.issuer);
    const code = location.searchParams.get('code')!;
    // At least 128 bits: 32 random bytes, base64url.
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const response = await exchange({ code, code_verifier: verifier });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 43200, scope: 'events:read' });

    const accepted = await heraldAccepts(body.access_token as string, ['events:read']);
    expect(accepted.statusCode).toBe(200);
    expect(JSON.parse(accepted.body!)).toEqual({
      tenantId: 'acme',
      subject: 'dev@acme',
      scopes: ['events:read'],
      credential: 'jwt',
    });
    // Only the ticked scopes: the unticked subscriptions:write the client asked for is not granted.
    expect((await heraldAccepts(body.access_token as string, ['subscriptions:write'])).statusCode).toBe(403);

    const { payload, protectedHeader } = await jwtVerify(
      body.id_token as string,
      // jose gives up on the key set after 5 s by default; a loaded CI machine can take longer.
      createRemoteJWKSet(new URL(provider.jwksUrl), { timeoutDuration: 30_000 }),
      { issuer: provider.issuer, audience: CLIENT_ID },
    );
    expect(protectedHeader.typ).toBe('JWT');
    expect(payload).toMatchObject({ sub: 'dev@acme', tenant: 'acme', nonce: 'nonce-456' });
    expect(typeof payload.iat).toBe('number');
    expect(payload.exp).toBeGreaterThan(payload.iat!);
    // The ID token is for the console, not a credential for Herald's API.
    expect((await heraldAccepts(body.id_token as string, ['events:read'])).statusCode).toBe(401);
  });

  test('a chosen subject goes into both tokens', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge, { tenant: 'globex', subject: 'alice@globex', scopes: [] });
    const body = (await (await exchange({ code, code_verifier: verifier })).json()) as Record<string, string>;
    expect(body.scope).toBe('');
    const accepted = await heraldAccepts(body.access_token!, []);
    expect(JSON.parse(accepted.body!)).toMatchObject({ tenantId: 'globex', subject: 'alice@globex' });
  });

  test('a wrong verifier is refused, and burns the code', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    await expectTokenError(await exchange({ code, code_verifier: pkce().verifier }), 'invalid_grant');
    await expectTokenError(await exchange({ code, code_verifier: verifier }), 'invalid_grant');
  });

  test('a malformed or missing verifier is an invalid request and leaves the code usable', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    await expectTokenError(await exchange({ code, code_verifier: 'short' }), 'invalid_request');
    await expectTokenError(await exchange({ code }), 'invalid_request');
    expect((await exchange({ code, code_verifier: verifier })).status).toBe(200);
  });

  test('a code works once', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    expect((await exchange({ code, code_verifier: verifier })).status).toBe(200);
    const body = await expectTokenError(await exchange({ code, code_verifier: verifier }), 'invalid_grant');
    expect(body.error_description).toMatch(/already used/);
  });

  test('a code expires after 60 seconds', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    clockOffset = CODE_LIFETIME_MS + 1;
    try {
      await expectTokenError(await exchange({ code, code_verifier: verifier }), 'invalid_grant');
    } finally {
      clockOffset = 0;
    }
    // Gone for good, not merely late.
    await expectTokenError(await exchange({ code, code_verifier: verifier }), 'invalid_grant');
  });

  test('the code is bound to its redirect URI and client', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    await expectTokenError(
      await exchange({ code, code_verifier: verifier, redirect_uri: 'http://localhost:4400/other' }),
      'invalid_grant',
    );
    const other = pkce();
    const second = await codeFor(other.challenge);
    await expectTokenError(
      await exchange({ code: second, code_verifier: other.verifier, client_id: 'someone-else' }),
      'invalid_client',
    );
    await expectTokenError(
      await exchange({ code: 'no-such-code', code_verifier: verifier }),
      'invalid_grant',
    );
  });

  test('an unregistered redirect URI or client gets an error page, never a redirect', async () => {
    const { challenge } = pkce();
    for (const overrides of [
      { redirect_uri: 'https://evil.example/callback' },
      { redirect_uri: 'http://localhost:4400/callback/' },
      { redirect_uri: 'http://localhost:4400/callback?x=1' },
      { redirect_uri: undefined },
      { client_id: 'unknown-client' },
      { client_id: undefined },
    ]) {
      const page = await authorizePage(authorizationParams(challenge, overrides));
      expect(page.status).toBe(400);
      expect(page.headers.get('location')).toBeNull();
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toContain('role="alert"');
    }
    const posted = await signIn(challenge, {}, { redirect_uri: 'https://evil.example/callback' });
    expect(posted.status).toBe(400);
    expect(posted.headers.get('location')).toBeNull();
  });

  test.each([
    ['plain PKCE', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['no challenge method (plain by default)', { code_challenge_method: undefined }, 'invalid_request'],
    ['no challenge', { code_challenge: undefined }, 'invalid_request'],
    ['a malformed challenge', { code_challenge: 'abc' }, 'invalid_request'],
    ['another response type', { response_type: 'token' }, 'unsupported_response_type'],
    ['a malformed scope', { scope: 'events:read bad"scope' }, 'invalid_scope'],
  ])('%s is sent back to the client as an error', async (_name, overrides, error) => {
    const { challenge } = pkce();
    for (const response of [
      await authorizePage(authorizationParams(challenge, overrides)),
      await signIn(challenge, {}, overrides),
    ]) {
      const location = redirectedTo(response);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('error_description')).toBeTruthy();
      expect(location.searchParams.get('state')).toBe('state-123');
      expect(location.searchParams.has('code')).toBe(false);
    }
  });

  test('a cross-site form post mints no code', async () => {
    const { challenge } = pkce();
    const form = authorizationParams(challenge);
    form.set('tenant', 'acme');
    for (const origin of ['https://evil.example', 'null', CONSOLE_ORIGIN]) {
      const response = await postSignIn(form, origin);
      expect(response.status).toBe(403);
      expect(response.headers.get('location')).toBeNull();
    }
    // The page's own origin, and clients that send none, do get a code.
    expect(redirectedTo(await postSignIn(form)).searchParams.has('code')).toBe(true);
    expect(redirectedTo(await postSignIn(form, undefined)).searchParams.has('code')).toBe(true);
  });

  test("the page is served under the issuer's name only, so its form posts from the issuer", async () => {
    const { challenge } = pkce();
    const query = authorizationParams(challenge).toString();
    const response = await fetch(`http://127.0.0.1:${provider.port}/authorize?${query}`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${provider.issuer}/authorize?${query}`);
  });

  test('cancelling sends access_denied back to the client', async () => {
    const { challenge } = pkce();
    const form = authorizationParams(challenge);
    form.set('tenant', 'acme');
    form.set('decision', 'deny');
    const location = redirectedTo(await postSignIn(form));
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.has('code')).toBe(false);
  });

  test('a bad tenant shows the page again with the error and what was typed', async () => {
    const { challenge } = pkce();
    const response = await signIn(challenge, { tenant: 'not a tenant', scopes: ['events:read'] });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    const html = await response.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('value="not a tenant"');
    expect(html).toMatch(/id="tenant"[^>]*aria-invalid="true"/);
  });

  test('the sign-in page labels every input and pre-ticks the requested scopes', async () => {
    const { challenge } = pkce();
    const html = await (await authorizePage(authorizationParams(challenge))).text();
    expect(html).toContain('local development issuer');
    const inputs = [...html.matchAll(/<input\b[^>]*>/g)].map(([tag]) => tag);
    const visible = inputs.filter((tag) => !/type="hidden"/.test(tag));
    // Tenant, subject and one checkbox per known scope.
    expect(visible).toHaveLength(2 + KNOWN_SCOPES.length);
    for (const tag of visible) {
      const id = /\bid="([^"]+)"/.exec(tag)?.[1];
      expect(id).toBeDefined();
      expect(html).toContain(`<label for="${id}">`);
    }
    expect(html).toMatch(/id="tenant"[^>]*value="demo"/);
    expect(html).toContain('dev@demo');
    const ticked = visible
      .filter((tag) => /type="checkbox"/.test(tag) && /\bchecked\b/.test(tag))
      .map((tag) => /value="([^"]+)"/.exec(tag)![1]);
    expect(ticked).toEqual(['events:read', 'subscriptions:write']);
    expect(html).toMatch(/<button type="submit"[^>]*>Sign in<\/button>/);

    // No scope asked for: everything is ticked.
    const all = await (await authorizePage(authorizationParams(challenge, { scope: undefined }))).text();
    expect([...all.matchAll(/type="checkbox"[^>]*\bchecked\b/g)]).toHaveLength(KNOWN_SCOPES.length);
  });

  test('escapes what the request carries into the page', async () => {
    const { challenge } = pkce();
    const html = await (
      await authorizePage(authorizationParams(challenge, { state: '"><script>x</script>' }))
    ).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
  });

  test('CORS: the registered origin may read /token and discovery, another may not', async () => {
    const preflight = (origin: string) =>
      fetch(`${provider.issuer}/token`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const allowed = await preflight(CONSOLE_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowed.headers.get('vary')).toMatch(/origin/i);
    const refused = await preflight('https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();

    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const token = await exchange({ code, code_verifier: verifier }, { origin: CONSOLE_ORIGIN });
    expect(token.status).toBe(200);
    expect(token.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
    // Errors too, so the console can read why.
    const failed = await exchange({ code, code_verifier: verifier }, { origin: CONSOLE_ORIGIN });
    expect(failed.status).toBe(400);
    expect(failed.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
    const foreign = await exchange(
      { code: 'x', code_verifier: verifier },
      { origin: 'https://evil.example' },
    );
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.headers.get('vary')).toMatch(/origin/i);

    for (const path of ['/.well-known/openid-configuration', '/.well-known/jwks.json']) {
      const mine = await fetch(`${provider.issuer}${path}`, { headers: { origin: CONSOLE_ORIGIN } });
      expect(mine.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
      const theirs = await fetch(`${provider.issuer}${path}`, {
        headers: { origin: 'https://evil.example' },
      });
      expect(theirs.headers.get('access-control-allow-origin')).toBeNull();
    }
    // The sign-in page is navigated to, never read by another origin.
    const page = await authorizePage(authorizationParams(challenge));
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('logout returns to a registered origin only, else shows a signed-out page', async () => {
    const logout = (params: Record<string, string>) =>
      fetch(`${provider.issuer}/logout?${new URLSearchParams(params)}`, { redirect: 'manual' });
    const back = await logout({
      client_id: CLIENT_ID,
      post_logout_redirect_uri: `${CONSOLE_ORIGIN}/`,
      state: 's1',
    });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`${CONSOLE_ORIGIN}/?state=s1`);
    const refused: Array<Record<string, string>> = [
      { client_id: CLIENT_ID, post_logout_redirect_uri: 'https://evil.example/' },
      { client_id: CLIENT_ID, post_logout_redirect_uri: `${CONSOLE_ORIGIN}/admin` },
      { client_id: 'unknown', post_logout_redirect_uri: `${CONSOLE_ORIGIN}/` },
      { post_logout_redirect_uri: `${CONSOLE_ORIGIN}/` },
      {},
    ];
    for (const params of refused) {
      const page = await logout(params);
      expect(page.status).toBe(200);
      expect(page.headers.get('location')).toBeNull();
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(await page.text()).toContain('Signed out');
    }
  });

  test('the JSON grant still works, and grant types are told apart', async () => {
    const json = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'acme', scope: 'events:write' }),
    });
    expect(json.status).toBe(200);
    const form = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ grant_type: 'client_credentials', tenant: 'acme', scope: 'events:read' }),
    });
    expect(((await form.json()) as { scope: string }).scope).toBe('events:read');
    const other = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ grant_type: 'password', tenant: 'acme' }),
    });
    await expectTokenError(other, 'unsupported_grant_type');
    const jsonCode = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code', code: 'x' }),
    });
    expect(jsonCode.status).toBe(400);
    expect(((await jsonCode.json()) as { error: string }).error).toBe('invalid_request');
  });
});

describe('code store', () => {
  const grant: CodeGrant = {
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    codeChallenge: 'c'.repeat(43),
    tenant: 'acme',
    subject: 'dev@acme',
    scopes: [],
  };

  test('holds at most its bound, dropping the oldest code', () => {
    const store = createCodeStore({ max: 3 });
    const codes = Array.from({ length: 5 }, () => store.issue(grant));
    expect(store.size()).toBe(3);
    expect(() => store.redeem(codes[0]!)).toThrow(OAuthError);
    expect(() => store.redeem(codes[1]!)).toThrow(/unknown or expired/);
    expect(store.redeem(codes[4]!)).toBe(grant);
  });

  test('sweeps expired codes when issuing', () => {
    let now = 0;
    const store = createCodeStore({ now: () => now });
    store.issue(grant);
    store.issue(grant);
    now = CODE_LIFETIME_MS;
    store.issue(grant);
    expect(store.size()).toBe(1);
  });
});
