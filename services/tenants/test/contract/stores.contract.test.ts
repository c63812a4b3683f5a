/**
 * The tenants and API keys stores' promises, against their in-memory stand-ins and the DynamoDB
 * adapters on DynamoDB Local (tables with the key schema serverless.yml declares): a tenant created
 * once, listed a page at a time, changed only from the statuses given; a key found by its hash, a
 * tenant's keys by id (never another tenant's, never portal tokens), revoked once, its use recorded.
 */
import { randomUUID } from 'node:crypto';
import { expect, test } from '@jest/globals';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { InvalidCursor } from '@herald/shared/cursor';
import { contractAws, describePort } from '../../../../test/setup/contract';
import { DynamoApiKeyStore } from '../../src/adapters/dynamo-api-key-store';
import { DynamoTenantStore } from '../../src/adapters/dynamo-tenant-store';
import { mintKey, type ApiKey } from '../../src/model/api-key';
import type { Tenant } from '../../src/model/tenant';
import type { ApiKeyStore, TenantStore } from '../../src/ports';
import { MemoryApiKeys, MemoryTenants } from '../support/memory';

/** TenantsTable and ApiKeysTable as services/tenants/serverless.yml declares them. */
async function table(kind: 'tenants' | 'keys'): Promise<string> {
  const name = `tenants-${kind}-${randomUUID().slice(0, 8)}`;
  await contractAws().dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        ...(kind === 'keys'
          ? [
              { AttributeName: 'tenantId', AttributeType: 'S' as const },
              { AttributeName: 'id', AttributeType: 'S' as const },
            ]
          : []),
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ...(kind === 'keys'
        ? {
            GlobalSecondaryIndexes: [
              {
                IndexName: 'byTenant',
                KeySchema: [
                  { AttributeName: 'tenantId', KeyType: 'HASH' },
                  { AttributeName: 'id', KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'ALL' },
              },
            ],
          }
        : {}),
    }),
  );
  return name;
}

const T = '2026-12-01T12:00:00.000Z';
const tenant = (id: string, extra: Partial<Tenant> = {}): Tenant => ({
  id,
  status: 'active',
  settings: { retentionDays: 3, limits: { maxSubscriptions: 2 }, allowedDestinations: ['webhook'] },
  createdAt: T,
  updatedAt: T,
  ...extra,
});

let serial = 0;
function apiKey(tenantId: string, extra: Partial<ApiKey> = {}): ApiKey {
  serial += 1;
  const minted = mintKey(extra.environment ?? 'live');
  return {
    id: `key_${String(serial).padStart(26, '0')}`,
    tenantId,
    hash: minted.hash,
    name: 'k',
    prefix: minted.prefix,
    environment: 'live',
    scopes: ['events:write'],
    createdAt: T,
    createdBy: 'user-1',
    ...extra,
  };
}

describePort<TenantStore>(
  'TenantStore',
  [
    { name: 'memory', make: () => new MemoryTenants() },
    {
      name: 'DynamoDB',
      make: async () => new DynamoTenantStore(contractAws().dynamodb, await table('tenants')),
    },
  ],
  (make) => {
    test('a tenant is created once, and read back as it was', async () => {
      const store = await make();
      expect(await store.create(tenant('acme'))).toBe(true);
      expect(await store.create(tenant('acme', { name: 'again' }))).toBe(false);
      expect(await store.get('acme')).toEqual(tenant('acme'));
      expect(await store.get('nobody')).toBeUndefined();
    });

    test('changes apply only from the statuses given, to a tenant that exists', async () => {
      const store = await make();
      await store.create(tenant('acme'));
      expect(await store.update('acme', { status: 'suspended', updatedAt: 'T2' }, ['active'])).toMatchObject({
        status: 'suspended',
        updatedAt: 'T2',
        settings: tenant('acme').settings,
      });
      expect(await store.update('acme', { status: 'active', updatedAt: 'T3' }, ['active'])).toBeUndefined();
      expect((await store.get('acme'))?.status).toBe('suspended');
      expect(await store.update('acme', { settings: {}, updatedAt: 'T4' })).toMatchObject({ settings: {} });
      expect(await store.update('nobody', { status: 'deleted', updatedAt: 'T5' })).toBeUndefined();
      expect(await store.get('nobody')).toBeUndefined();
    });

    test('the listing gives every tenant once, a page at a time', async () => {
      const store = await make();
      const ids = ['a', 'b', 'c', 'd', 'e'];
      for (const id of ids) await store.create(tenant(id));
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list(2, cursor);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((t) => t.id));
        cursor = page.next;
      } while (cursor);
      expect(seen.sort()).toEqual(ids);
      await expect(store.list(2, 'made-up')).rejects.toThrow(InvalidCursor);
    });
  },
);

describePort<ApiKeyStore>(
  'ApiKeyStore',
  [
    { name: 'memory', make: () => new MemoryApiKeys() },
    {
      name: 'DynamoDB',
      make: async () => new DynamoApiKeyStore(contractAws().dynamodb, await table('keys')),
    },
  ],
  (make) => {
    test('a key is found by its hash, and by id within its tenant alone', async () => {
      const store = await make();
      const key = apiKey('acme', { expiresAt: '2027-01-01T00:00:00.000Z' });
      await store.create(key);
      expect(await store.byHash(key.hash)).toEqual(key);
      expect(await store.get('acme', key.id)).toEqual(key);
      expect(await store.get('other', key.id)).toBeUndefined();
      expect(await store.byHash(mintKey('live').hash)).toBeUndefined();
    });

    test('portal tokens are found by hash, but are not a tenant’s listed keys', async () => {
      const store = await make();
      const portal = apiKey('acme', { environment: 'portal', expiresAt: '2026-12-01T13:00:00.000Z' });
      await store.create(portal);
      expect(await store.byHash(portal.hash)).toEqual(portal);
      expect((await store.list('acme', 10)).items).toEqual([]);
      expect(await store.get('acme', portal.id)).toBeUndefined();
    });

    test('a tenant’s keys are listed by id, a page at a time, its own only', async () => {
      const store = await make();
      const mine = [apiKey('acme'), apiKey('acme'), apiKey('acme')];
      for (const key of [...mine, apiKey('other')]) await store.create(key);
      const first = await store.list('acme', 2);
      expect(first.items.map((k) => k.id)).toEqual([mine[0]!.id, mine[1]!.id]);
      const second = await store.list('acme', 2, first.next);
      expect(second.items.map((k) => k.id)).toEqual([mine[2]!.id]);
      expect(second.next).toBeUndefined();
      await expect(store.list('other', 2, first.next)).rejects.toThrow(InvalidCursor);
    });

    test('a revocation is kept once, by the key’s tenant only', async () => {
      const store = await make();
      const key = apiKey('acme');
      await store.create(key);
      expect(await store.revoke('other', key.id, 'T1')).toBeUndefined();
      expect((await store.revoke('acme', key.id, 'T1'))?.revokedAt).toBe('T1');
      expect((await store.revoke('acme', key.id, 'T2'))?.revokedAt).toBe('T1');
      expect((await store.byHash(key.hash))?.revokedAt).toBe('T1');
      expect(await store.revoke('acme', 'key_00000000000000000000000000', 'T3')).toBeUndefined();
    });

    test('its use is recorded; a key that is gone is no error', async () => {
      const store = await make();
      const key = apiKey('acme');
      await store.create(key);
      await store.touch(key.hash, '2026-12-01T12:05:00.000Z');
      expect((await store.get('acme', key.id))?.lastUsedAt).toBe('2026-12-01T12:05:00.000Z');
      await store.touch(mintKey('live').hash, 'T');
      expect(await store.byHash(mintKey('live').hash)).toBeUndefined();
    });
  },
);
