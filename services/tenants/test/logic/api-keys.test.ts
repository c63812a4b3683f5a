import { beforeEach, describe, expect, test } from '@jest/globals';
import type { AuthContext } from '@herald/shared/entry/http';
import { createApiKey, createPortalToken, readApiKey, revokeApiKey } from '../../src/keys/api-keys';
import { hashKey } from '../../src/model/api-key';
import type { InvalidInput } from '../../src/problems';
import { NotFound } from '../../src/problems';
import { MemoryApiKeys } from '../support/memory';

let store: MemoryApiKeys;
const now = () => new Date('2026-12-01T12:00:00.000Z');
const caller: AuthContext = {
  tenantId: 'acme',
  subject: 'user-1',
  scopes: ['events:write', 'events:read', 'subscriptions:read', 'keys:write', 'keys:read', 'tenants:admin'],
  credential: 'jwt',
};

beforeEach(() => {
  store = new MemoryApiKeys();
});

const problems = async (work: Promise<unknown>) =>
  (
    (await work.then(
      () => undefined,
      (error: unknown) => error,
    )) as InvalidInput
  ).problems;

describe('API keys', () => {
  test('a key is shown once and kept as its hash, with its creator and scopes', async () => {
    const created = await createApiKey(
      caller,
      { name: 'producer', scopes: ['events:write'] },
      { store, now },
    );
    expect(created.key).toMatch(/^hk_live_/);
    const stored = store.keys.get(hashKey(created.key))!;
    expect(stored).toMatchObject({ tenantId: 'acme', createdBy: 'user-1', scopes: ['events:write'] });
    expect(JSON.stringify(stored)).not.toContain(created.key);
    const read = await readApiKey('acme', created.id, { store });
    expect(read).not.toHaveProperty('key');
    expect(read).not.toHaveProperty('hash');
  });

  test('scopes must be the caller’s own and never the operator’s; an expiry must be ahead', async () => {
    expect(
      await problems(
        createApiKey(
          caller,
          {
            name: 'k',
            scopes: ['events:write', 'subscriptions:write', 'tenants:admin'],
            expiresAt: '2026-12-01T11:00:00Z',
          },
          { store, now },
        ),
      ),
    ).toEqual([
      { pointer: '/body/scopes/1', message: 'is not one of your own scopes' },
      { pointer: '/body/scopes/2', message: 'may not be given to a key' },
      { pointer: '/body/expiresAt', message: 'must be in the future' },
    ]);
    expect(store.keys.size).toBe(0);
  });

  test('revoking is idempotent; another tenant’s key is not found', async () => {
    const { id } = await createApiKey(caller, { name: 'k', scopes: ['events:read'] }, { store, now });
    await revokeApiKey({ tenantId: 'acme' }, id, { store, now });
    await revokeApiKey({ tenantId: 'acme' }, id, { store, now: () => new Date('2026-12-02T00:00:00Z') });
    expect((await readApiKey('acme', id, { store })).revokedAt).toBe('2026-12-01T12:00:00.000Z');
    await expect(revokeApiKey({ tenantId: 'other' }, id, { store, now })).rejects.toThrow(NotFound);
    await expect(readApiKey('other', id, { store })).rejects.toThrow(NotFound);
  });
});

describe('portal tokens', () => {
  test('the caller’s read scopes by default, for ttlSeconds, with the console URL carrying it in the fragment', async () => {
    const token = await createPortalToken(
      caller,
      { ttlSeconds: 600 },
      { store, now, consoleUrl: 'https://console.example.com/' },
    );
    expect(token).toEqual({
      token: expect.stringMatching(/^hk_portal_/),
      id: expect.stringMatching(/^key_/),
      scopes: ['events:read', 'subscriptions:read', 'keys:read'],
      expiresAt: '2026-12-01T12:10:00.000Z',
      url: `https://console.example.com/#portal_token=${token.token}`,
    });
    expect(store.keys.get(hashKey(token.token))).toMatchObject({ environment: 'portal', tenantId: 'acme' });
  });

  test('never keys:write or tenants:admin; no URL where the stage has no console', async () => {
    expect(
      await problems(createPortalToken(caller, { scopes: ['keys:write', 'tenants:admin'] }, { store, now })),
    ).toEqual([
      { pointer: '/body/scopes/0', message: 'may not be given to a key' },
      { pointer: '/body/scopes/1', message: 'may not be given to a key' },
    ]);
    expect(await createPortalToken(caller, { scopes: ['events:write'] }, { store, now })).not.toHaveProperty(
      'url',
    );
  });
});
