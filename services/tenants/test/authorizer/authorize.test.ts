import { generateKeyPairSync, sign } from 'node:crypto';
import { beforeEach, describe, expect, test } from '@jest/globals';
import { localKeySet } from '@herald/shared/middleware/jwks';
import { CLOCK_TOLERANCE_SECONDS, REQUIRED_CLAIMS, verifyJwt } from '@herald/shared/middleware/jwt';
import { createAuthorizer, type AuthorizeDeps } from '../../src/authorizer/authorize';
import { hashKey, mintKey, type ApiKey } from '../../src/model/api-key';
import type { Tenant } from '../../src/model/tenant';
import { MemoryApiKeys, MemoryTenants } from '../support/memory';

const ISSUER = 'https://issuer.test';
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'EdDSA', use: 'sig' };
const keySet = localKeySet({ keys: [jwk] });

let clock = Date.parse('2026-12-01T12:00:00Z');
const now = () => clock;

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const head = `${part({ alg: 'EdDSA', kid: 'k1', typ: 'JWT' })}.${part({
    iss: ISSUER,
    aud: 'herald',
    sub: 'user-1',
    // verifyJwt reads the real clock.
    exp: Math.floor(Date.now() / 1000) + 600,
    ...claims,
  })}`;
  return `${head}.${sign(null, Buffer.from(head), privateKey).toString('base64url')}`;
}

const tenant = (id: string, extra: Partial<Tenant> = {}): Tenant => ({
  id,
  status: 'active',
  settings: {},
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  ...extra,
});

let keys: MemoryApiKeys;
let tenants: MemoryTenants;

async function storedKey(extra: Partial<ApiKey> = {}, environment: 'live' | 'test' = 'live') {
  const minted = mintKey(environment);
  const record: ApiKey = {
    id: `key_${String(keys.keys.size).padStart(26, '0')}`,
    tenantId: 'acme',
    hash: minted.hash,
    name: 'k',
    prefix: minted.prefix,
    environment,
    scopes: ['events:write', 'events:read'],
    createdAt: '2026-11-01T00:00:00.000Z',
    createdBy: 'user-1',
    ...extra,
  };
  await keys.create(record);
  return { key: minted.key, record };
}

function authorizer(overrides: Partial<AuthorizeDeps> = {}, options = {}) {
  return createAuthorizer(
    {
      keys,
      tenants,
      verifyJwt: (token) =>
        verifyJwt(token, keySet, {
          issuer: ISSUER,
          audience: 'herald',
          algorithms: ['EdDSA'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: REQUIRED_CLAIMS,
        }),
      tenantClaim: 'tenant',
      autoCreateTenants: false,
      now,
      ...overrides,
    },
    options,
  );
}

beforeEach(async () => {
  clock = Date.parse('2026-12-01T12:00:00Z');
  keys = new MemoryApiKeys();
  tenants = new MemoryTenants();
  await tenants.create(tenant('acme', { settings: { retentionDays: 3, limits: { maxSubscriptions: 2 } } }));
});

describe('API keys', () => {
  test('a valid key is allowed with its scopes, subject, key id and its tenant’s settings', async () => {
    const { key, record } = await storedKey({ expiresAt: '2026-12-02T00:00:00.000Z' });
    expect(await authorizer()(`Bearer ${key}`)).toEqual({
      v: 1,
      outcome: 'allow',
      credential: 'api_key',
      tenantId: 'acme',
      subject: `key:${record.id}`,
      keyId: record.id,
      scopes: 'events:write events:read',
      expiresAt: Date.parse('2026-12-02T00:00:00.000Z') / 1000,
      settings: JSON.stringify({ retentionDays: 3, limits: { maxSubscriptions: 2 } }),
    });
  });

  test.each([
    ['revoked', { revokedAt: '2026-11-30T00:00:00.000Z' }, 'key_revoked'],
    ['expired', { expiresAt: '2026-12-01T11:59:59.000Z' }, 'key_expired'],
  ])('a %s key is refused 401', async (_what, extra, reason) => {
    const { key, record } = await storedKey(extra);
    expect(await authorizer()(`Bearer ${key}`)).toEqual({
      v: 1,
      outcome: 'refuse',
      reason,
      status: 401,
      credential: 'api_key',
      tenantId: 'acme',
      subject: `key:${record.id}`,
      keyId: record.id,
    });
  });

  test('an unknown key, or one of the wrong form, is refused 401 unknown_key without a lookup for the latter', async () => {
    const judge = authorizer();
    expect(await judge(`Bearer ${mintKey('live').key}`)).toMatchObject({
      reason: 'unknown_key',
      status: 401,
    });
    expect(keys.reads).toBe(1);
    expect(await judge('Bearer hk_live_short')).toMatchObject({ reason: 'unknown_key', status: 401 });
    expect(keys.reads).toBe(1);
  });

  test('the key of a suspended or deleted tenant is refused 403 tenant_suspended', async () => {
    const { key } = await storedKey();
    await tenants.update('acme', { status: 'suspended', updatedAt: 'x' });
    expect(await authorizer()(`Bearer ${key}`)).toMatchObject({ reason: 'tenant_suspended', status: 403 });
    await tenants.update('acme', { status: 'deleted', updatedAt: 'x' });
    expect(await authorizer()(`Bearer ${key}`)).toMatchObject({ reason: 'tenant_suspended', status: 403 });
  });

  test('lookups are cached per container for the cache time: a revocation is seen once it has passed', async () => {
    const { key, record } = await storedKey();
    const judge = authorizer({}, { cacheMs: 30_000 });
    expect((await judge(`Bearer ${key}`)).outcome).toBe('allow');
    keys.keys.get(record.hash)!.revokedAt = '2026-12-01T12:00:01.000Z';
    clock += 29_000;
    expect((await judge(`Bearer ${key}`)).outcome).toBe('allow');
    expect(keys.reads).toBe(1);
    expect(tenants.reads).toBe(1);
    clock += 1_000;
    expect(await judge(`Bearer ${key}`)).toMatchObject({ outcome: 'refuse', reason: 'key_revoked' });
    expect(keys.reads).toBe(2);
  });

  test('an expiry is checked at every request, whatever is cached', async () => {
    const { key } = await storedKey({ expiresAt: '2026-12-01T12:00:10.000Z' });
    const judge = authorizer();
    expect((await judge(`Bearer ${key}`)).outcome).toBe('allow');
    clock += 10_000;
    expect(await judge(`Bearer ${key}`)).toMatchObject({ reason: 'key_expired' });
    expect(keys.reads).toBe(1);
  });

  test('its last use is written at most once a minute per key', async () => {
    const { key, record } = await storedKey();
    const judge = authorizer();
    for (let i = 0; i < 5; i += 1) {
      await judge(`Bearer ${key}`);
      clock += 10_000;
    }
    expect(keys.touches).toEqual([{ hash: record.hash, at: '2026-12-01T12:00:00.000Z' }]);
    clock += 10_000; // 60 s after the first
    await judge(`Bearer ${key}`);
    expect(keys.touches.map((t) => t.at)).toEqual(['2026-12-01T12:00:00.000Z', '2026-12-01T12:01:00.000Z']);
  });

  test('a key is stored as its SHA-256 only, with a prefix that starts it', () => {
    const { key, hash, prefix } = mintKey('test');
    expect(key).toMatch(/^hk_test_[A-Za-z0-9_-]{32}$/);
    expect(hash).toBe(hashKey(key));
    expect(hash).not.toContain(key.slice(8));
    expect(key.startsWith(prefix)).toBe(true);
    expect(prefix).toHaveLength('hk_test_'.length + 4);
  });
});

describe('JWTs', () => {
  test('a valid token of a known tenant is allowed with its scopes, subject and expiry', async () => {
    const token = jwt({ tenant: 'acme', scope: 'events:read subscriptions:write', exp: 4_000_000_000 });
    expect(await authorizer()(`Bearer ${token}`)).toEqual({
      v: 1,
      outcome: 'allow',
      credential: 'jwt',
      tenantId: 'acme',
      subject: 'user-1',
      scopes: 'events:read subscriptions:write',
      expiresAt: 4_000_000_000,
      settings: JSON.stringify({ retentionDays: 3, limits: { maxSubscriptions: 2 } }),
    });
  });

  test.each([
    [
      'expired',
      { tenant: 'acme', exp: Math.floor(Date.parse('2026-12-01T11:00:00Z') / 1000) },
      'token_expired',
    ],
    ['of another issuer', { tenant: 'acme', iss: 'https://else' }, 'wrong_issuer'],
    ['of another audience', { tenant: 'acme', aud: 'other' }, 'wrong_audience'],
    ['without a tenant', {}, 'invalid_tenant'],
    ['with a malformed tenant', { tenant: 'a b' }, 'invalid_tenant'],
  ])('a token %s is refused 401 as the auth middleware refuses it', async (_what, claims, reason) => {
    expect(await authorizer()(`Bearer ${jwt(claims)}`)).toMatchObject({
      v: 1,
      outcome: 'refuse',
      reason,
      status: 401,
      credential: 'jwt',
    });
  });

  test('a forged signature is refused', async () => {
    const token = jwt({ tenant: 'acme' });
    expect(await authorizer()(`Bearer ${token.slice(0, -4)}AAAA`)).toMatchObject({ reason: 'bad_signature' });
  });

  test('no header, or one that is not a bearer token, is refused 401', async () => {
    expect(await authorizer()(undefined)).toEqual({
      v: 1,
      outcome: 'refuse',
      reason: 'missing_authorization',
      status: 401,
    });
    expect(await authorizer()('Basic dXNlcjpwYXNz')).toMatchObject({ reason: 'malformed_authorization' });
  });

  test('an unknown tenant is refused 403 unknown_tenant where the stage does not create tenants', async () => {
    expect(await authorizer()(`Bearer ${jwt({ tenant: 'newco' })}`)).toMatchObject({
      outcome: 'refuse',
      reason: 'unknown_tenant',
      status: 403,
      tenantId: 'newco',
    });
    expect(tenants.tenants.has('newco')).toBe(false);
  });

  test('an unknown tenant is created on first use where the stage says so, once', async () => {
    const judge = authorizer({ autoCreateTenants: true });
    expect(await judge(`Bearer ${jwt({ tenant: 'newco' })}`)).toMatchObject({
      outcome: 'allow',
      tenantId: 'newco',
      settings: '{}',
    });
    expect(tenants.tenants.get('newco')).toMatchObject({ status: 'active', autoCreated: true });
    // Another container made it first: this one reads it.
    const other = authorizer({ autoCreateTenants: true });
    await tenants.update('newco', { settings: { retentionDays: 1 }, updatedAt: 'x' });
    expect(await other(`Bearer ${jwt({ tenant: 'newco' })}`)).toMatchObject({
      outcome: 'allow',
      settings: '{"retentionDays":1}',
    });
  });

  test('an operator’s token needs no tenant record', async () => {
    expect(await authorizer()(`Bearer ${jwt({ tenant: 'ops', scope: 'tenants:admin' })}`)).toMatchObject({
      outcome: 'allow',
      tenantId: 'ops',
      scopes: 'tenants:admin',
      settings: '{}',
    });
    expect(tenants.tenants.has('ops')).toBe(false);
  });

  test('a suspended tenant’s tokens are refused 403 tenant_suspended', async () => {
    await tenants.update('acme', { status: 'suspended', updatedAt: 'x' });
    expect(await authorizer()(`Bearer ${jwt({ tenant: 'acme' })}`)).toMatchObject({
      outcome: 'refuse',
      reason: 'tenant_suspended',
      status: 403,
      subject: 'user-1',
    });
  });

  test('a failure that is not the token’s (the key set unreachable) is thrown, never cached as a verdict', async () => {
    const judge = authorizer({ verifyJwt: () => Promise.reject(new Error('JWKS unreachable')) });
    await expect(judge(`Bearer ${jwt({ tenant: 'acme' })}`)).rejects.toThrow('JWKS unreachable');
  });
});
