import { afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { exportSPKI, SignJWT } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthConfig } from '../../src/auth-config';
import { httpHandler } from '../../src/entry/http';
import type { HttpHandlerFn } from '../../src/entry/http';
import { auth, keySetFor } from '../../src/middleware/auth';
import {
  AUDIENCE,
  base64url,
  captureLogs,
  configFor,
  expectProblem,
  header,
  httpEvent,
  ISSUER,
  jwksOf,
  lambdaContext,
  signingKey,
  token,
} from '../../src/testing/http';
import type { SigningKey, TokenOptions } from '../../src/testing/http';

let es: SigningKey;
let rs: SigningKey;
let ed: SigningKey;
let stranger: SigningKey;
let jwks: JSONWebKeySet;
let config: AuthConfig;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  [es, rs, ed, stranger] = await Promise.all([
    signingKey('ES256', 'es-1'),
    signingKey('RS256', 'rs-1'),
    signingKey('EdDSA', 'ed-1'),
    signingKey('ES256', 'es-1'),
  ]);
  jwks = await jwksOf(es, rs, ed);
  config = configFor(jwks);
});

beforeEach(() => {
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
});

const ok: HttpHandlerFn<unknown> = async () => ({ statusCode: 200, body: { ok: true } });

function setup(scopes: string[] = ['events:write'], authConfig: AuthConfig = config) {
  const inner = jest.fn(ok);
  const handler = httpHandler(inner, { scopes, auth: { config: authConfig } });
  return { inner, handler };
}

async function call(
  authorization: string | undefined,
  scopes?: string[],
): Promise<{
  response: APIGatewayProxyStructuredResultV2;
  inner: ReturnType<typeof setup>['inner'];
}> {
  const { inner, handler } = setup(scopes);
  const headers: Record<string, string> = authorization === undefined ? {} : { Authorization: authorization };
  const response = await handler(httpEvent({ method: 'GET', headers }), lambdaContext());
  return { response, inner };
}

async function callWith(key: SigningKey, options?: TokenOptions) {
  return call(`Bearer ${await token(key, options)}`);
}

function expectInvalidToken(
  response: APIGatewayProxyStructuredResultV2,
  description = 'The access token is invalid',
) {
  expectProblem(response, 401);
  expect(header(response, 'www-authenticate')).toBe(
    `Bearer realm="herald", error="invalid_token", error_description="${description}"`,
  );
}

function securityEvents(): Array<Record<string, unknown>> {
  return logs.lines().filter((line) => line.securityEvent === 'auth.failure');
}

describe('auth: accepted tokens', () => {
  test.each(['ES256', 'RS256', 'EdDSA'])(
    '%s token with the required scope reaches the handler',
    async (alg) => {
      const key = { ES256: es, RS256: rs, EdDSA: ed }[alg]!;
      const { response, inner } = await callWith(key);
      expect(response.statusCode).toBe(200);
      expect(inner).toHaveBeenCalledTimes(1);
      const context = inner.mock.calls[0]![1];
      expect(context.auth).toEqual({
        tenantId: 'acme',
        subject: 'user-42',
        scopes: ['events:write', 'events:read'],
        credential: 'jwt',
      });
    },
  );

  test('scopes may come from an scp array', async () => {
    const { response, inner } = await callWith(es, { claims: { scope: undefined, scp: ['events:write'] } });
    expect(response.statusCode).toBe(200);
    expect(inner.mock.calls[0]![1].auth.scopes).toEqual(['events:write']);
  });

  test('a token expired within the 30 s clock tolerance is still accepted', async () => {
    const { response } = await callWith(es, { expiresIn: -10 });
    expect(response.statusCode).toBe(200);
  });

  test('the scheme name is case-insensitive and no scopes means any authenticated caller', async () => {
    const { response } = await call(`bearer ${await token(es, { claims: { scope: '' } })}`, []);
    expect(response.statusCode).toBe(200);
  });

  test('the tenant claim name is configurable', async () => {
    const { inner, handler } = setup(['events:write'], configFor(jwks, 'https://herald.dev/tenant'));
    const jwt = await token(es, { omit: ['tenant'], claims: { 'https://herald.dev/tenant': 'globex' } });
    const response = await handler(
      httpEvent({ headers: { authorization: `Bearer ${jwt}` } }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(200);
    expect(inner.mock.calls[0]![1].auth.tenantId).toBe('globex');
  });
});

describe('auth: rejected requests never reach the handler', () => {
  test('missing Authorization header: 401 with a bare challenge', async () => {
    const { response, inner } = await call(undefined);
    expectProblem(response, 401);
    expect(header(response, 'www-authenticate')).toBe('Bearer realm="herald"');
    expect(inner).not.toHaveBeenCalled();
  });

  test.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['an empty bearer token', 'Bearer '],
    ['two tokens', 'Bearer a.b.c, Bearer d.e.f'],
  ])('%s: 401 invalid_token', async (_case, value) => {
    const { response, inner } = await call(value);
    expectInvalidToken(response, 'The Authorization header must carry a Bearer token');
    expect(inner).not.toHaveBeenCalled();
  });

  test.each([
    ['not a JWT', 'not-a-jwt'],
    ['three garbage segments', 'abc.def.ghi'],
    ['a JSON header without alg', `${base64url('{"typ":"JWT"}')}.${base64url('{}')}.c2ln`],
  ])('garbage token (%s): 401 invalid_token', async (_case, value) => {
    const { response, inner } = await call(`Bearer ${value}`);
    expectInvalidToken(response);
    expect(inner).not.toHaveBeenCalled();
  });

  test('expired token: 401 saying so', async () => {
    const { response, inner } = await callWith(es, { expiresIn: -120 });
    expectInvalidToken(response, 'The access token expired');
    expect(inner).not.toHaveBeenCalled();
  });

  test('token whose nbf is in the future: 401', async () => {
    const { response, inner } = await callWith(es, { notBeforeIn: 120 });
    expectInvalidToken(response, 'The access token is not yet valid');
    expect(inner).not.toHaveBeenCalled();
  });

  test('token without exp: 401', async () => {
    const { response, inner } = await callWith(es, { omit: ['exp'] });
    expectInvalidToken(response);
    expect(inner).not.toHaveBeenCalled();
  });

  test('wrong issuer: 401', async () => {
    const { response, inner } = await callWith(es, { issuer: 'https://evil.test/' });
    expectInvalidToken(response);
    expect(inner).not.toHaveBeenCalled();
    expect(securityEvents()[0]).toMatchObject({ reason: 'wrong_issuer' });
  });

  test('wrong audience: 401', async () => {
    const { response, inner } = await callWith(es, { audience: 'https://other-api.test' });
    expectInvalidToken(response);
    expect(inner).not.toHaveBeenCalled();
    expect(securityEvents()[0]).toMatchObject({ reason: 'wrong_audience' });
  });

  test('alg none (unsigned token): 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'user-42',
      tenant: 'acme',
      scope: 'events:write',
      exp: now + 300,
    };
    const unsigned = `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}.`;
    const { response, inner } = await call(`Bearer ${unsigned}`);
    expectInvalidToken(response);
    expect(inner).not.toHaveBeenCalled();
    expect(securityEvents()[0]).toMatchObject({ reason: 'algorithm_not_allowed' });
  });

  test('alg none with a dummy signature: 401 disallowed algorithm', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'user-42',
      tenant: 'acme',
      scope: 'events:write',
      exp: now + 300,
    };
    const unsigned = `${base64url(JSON.stringify({ alg: 'none' }))}.${base64url(JSON.stringify(payload))}.c2ln`;
    const { response, inner } = await call(`Bearer ${unsigned}`);
    expectInvalidToken(response);
    expect(inner).not.toHaveBeenCalled();
    expect(securityEvents()[0]).toMatchObject({ reason: 'algorithm_not_allowed' });
  });

  test('HS256 token signed with the public key as the HMAC secret: 401', async () => {
    const secrets = [
      new TextEncoder().encode(await exportSPKI(es.publicKey)),
      new TextEncoder().encode(JSON.stringify(jwks.keys[0])),
    ];
    for (const secret of secrets) {
      const forged = await new SignJWT({ sub: 'user-42', tenant: 'acme', scope: 'events:write' })
        .setProtectedHeader({ alg: 'HS256', kid: 'es-1' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(secret);
      const { response, inner } = await call(`Bearer ${forged}`);
      expectInvalidToken(response);
      expect(inner).not.toHaveBeenCalled();
    }
    expect(securityEvents().map((event) => event.reason)).toEqual([
      'algorithm_not_allowed',
      'algorithm_not_allowed',
    ]);
  });

  test('token signed by another key under a known kid: 401 bad signature', async () => {
    const { response, inner } = await callWith(stranger);
    expectInvalidToken(response);
    expect(inner).not.toHaveBeenCalled();
    expect(securityEvents()[0]).toMatchObject({ reason: 'bad_signature' });
  });

  test('token signed by another key under an unknown kid: 401', async () => {
    const { response, inner } = await callWith(stranger, { kid: 'unknown-kid' });
    expectInvalidToken(response);
    expect(inner).not.toHaveBeenCalled();
    expect(securityEvents()[0]).toMatchObject({ reason: 'unknown_signing_key' });
  });

  test('a token without kid is tried against every key of its type', async () => {
    const second = await signingKey('ES256', 'es-2');
    const { inner, handler } = setup(['events:write'], configFor(await jwksOf(es, second)));
    const good = await token(second, { kid: null });
    const bad = await token(stranger, { kid: null });
    const event = (jwt: string) => httpEvent({ method: 'GET', headers: { authorization: `Bearer ${jwt}` } });
    expect((await handler(event(good), lambdaContext())).statusCode).toBe(200);
    expectInvalidToken(await handler(event(bad), lambdaContext()));
    expect(inner).toHaveBeenCalledTimes(1);
  });

  test.each([
    ['missing', { omit: ['tenant'] }],
    ['empty', { claims: { tenant: '' } }],
    ['not a string', { claims: { tenant: 42 } }],
    ['a path', { claims: { tenant: '../other' } }],
    ['too long', { claims: { tenant: 'a'.repeat(65) } }],
  ] as Array<[string, TokenOptions]>)('tenant claim %s: 401', async (_case, options) => {
    const { response, inner } = await callWith(es, options);
    expectInvalidToken(response);
    expect(inner).not.toHaveBeenCalled();
    expect(securityEvents()[0]).toMatchObject({ reason: 'invalid_tenant' });
  });

  test('missing sub: 401', async () => {
    const { response, inner } = await callWith(es, { omit: ['sub'] });
    expectInvalidToken(response);
    expect(inner).not.toHaveBeenCalled();
  });

  test('missing scope: 403 insufficient_scope naming the required scopes', async () => {
    const jwt = await token(es, { claims: { scope: 'events:read' } });
    const { response, inner } = await call(`Bearer ${jwt}`, ['events:write', 'events:read']);
    const body = expectProblem(response, 403);
    expect(body.type).toBe('https://herald.dev/problems/insufficient-scope');
    expect(header(response, 'www-authenticate')).toBe(
      'Bearer realm="herald", error="insufficient_scope", error_description="The access token lacks a required scope", scope="events:write events:read"',
    );
    expect(inner).not.toHaveBeenCalled();
    expect(securityEvents()[0]).toMatchObject({
      reason: 'insufficient_scope',
      missingScopes: ['events:write'],
    });
  });
});

describe('auth: security events', () => {
  test('failures are logged with their reason, never with the token', async () => {
    const jwt = await token(es, { expiresIn: -120 });
    await call(`Bearer ${jwt}`);
    const [event] = securityEvents();
    expect(event).toMatchObject({
      level: 'WARN',
      securityEvent: 'auth.failure',
      reason: 'token_expired',
      status: 401,
    });
    expect(event).toMatchObject({ sourceIp: '203.0.113.7', claim: 'exp' });
    expect(logs.text()).not.toContain(jwt);
    expect(logs.text()).not.toContain(jwt.split('.')[2]!);
  });

  test('each failure counts AuthFailures (namespace Herald) by service, and by service and reason', async () => {
    await call(undefined);
    await call(`Bearer ${await token(es, { claims: { scope: 'events:read' } })}`);
    const emitted = logs.lines().filter((line) => '_aws' in line);
    expect(emitted).toEqual([
      expect.objectContaining({ reason: 'missing_authorization', AuthFailures: 1 }),
      expect.objectContaining({ reason: 'insufficient_scope', AuthFailures: 1 }),
    ]);
    expect(emitted[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Herald',
            Dimensions: [['service'], ['service', 'reason']],
            Metrics: [{ Name: 'AuthFailures', Unit: 'Count' }],
          },
        ],
      },
      // The container's POWERTOOLS_SERVICE_NAME, as on every metric and log line.
      service: expect.any(String),
    });
  });

  test('an accepted token counts nothing', async () => {
    await callWith(es);
    expect(logs.lines().filter((line) => '_aws' in line)).toEqual([]);
  });
});

describe('auth: configuration', () => {
  test('only asymmetric algorithms may be allowed', () => {
    for (const algorithms of [['none'], ['HS256'], ['ES256', 'HS512'], []]) {
      expect(() => auth({ config, algorithms })).toThrow(/algorithm/);
    }
  });

  test('an algorithm outside the allow-list is rejected even if the key matches', async () => {
    const inner = jest.fn(ok);
    const handler = httpHandler(inner, { scopes: [], auth: { config, algorithms: ['RS256'] } });
    const event = httpEvent({ method: 'GET', headers: { authorization: `Bearer ${await token(es)}` } });
    expectInvalidToken(await handler(event, lambdaContext()));
    expect(inner).not.toHaveBeenCalled();
  });

  test('scopes that cannot be written in a challenge are refused at start', () => {
    expect(() => auth({ config, scopes: ['events write'] })).toThrow(/invalid scope/);
    expect(() => auth({ config, scopes: ['events"write'] })).toThrow(/invalid scope/);
  });

  test('the key set is created once per source', () => {
    expect(keySetFor(config.jwks)).toBe(
      keySetFor({ keys: JSON.parse(JSON.stringify(jwks)) as JSONWebKeySet }),
    );
  });
});

describe('auth: remote key set', () => {
  test('keys are fetched once for many invocations', async () => {
    let fetches = 0;
    const body = JSON.stringify(jwks);
    const server = createServer((_request, response) => {
      fetches += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`);
      const remote: AuthConfig = { ...config, jwks: { url } };
      const inner = jest.fn(ok);
      const handler = httpHandler(inner, { scopes: ['events:write'], auth: { config: remote } });
      for (let i = 0; i < 3; i += 1) {
        const event = httpEvent({ headers: { authorization: `Bearer ${await token(rs)}` } });
        expect((await handler(event, lambdaContext())).statusCode).toBe(200);
      }
      expect(fetches).toBe(1);
      expect(inner).toHaveBeenCalledTimes(3);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('an unreachable key set is 503 with Retry-After, not a client error', async () => {
    const server = createServer((_request, response) => response.writeHead(500).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`);
      const inner = jest.fn(ok);
      const handler = httpHandler(inner, { scopes: [], auth: { config: { ...config, jwks: { url } } } });
      const event = httpEvent({ method: 'GET', headers: { authorization: `Bearer ${await token(es)}` } });
      const response = await handler(event, lambdaContext());
      expectProblem(response, 503);
      expect(header(response, 'retry-after')).toBe('5');
      expect(inner).not.toHaveBeenCalled();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("auth: the tenants authorizer's verdict", () => {
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const API_KEY = 'hk_test_3f9a1c0d2b4e6f8a1c3e5a7b9d1f3a5c';

  async function withContext(
    lambda: Record<string, unknown> | undefined,
    authorization: string | undefined,
    scopes: string[] = ['events:write'],
  ) {
    const { inner, handler } = setup(scopes);
    const event = httpEvent({
      method: 'GET',
      headers: authorization === undefined ? {} : { authorization },
    });
    (event.requestContext as unknown as Record<string, unknown>).authorizer = { lambda };
    const response = await handler(event, lambdaContext());
    return { response, inner };
  }

  const keyAllow = (extra: Record<string, unknown> = {}) => ({
    v: 1,
    outcome: 'allow',
    credential: 'api_key',
    tenantId: 'acme',
    subject: 'key:k_123',
    keyId: 'k_123',
    scopes: 'events:write events:read',
    ...extra,
  });

  test('an API key the authorizer allowed reaches the handler with its key id and tenant settings', async () => {
    const settings = { limits: { ingestEventsPerSecond: 50 }, allowedDestinations: ['webhook'] };
    const { response, inner } = await withContext(
      keyAllow({ settings: JSON.stringify(settings), expiresAt: nowSeconds() + 60 }),
      `Bearer ${API_KEY}`,
    );
    expect(response.statusCode).toBe(200);
    expect(inner.mock.calls[0]![1].auth).toEqual({
      tenantId: 'acme',
      subject: 'key:k_123',
      scopes: ['events:write', 'events:read'],
      credential: 'api_key',
      keyId: 'k_123',
      settings,
    });
  });

  test('numbers API Gateway passed on as strings are read as numbers', async () => {
    const { response } = await withContext(
      keyAllow({ v: '1', expiresAt: String(nowSeconds() + 60) }),
      `Bearer ${API_KEY}`,
    );
    expect(response.statusCode).toBe(200);
  });

  test("an allowed API key without the route's scope: 403 insufficient_scope", async () => {
    const { response, inner } = await withContext(keyAllow({ scopes: 'events:read' }), `Bearer ${API_KEY}`);
    const body = expectProblem(response, 403);
    expect(body.type).toBe('https://herald.dev/problems/insufficient-scope');
    expect(header(response, 'www-authenticate')).toContain('error="insufficient_scope"');
    expect(inner).not.toHaveBeenCalled();
    expect(securityEvents()[0]).toMatchObject({ reason: 'insufficient_scope', tenantId: 'acme' });
  });

  test('a cached allow that outlived its key: 401 key_expired', async () => {
    const { response, inner } = await withContext(
      keyAllow({ expiresAt: nowSeconds() - 1 }),
      `Bearer ${API_KEY}`,
    );
    expectInvalidToken(response, 'The API key expired');
    expect(inner).not.toHaveBeenCalled();
    expect(securityEvents()[0]).toMatchObject({ reason: 'key_expired', status: 401 });
  });

  test.each([
    ['key_revoked', 'The API key was revoked'],
    ['unknown_key', 'The access token is invalid'],
    ['token_expired', 'The access token expired'],
  ])(
    'a refusal %s: the 401 problem, challenge, security log line and metric',
    async (reason, description) => {
      const { response, inner } = await withContext(
        { v: 1, outcome: 'refuse', reason, status: 401, credential: 'api_key' },
        `Bearer ${API_KEY}`,
      );
      expectInvalidToken(response, description);
      expect(expectProblem(response, 401).type).toBe('https://herald.dev/problems/unauthorized');
      expect(inner).not.toHaveBeenCalled();
      expect(securityEvents()).toEqual([
        expect.objectContaining({ reason, status: 401, route: 'GET /v1/events', sourceIp: '203.0.113.7' }),
      ]);
      expect(logs.lines().filter((line) => '_aws' in line)).toEqual([
        expect.objectContaining({ reason, AuthFailures: 1 }),
      ]);
      expect(logs.text()).not.toContain(API_KEY);
    },
  );

  test('a refusal of the tenant (suspended): 403 forbidden, saying so', async () => {
    const { response, inner } = await withContext(
      { v: 1, outcome: 'refuse', reason: 'tenant_suspended', status: 403 },
      `Bearer ${API_KEY}`,
    );
    const body = expectProblem(response, 403);
    expect(body).toMatchObject({
      type: 'https://herald.dev/problems/forbidden',
      detail: 'The tenant is suspended',
    });
    expect(inner).not.toHaveBeenCalled();
    expect(securityEvents()[0]).toMatchObject({ reason: 'tenant_suspended', status: 403 });
  });

  test.each([
    ['an unknown version', keyAllow({ v: 2 })],
    ['no version', { ...keyAllow(), v: undefined }],
    ['an unknown outcome', keyAllow({ outcome: 'maybe' })],
    ['an allow without a tenant', keyAllow({ tenantId: undefined })],
    ['a tenant that is a path', keyAllow({ tenantId: '../other' })],
    ['an API key whose subject is not its key', keyAllow({ subject: 'user-42' })],
    ['a scope that is not a scope-token', keyAllow({ scopes: 'events:write "x"' })],
    ['settings that are not JSON', keyAllow({ settings: '{' })],
    ['a limit that is not a number', keyAllow({ settings: '{"limits":{"maxSubscriptions":"9"}}' })],
    ['a refusal with a 500 status', { v: 1, outcome: 'refuse', reason: 'x', status: 500 }],
    ['a refusal whose reason is not a word', { v: 1, outcome: 'refuse', reason: 'bad reason', status: 401 }],
  ])('a context with %s is a logged 500, never an allow', async (_case, lambda) => {
    const { response, inner } = await withContext(lambda, `Bearer ${API_KEY}`);
    expectProblem(response, 500);
    expect(inner).not.toHaveBeenCalled();
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: 'The authorizer context cannot be trusted' }),
    );
  });

  test('an API key verdict on a header holding a JWT is a 500, not an allow', async () => {
    const { response, inner } = await withContext(keyAllow(), `Bearer ${await token(es)}`);
    expectProblem(response, 500);
    expect(inner).not.toHaveBeenCalled();
  });

  test('a JWT the authorizer allowed is verified again, and reaches the handler', async () => {
    const jwt = await token(es);
    const { response, inner } = await withContext(
      {
        v: 1,
        outcome: 'allow',
        credential: 'jwt',
        tenantId: 'acme',
        subject: 'user-42',
        scopes: 'events:write events:read',
        expiresAt: nowSeconds() + 300,
        settings: '{"retentionDays":7}',
      },
      `Bearer ${jwt}`,
    );
    expect(response.statusCode).toBe(200);
    expect(inner.mock.calls[0]![1].auth).toEqual({
      tenantId: 'acme',
      subject: 'user-42',
      scopes: ['events:write', 'events:read'],
      credential: 'jwt',
      settings: { retentionDays: 7 },
    });
  });

  test('a JWT the authorizer allowed but that does not verify here: 401 as without it', async () => {
    const jwt = await token(stranger);
    const { response, inner } = await withContext(
      {
        v: 1,
        outcome: 'allow',
        credential: 'jwt',
        tenantId: 'acme',
        subject: 'user-42',
        scopes: 'events:write',
      },
      `Bearer ${jwt}`,
    );
    expectInvalidToken(response);
    expect(inner).not.toHaveBeenCalled();
    expect(securityEvents()[0]).toMatchObject({ reason: 'bad_signature' });
  });

  test('a JWT naming another tenant than the context is a 500, not an allow', async () => {
    const jwt = await token(es, { claims: { tenant: 'globex' } });
    const { response, inner } = await withContext(
      {
        v: 1,
        outcome: 'allow',
        credential: 'jwt',
        tenantId: 'acme',
        subject: 'user-42',
        scopes: 'events:write',
      },
      `Bearer ${jwt}`,
    );
    expectProblem(response, 500);
    expect(inner).not.toHaveBeenCalled();
  });

  test('a JWT is granted only the scopes both the token and the context give', async () => {
    const jwt = await token(es, { claims: { scope: 'events:read' } });
    const { response, inner } = await withContext(
      {
        v: 1,
        outcome: 'allow',
        credential: 'jwt',
        tenantId: 'acme',
        subject: 'user-42',
        scopes: 'events:write events:read',
      },
      `Bearer ${jwt}`,
    );
    expectProblem(response, 403);
    expect(inner).not.toHaveBeenCalled();
  });

  test('without a context an API key is refused 401: only the authorizer can check one', async () => {
    for (const lambda of [undefined, {}]) {
      logs.restore();
      logs = captureLogs();
      const { response, inner } = await withContext(lambda, `Bearer ${API_KEY}`);
      expectInvalidToken(response);
      expect(inner).not.toHaveBeenCalled();
      expect(securityEvents()[0]).toMatchObject({ reason: 'unverified_api_key' });
    }
  });

  test('an empty context (serverless-offline without a verdict) leaves a JWT verified as without one', async () => {
    const { response, inner } = await withContext({}, `Bearer ${await token(es)}`);
    expect(response.statusCode).toBe(200);
    expect(inner.mock.calls[0]![1].auth).toMatchObject({ credential: 'jwt', tenantId: 'acme' });
  });
});
