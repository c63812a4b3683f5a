// The local identity provider: its tokens verify the way Herald verifies them (remote JWKS, issuer,
// audience, tenant and scope claims) and its key survives restarts.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
} from 'jose';
import { readAuthConfig } from '@herald/shared/auth-config';
import { httpHandler } from '@herald/shared/entry/http';
import { captureLogs, httpEvent, lambdaContext } from '@herald/shared/testing/http';
import { issueToken, startIdentityProvider } from '../src/identity';
import type { IdentityProvider } from '../src/identity';
import { freePort } from '../src/ports';

let keyDir: string;
let port: number;
let provider: IdentityProvider;
const running: IdentityProvider[] = [];

async function start(): Promise<IdentityProvider> {
  const started = await startIdentityProvider({ port, keyDir });
  running.push(started);
  return started;
}

async function verify(token: string, issuer = provider.issuer, audience = 'herald') {
  // A fresh key set each time: no cached keys from an earlier provider. jose gives up on it after 5 s
  // by default; a loaded CI machine can take longer to answer.
  const keySet = createRemoteJWKSet(new URL(provider.jwksUrl), { timeoutDuration: 30_000 });
  return jwtVerify(token, keySet, { issuer, audience });
}

beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'herald-identity-'));
  port = await freePort();
  provider = await start();
}, 30_000);

afterAll(async () => {
  for (const started of running) await started.stop().catch(() => undefined);
  await rm(keyDir, { recursive: true, force: true });
}, 30_000);

describe('identity provider', () => {
  test('issues tokens that verify against its JWKS with the right issuer and audience', async () => {
    expect(provider.issuer).toBe(`http://localhost:${port}`);
    const token = await provider.issueToken({ tenant: 'acme', scopes: ['events:write', 'events:read'] });
    const { payload, protectedHeader } = await verify(token);
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: provider.kid });
    expect(payload).toMatchObject({
      iss: provider.issuer,
      aud: 'herald',
      sub: 'local-developer',
      tenant: 'acme',
      scope: 'events:write events:read',
    });
    expect(typeof payload.jti).toBe('string');
    expect(payload.nbf).toBe(payload.iat);
    expect(payload.exp! - payload.iat!).toBe(12 * 60 * 60);
  });

  test('honours subject, lifetime and audience, and rejects claims Herald would refuse', async () => {
    const token = await provider.issueToken({
      tenant: 'acme',
      scopes: 'deliveries:read',
      subject: 'ci-bot',
      expiresIn: 60,
      audience: 'other',
    });
    const { payload } = await verify(token, provider.issuer, 'other');
    expect(payload).toMatchObject({ sub: 'ci-bot', scope: 'deliveries:read' });
    expect(payload.exp! - payload.iat!).toBe(60);
    await expect(verify(token)).rejects.toThrow(/aud/);
    await expect(provider.issueToken({ tenant: 'not a tenant', scopes: [] })).rejects.toThrow(
      /invalid tenant/,
    );
    await expect(provider.issueToken({ tenant: 'acme', scopes: ['bad"scope'] })).rejects.toThrow(
      /invalid scope/,
    );
    await expect(provider.issueToken({ tenant: 'acme', scopes: [], expiresIn: 0 })).rejects.toThrow(
      /expiresIn/,
    );
  });

  test("passes Herald's own auth middleware configured from the environment", async () => {
    const config = readAuthConfig({
      AUTH_ISSUER: provider.issuer,
      AUTH_AUDIENCE: 'herald',
      AUTH_JWKS_URL: provider.jwksUrl,
    });
    const handler = httpHandler(async (_event, context) => ({ statusCode: 200, body: context.auth }), {
      scopes: ['subscriptions:write'],
      auth: { config },
    });
    const token = await provider.issueToken({ tenant: 'acme', scopes: ['subscriptions:write'] });
    const logs = captureLogs();
    try {
      const response = await handler(
        httpEvent({ method: 'GET', headers: { authorization: `Bearer ${token}` } }),
        lambdaContext(),
      );
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body!)).toEqual({
        tenantId: 'acme',
        subject: 'local-developer',
        scopes: ['subscriptions:write'],
        credential: 'jwt',
      });
      const weaker = await provider.issueToken({ tenant: 'acme', scopes: ['events:read'] });
      const refused = await handler(
        httpEvent({ method: 'GET', headers: { authorization: `Bearer ${weaker}` } }),
        lambdaContext(),
      );
      expect(refused.statusCode).toBe(403);
    } finally {
      logs.restore();
    }
  });

  test('serves only the public key, with kid, alg and use', async () => {
    const response = await fetch(provider.jwksUrl);
    expect(response.status).toBe(200);
    const jwks = (await response.json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      kid: provider.kid,
      alg: 'ES256',
      use: 'sig',
    });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  test('serves an OpenID configuration naming the issuer and JWKS', async () => {
    const response = await fetch(`${provider.issuer}/.well-known/openid-configuration`);
    expect(await response.json()).toMatchObject({
      issuer: provider.issuer,
      jwks_uri: provider.jwksUrl,
      token_endpoint: `${provider.issuer}/token`,
    });
  });

  test('POST /token mints a token for curl users', async () => {
    const response = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'globex', scope: 'events:write subscriptions:read' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 43200,
      scope: 'events:write subscriptions:read',
    });
    const { payload } = await verify(body.access_token);
    expect(payload).toMatchObject({ tenant: 'globex', scope: 'events:write subscriptions:read' });
  });

  test('POST /token answers OAuth-style errors for bad requests', async () => {
    const post = (body: string, type = 'application/json') =>
      fetch(`${provider.issuer}/token`, { method: 'POST', headers: { 'content-type': type }, body });
    const missing = await post(JSON.stringify({ scope: 'events:write' }));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: 'invalid_request',
      error_description: 'tenant is required',
    });
    expect((await post('not json')).status).toBe(400);
    expect(await (await post(JSON.stringify({ tenant: 'acme', scope: 'a"b' }))).json()).toMatchObject({
      error: 'invalid_scope',
    });
    expect((await post('x'.repeat(20_000))).status).toBe(413);
    expect((await fetch(`${provider.issuer}/token`)).status).toBe(405);
  });

  test('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolveStatus, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/.well-known/jwks.json', headers: { host: 'evil.example' } },
        (res) => {
          res.resume();
          resolveStatus(res.statusCode);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  test('keeps its key across restarts: same kid, and earlier tokens still verify', async () => {
    const earlier = await provider.issueToken({ tenant: 'acme', scopes: ['events:read'] });
    const { kid } = provider;
    const keyFile = join(keyDir, 'signing-key.json');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    await provider.stop();
    running.splice(running.indexOf(provider), 1);

    provider = await start();
    expect(provider.kid).toBe(kid);
    expect(decodeProtectedHeader(earlier).kid).toBe(kid);
    const { payload } = await verify(earlier);
    expect(payload.tenant).toBe('acme');
    expect(JSON.parse(await readFile(keyFile, 'utf8'))).toMatchObject({ kid, d: expect.any(String) });
  });
});

describe('issueToken without a server', () => {
  test('signs with any ES256 key', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const token = await issueToken(privateKey, 'k1', 'http://localhost:9', {
      tenant: 't1',
      scopes: ['events:write'],
    });
    const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] });
    const { payload } = await jwtVerify(token, jwks, { issuer: 'http://localhost:9', audience: 'herald' });
    expect(payload).toMatchObject({ tenant: 't1', scope: 'events:write' });
  });
});
