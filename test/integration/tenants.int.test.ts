/**
 * The tenants service on the shared local cloud, through its API: the operator's tenant routes
 * (create, read, change settings, suspend, resume, delete) with their refusals (wrong scope 403, bad
 * settings 422 naming the field), a tenant's API keys (created and shown once, listed without the
 * key, another tenant's key id not found, revoked idempotently), portal tokens; and the authorizer,
 * invoked through the local cloud's Lambda API as API Gateway invokes it (payload 2.0), for API keys
 * (allowed, revoked, expired, unknown), a suspended tenant and a tenant created on first use.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { callService, eventually, localCloud, tokenFor } from '../setup/local-cloud';

type Json = Record<string, unknown>;

const run = Date.now().toString(36);
const cloud = localCloud();
const operator = tokenFor({ tenant: `ops-${run}`, scopes: ['tenants:admin'] });
const call = async (token: string | Promise<string>, method: string, path: string, body?: unknown) =>
  callService<Json>('tenants', await token, method, path, body === undefined ? {} : { body });

const lambda = new LambdaClient({
  endpoint: cloud.endpoints.lambda.tenants,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

/** The authorizer's answer for an Authorization header, as API Gateway (payload 2.0) asks it. */
async function authorize(authorization: string): Promise<Json> {
  const out = await lambda.send(
    new InvokeCommand({
      FunctionName: 'herald-tenants-local-authorize',
      Payload: Buffer.from(
        JSON.stringify({
          version: '2.0',
          type: 'REQUEST',
          routeArn: 'arn:aws:execute-api:us-east-1:000000000000:api/$default/GET/v1/tenant',
          identitySource: [authorization],
          routeKey: 'GET /v1/tenant',
          rawPath: '/v1/tenant',
          headers: { authorization },
          requestContext: { http: { method: 'GET', path: '/v1/tenant' } },
        }),
      ),
    }),
  );
  const answer = JSON.parse(Buffer.from(out.Payload!).toString('utf8')) as {
    isAuthorized: boolean;
    context: Json;
  };
  expect(answer.isAuthorized).toBe(true);
  return answer.context;
}

async function newTenant(id: string, settings?: Json) {
  const created = await call(operator, 'POST', '/v1/tenants', { id, ...(settings ? { settings } : {}) });
  expect(created.status).toBe(201);
  return created.body;
}

const tenantToken = (tenant: string, scopes: string[]) => tokenFor({ tenant, scopes });

describe('the operator’s tenant routes', () => {
  // About 25 calls, each change also appended to the tenant's audit chain: more than Jest's 5 s.
  test('create, read, change settings, suspend, resume, delete; each refused without tenants:admin', async () => {
    const id = `t-${run}`;
    const created = await newTenant(id, { limits: { maxSubscriptions: 3 }, retentionDays: 7 });
    expect(created).toMatchObject({ id, status: 'active', settings: { limits: { maxSubscriptions: 3 } } });
    expect((await call(operator, 'POST', '/v1/tenants', { id })).status).toBe(409);
    expect((await call(operator, 'GET', `/v1/tenants/${id}`)).body).toMatchObject({ id, status: 'active' });

    const patched = await call(operator, 'PATCH', `/v1/tenants/${id}`, {
      settings: {
        limits: { ingestRequestsPerSecond: 20 },
        retentionDays: null,
        allowedDestinations: ['webhook'],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.settings).toEqual({
      limits: { maxSubscriptions: 3, ingestRequestsPerSecond: 20 },
      allowedDestinations: ['webhook'],
    });

    const bad = await call(operator, 'PATCH', `/v1/tenants/${id}`, { settings: { retentionDays: 0 } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body.errors)).toContain('/body/settings/retentionDays');
    const badLimit = await call(operator, 'POST', '/v1/tenants', {
      id: `bad-${run}`,
      settings: { limits: { maxConcurrentReplays: -1 } },
    });
    expect(badLimit.status).toBe(422);
    expect(JSON.stringify(badLimit.body.errors)).toContain('/body/settings/limits/maxConcurrentReplays');

    expect((await call(operator, 'POST', `/v1/tenants/${id}/suspend`)).body).toMatchObject({
      status: 'suspended',
    });
    expect((await call(operator, 'POST', `/v1/tenants/${id}/resume`)).body).toMatchObject({
      status: 'active',
    });
    expect((await call(operator, 'DELETE', `/v1/tenants/${id}`)).status).toBe(204);
    expect((await call(operator, 'DELETE', `/v1/tenants/${id}`)).status).toBe(204);
    expect((await call(operator, 'GET', `/v1/tenants/${id}`)).body).toMatchObject({ status: 'deleted' });
    expect((await call(operator, 'POST', `/v1/tenants/${id}/resume`)).status).toBe(409);
    for (const [method, path] of [
      ['GET', '/v1/tenants/nothing-here'],
      ['POST', '/v1/tenants/nothing-here/suspend'],
      ['DELETE', '/v1/tenants/nothing-here'],
    ] as const)
      expect((await call(operator, method, path)).status).toBe(404);

    const page = await call(operator, 'GET', '/v1/tenants?limit=100');
    expect(page.status).toBe(200);

    // A tenant's own token, whatever its other scopes, is not the operator's; it reads its own tenant.
    const tenant = tenantToken(id, ['keys:write', 'keys:read', 'subscriptions:write']);
    const own = `own-${run}`;
    await newTenant(own, { retentionDays: 5 });
    expect((await call(tenantToken(own, []), 'GET', '/v1/tenant')).body).toMatchObject({
      id: own,
      status: 'active',
      settings: { retentionDays: 5 },
    });
    expect((await call(tenantToken(`unknown-${run}`, []), 'GET', '/v1/tenant')).body).toMatchObject({
      id: `unknown-${run}`,
      status: 'active',
      settings: {},
    });
    for (const [method, path] of [
      ['GET', '/v1/tenants'],
      ['POST', `/v1/tenants/${id}/resume`],
      ['DELETE', `/v1/tenants/${id}`],
    ] as const) {
      const answer = await call(tenant, method, path);
      expect(answer.status).toBe(403);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  }, 30_000);
});

describe('a tenant’s API keys', () => {
  test('shown once, listed without the key, scoped from the caller’s own, another tenant’s not found, revoked', async () => {
    const id = `k-${run}`;
    await newTenant(id);
    const writer = tenantToken(id, ['keys:write', 'keys:read', 'events:write']);
    const created = await call(writer, 'POST', '/v1/api-keys', {
      name: 'producer',
      scopes: ['events:write'],
      environment: 'test',
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const key = created.body.key as string;
    expect(key).toMatch(/^hk_test_[A-Za-z0-9_-]{32}$/);
    expect(key.startsWith(created.body.prefix as string)).toBe(true);

    const listed = await call(writer, 'GET', '/v1/api-keys');
    const shown = JSON.stringify(listed.body);
    expect(shown).toContain(created.body.id as string);
    expect(shown).not.toContain(key);
    expect(shown).not.toContain('"hash"');
    const one = await call(writer, 'GET', `/v1/api-keys/${created.body.id as string}`);
    expect(one.body).not.toHaveProperty('key');
    expect(JSON.stringify(one.body)).not.toContain(key);

    // Scopes the caller does not have, or the operator's, are refused by name.
    const tooMuch = await call(writer, 'POST', '/v1/api-keys', {
      name: 'x',
      scopes: ['events:write', 'subscriptions:write', 'tenants:admin'],
    });
    expect(tooMuch.status).toBe(422);
    expect((tooMuch.body.errors as Json[]).map((e) => e.pointer)).toEqual([
      '/body/scopes/1',
      '/body/scopes/2',
    ]);

    // Wrong scope: reading keys is not writing them.
    const reader = tenantToken(id, ['keys:read']);
    expect((await call(reader, 'POST', '/v1/api-keys', { name: 'x', scopes: ['keys:read'] })).status).toBe(
      403,
    );
    expect((await call(reader, 'DELETE', `/v1/api-keys/${created.body.id as string}`)).status).toBe(403);

    // Another tenant knows nothing of it.
    const other = tenantToken(`other-${run}`, ['keys:write', 'keys:read']);
    expect((await call(other, 'GET', `/v1/api-keys/${created.body.id as string}`)).status).toBe(404);
    expect((await call(other, 'DELETE', `/v1/api-keys/${created.body.id as string}`)).status).toBe(404);

    expect((await authorize(`Bearer ${key}`)).outcome).toBe('allow');
    expect((await call(writer, 'DELETE', `/v1/api-keys/${created.body.id as string}`)).status).toBe(204);
    expect((await call(writer, 'DELETE', `/v1/api-keys/${created.body.id as string}`)).status).toBe(204);
    expect((await call(writer, 'GET', `/v1/api-keys/${created.body.id as string}`)).body).toHaveProperty(
      'revokedAt',
    );
  });

  test('a portal token: read scopes by default, at most an hour, the console URL carrying it in its fragment', async () => {
    const id = `p-${run}`;
    const writer = tenantToken(id, [
      'keys:write',
      'events:read',
      'subscriptions:read',
      'subscriptions:write',
    ]);
    const portal = await call(writer, 'POST', '/v1/portal-tokens', { ttlSeconds: 600 });
    expect(portal.status).toBe(201);
    expect(portal.body.token).toMatch(/^hk_portal_/);
    expect(portal.body.scopes).toEqual(['events:read', 'subscriptions:read']);
    expect(portal.body.url).toBe(
      `http://localhost:${new URL(cloud.endpoints.console).port}/#portal_token=${portal.body.token as string}`,
    );
    expect(Date.parse(portal.body.expiresAt as string) - Date.now()).toBeLessThanOrEqual(600_000);
    expect((await call(writer, 'POST', '/v1/portal-tokens', { ttlSeconds: 7200 })).status).toBe(422);
    expect((await call(writer, 'POST', '/v1/portal-tokens', { scopes: ['keys:write'] })).status).toBe(422);
    const context = await authorize(`Bearer ${portal.body.token as string}`);
    expect(context).toMatchObject({
      outcome: 'allow',
      tenantId: id,
      scopes: 'events:read subscriptions:read',
    });
  });
});

describe('the authorizer', () => {
  test('an API key: allowed with its tenant’s settings; revoked, expired and unknown keys refused 401', async () => {
    const id = `a-${run}`;
    await newTenant(id, { retentionDays: 3 });
    const writer = tenantToken(id, ['keys:write', 'keys:read', 'events:write', 'events:read']);
    const make = async (extra: Json = {}) => {
      const answer = await call(writer, 'POST', '/v1/api-keys', {
        name: 'k',
        scopes: ['events:write'],
        ...extra,
      });
      expect(answer.status).toBe(201);
      return answer.body as { id: string; key: string };
    };

    const live = await make();
    expect(await authorize(`Bearer ${live.key}`)).toEqual({
      v: 1,
      outcome: 'allow',
      credential: 'api_key',
      tenantId: id,
      subject: `key:${live.id}`,
      keyId: live.id,
      scopes: 'events:write',
      settings: JSON.stringify({ retentionDays: 3 }),
    });
    // Its use is recorded (the first in this container writes at once).
    expect((await call(writer, 'GET', `/v1/api-keys/${live.id}`)).body).toHaveProperty('lastUsedAt');

    const revoked = await make();
    expect((await call(writer, 'DELETE', `/v1/api-keys/${revoked.id}`)).status).toBe(204);
    expect(await authorize(`Bearer ${revoked.key}`)).toMatchObject({
      outcome: 'refuse',
      reason: 'key_revoked',
      status: 401,
      keyId: revoked.id,
    });

    const expiring = await make({ expiresAt: new Date(Date.now() + 1500).toISOString() });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await authorize(`Bearer ${expiring.key}`)).toMatchObject({
      outcome: 'refuse',
      reason: 'key_expired',
      status: 401,
    });

    const unknown = `hk_live_${randomBytes(24).toString('base64url')}`;
    expect(await authorize(`Bearer ${unknown}`)).toMatchObject({
      outcome: 'refuse',
      reason: 'unknown_key',
      status: 401,
    });
    expect(await authorize('Basic abc')).toMatchObject({
      outcome: 'refuse',
      reason: 'malformed_authorization',
    });
  });

  test('a suspended tenant is refused 403, for its JWTs and its keys, within the authorizer’s cache time', async () => {
    const id = `s-${run}`;
    await newTenant(id);
    const writer = tenantToken(id, ['keys:write', 'events:write']);
    const key = (await call(writer, 'POST', '/v1/api-keys', { name: 'k', scopes: ['events:write'] })).body
      .key as string;
    expect((await call(operator, 'POST', `/v1/tenants/${id}/suspend`)).status).toBe(200);
    // The key route's request had the authorizer read the tenant while active: a container keeps
    // that 30 s, so the suspension is seen within that (and API Gateway's result TTL, on routes).
    const started = Date.now();
    const refused = await eventually(
      async () => {
        const context = await authorize(`Bearer ${key}`);
        return context.outcome === 'refuse' ? context : undefined;
      },
      45_000,
      'the suspension to reach the authorizer',
    );
    expect(Date.now() - started).toBeLessThan(40_000);
    expect(refused).toMatchObject({ reason: 'tenant_suspended', status: 403, tenantId: id });
    const jwt = await eventually(
      async () => {
        const context = await authorize(`Bearer ${await writer}`);
        return context.outcome === 'refuse' ? context : undefined;
      },
      45_000,
      'the suspension to reach every authorizer container',
    );
    expect(jwt).toMatchObject({ reason: 'tenant_suspended', status: 403, credential: 'jwt' });
    // Through the API: the function answers the verdict as problem+json.
    const answer = await eventually(
      async () => {
        const attempt = await call(writer, 'GET', '/v1/tenant');
        return attempt.status === 403 ? attempt : undefined;
      },
      45_000,
      'the API to refuse the suspended tenant',
    );
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  }, 150_000);

  test('a JWT naming a tenant never created: created on first use on the local stage, with its scopes', async () => {
    const id = `auto-${run}`;
    const token = await tenantToken(id, ['events:read', 'events:write']);
    expect((await call(operator, 'GET', `/v1/tenants/${id}`)).status).toBe(404);
    const context = await authorize(`Bearer ${token}`);
    expect(context).toMatchObject({
      v: 1,
      outcome: 'allow',
      credential: 'jwt',
      tenantId: id,
      scopes: 'events:read events:write',
      settings: '{}',
    });
    expect(context.expiresAt).toEqual(expect.any(Number));
    expect((await call(operator, 'GET', `/v1/tenants/${id}`)).body).toMatchObject({ id, status: 'active' });
    expect(await authorize(`Bearer ${token.slice(0, -4)}AAAA`)).toMatchObject({
      outcome: 'refuse',
      reason: 'bad_signature',
      status: 401,
    });
  });
});
