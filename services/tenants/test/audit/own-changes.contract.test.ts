/**
 * The tenants and key stores' audited writes, against the in-memory stand-ins and the DynamoDB
 * adapters on DynamoDB Local: a change given its entry's link is written with the link or not at all
 * (its condition refused: no entry; its link taken by another writer: ChainRace and no change), so a
 * change of the tenants service's own is in the chain exactly when it is made.
 */
import { randomUUID } from 'node:crypto';
import { expect, test } from '@jest/globals';
import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { auditEntry } from '@herald/shared/audit';
import { contractAws, describePort } from '../../../../test/setup/contract';
import { DynamoApiKeyStore } from '../../src/adapters/dynamo-api-key-store';
import { DynamoAuditLog } from '../../src/adapters/dynamo-audit-log';
import { DynamoTenantStore } from '../../src/adapters/dynamo-tenant-store';
import { ChainRace, link, type ChainedEntry } from '../../src/audit/chain';
import type { AuditLog } from '../../src/audit/ports';
import { verifyChain } from '../../src/audit/verify';
import { mintKey, type ApiKey } from '../../src/model/api-key';
import type { Tenant } from '../../src/model/tenant';
import type { ApiKeyStore, TenantStore } from '../../src/ports';
import { MemoryApiKeys, MemoryTenants } from '../support/memory';
import { MemoryAuditLog } from './memory-audit-log';

interface Subject {
  tenants: TenantStore;
  keys: ApiKeyStore;
  log: AuditLog;
}

async function createTable(input: Omit<CreateTableCommandInput, 'TableName' | 'BillingMode'>) {
  const name = `tenants-own-${randomUUID().slice(0, 8)}`;
  await contractAws().dynamodb.send(
    new CreateTableCommand({ TableName: name, BillingMode: 'PAY_PER_REQUEST', ...input }),
  );
  return name;
}

/** TenantsTable, ApiKeysTable and AuditTable as services/tenants/serverless.yml declares them. */
async function dynamo(): Promise<Subject> {
  const { dynamodb } = contractAws();
  const audit = await createTable({
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
  });
  const tenants = await createTable({
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  });
  const keys = await createTable({
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'tenantId', AttributeType: 'S' },
      { AttributeName: 'id', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
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
  });
  return {
    tenants: new DynamoTenantStore(dynamodb, tenants, audit),
    keys: new DynamoApiKeyStore(dynamodb, keys, audit),
    log: new DynamoAuditLog(dynamodb, audit),
  };
}

function memory(): Subject {
  const log = new MemoryAuditLog();
  return { tenants: new MemoryTenants(log), keys: new MemoryApiKeys(log), log };
}

const T = '2026-12-01T12:00:00.000Z';
const tenant = (id: string): Tenant => ({
  id,
  status: 'active',
  settings: {},
  createdAt: T,
  updatedAt: T,
});

let serial = 0;
function apiKey(tenantId: string): ApiKey {
  serial += 1;
  const minted = mintKey('live');
  return {
    id: `key_${String(serial).padStart(26, '0')}`,
    tenantId,
    hash: minted.hash,
    name: 'k',
    prefix: minted.prefix,
    environment: 'live',
    scopes: ['events:write'],
    createdAt: T,
    createdBy: 'alice',
  };
}

const entry = (
  tenantId: string,
  n: number,
  action: 'tenant.created' | 'tenant.suspended' | 'api_key.revoked',
) =>
  auditEntry(
    { tenantId, subject: 'operator-1', credential: 'jwt' },
    { headers: { 'user-agent': 'jest' } },
    `corr-${n}`,
    {
      action,
      resource:
        action === 'api_key.revoked' ? { type: 'api_key', id: 'key_1' } : { type: 'tenant', id: tenantId },
    },
    new Date(Date.parse(T) + n * 1000),
  );

async function chainOf(log: AuditLog, tenantId: string): Promise<ChainedEntry[]> {
  const all: ChainedEntry[] = [];
  for await (const item of log.walk(tenantId)) all.push(item);
  return all;
}

const EXPIRES = 2_000_000_000;

describePort<Subject>(
  'audited writes',
  [
    { name: 'memory', make: memory },
    { name: 'DynamoDB', make: dynamo },
  ],
  (make) => {
    test('a tenant created with its entry; created again: refused, no entry', async () => {
      const { tenants, log } = await make();
      const first = link(undefined, entry('acme', 1, 'tenant.created'), new Date(T));
      expect(await tenants.create(tenant('acme'), { link: first, expiresAt: EXPIRES })).toBe(true);
      const again = link(first, entry('acme', 2, 'tenant.created'), new Date(T));
      expect(await tenants.create(tenant('acme'), { link: again, expiresAt: EXPIRES })).toBe(false);
      expect((await chainOf(log, 'acme')).map((item) => item.entry.correlationId)).toEqual(['corr-1']);
      expect(await tenants.get('acme')).toEqual(tenant('acme'));
    });

    test('an update with its entry answers the tenant after; one refused by its status writes none', async () => {
      const { tenants, log } = await make();
      await tenants.create(tenant('acme'));
      const first = link(undefined, entry('acme', 1, 'tenant.suspended'), new Date(T));
      expect(
        await tenants.update('acme', { status: 'suspended', updatedAt: 'T2' }, ['active'], {
          link: first,
          expiresAt: EXPIRES,
        }),
      ).toMatchObject({ status: 'suspended', updatedAt: 'T2' });
      const second = link(first, entry('acme', 2, 'tenant.suspended'), new Date(T));
      expect(
        await tenants.update('acme', { status: 'suspended', updatedAt: 'T3' }, ['active'], {
          link: second,
          expiresAt: EXPIRES,
        }),
      ).toBeUndefined();
      expect(await chainOf(log, 'acme')).toHaveLength(1);
      expect(await verifyChain('acme', log.walk('acme'))).toMatchObject({ ok: true, entries: 1 });
    });

    test('a link another writer took: ChainRace, and the change is not made', async () => {
      const { tenants, log } = await make();
      await tenants.create(tenant('acme'));
      const taken = link(undefined, entry('acme', 1, 'tenant.created'), new Date(T));
      expect(await log.append(taken, EXPIRES)).toBe('appended');
      const stale = link(undefined, entry('acme', 2, 'tenant.suspended'), new Date(T));
      await expect(
        tenants.update('acme', { status: 'suspended', updatedAt: 'T2' }, ['active'], {
          link: stale,
          expiresAt: EXPIRES,
        }),
      ).rejects.toThrow(ChainRace);
      expect((await tenants.get('acme'))?.status).toBe('active');
      expect(await chainOf(log, 'acme')).toHaveLength(1);
    });

    test('a key revoked with its entry once; revoked again: the key as it is, no entry', async () => {
      const { keys, log } = await make();
      const key = apiKey('acme');
      await keys.create(key);
      const first = link(undefined, entry('acme', 1, 'api_key.revoked'), new Date(T));
      expect((await keys.revoke('acme', key.id, 'T1', { link: first, expiresAt: EXPIRES }))?.revokedAt).toBe(
        'T1',
      );
      const second = link(first, entry('acme', 2, 'api_key.revoked'), new Date(T));
      expect((await keys.revoke('acme', key.id, 'T2', { link: second, expiresAt: EXPIRES }))?.revokedAt).toBe(
        'T1',
      );
      expect(await keys.revoke('other', key.id, 'T3', { link: second, expiresAt: EXPIRES })).toBeUndefined();
      expect((await chainOf(log, 'acme')).map((item) => item.entry.correlationId)).toEqual(['corr-1']);
      expect(await chainOf(log, 'other')).toEqual([]);
    });

    test('a key created with its entry; a taken link makes no key', async () => {
      const { keys, log } = await make();
      const key = apiKey('acme');
      const first = link(undefined, entry('acme', 1, 'tenant.created'), new Date(T));
      await keys.create(key, { link: first, expiresAt: EXPIRES });
      expect(await keys.byHash(key.hash)).toEqual(key);
      const lost = apiKey('acme');
      await expect(
        keys.create(lost, {
          link: link(undefined, entry('acme', 2, 'tenant.created'), new Date(T)),
          expiresAt: EXPIRES,
        }),
      ).rejects.toThrow(ChainRace);
      expect(await keys.byHash(lost.hash)).toBeUndefined();
      expect(await chainOf(log, 'acme')).toHaveLength(1);
    });
  },
);
