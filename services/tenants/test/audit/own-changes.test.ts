/**
 * The tenants service's own changes in the audit log: a key created or revoked and a portal token
 * minted by a tenant, and an operator's tenant created, changed, suspended, resumed and deleted, are
 * each recorded once, in the changed tenant's chain (never the operator's own), in the change's
 * write: a change refused, or one that changes nothing, has no entry, and an entry never holds a
 * credential. A tenant made on its first use is recorded with its first caller as the actor.
 */
import { beforeEach, describe, expect, test } from '@jest/globals';
import { auditRecorder, type AuditEntry } from '@herald/shared/audit';
import type { AuthContext } from '@herald/shared/entry/http';
import { createAuthorizer } from '../../src/authorizer/authorize';
import type { ChainedEntry } from '../../src/audit/chain';
import { auditRetentionDays, type AuditChain } from '../../src/audit/record';
import { verifyChain } from '../../src/audit/verify';
import { createApiKey, createPortalToken, revokeApiKey } from '../../src/keys/api-keys';
import { Conflict } from '../../src/problems';
import { changeStatus, createTenant, updateTenant } from '../../src/tenants/operator';
import { MemoryApiKeys, MemoryTenantEvents, MemoryTenants } from '../support/memory';
import { MemoryAuditLog } from './memory-audit-log';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const REQUEST = {
  headers: { 'user-agent': 'herald-test/1.0' },
  requestContext: { http: { sourceIp: '203.0.113.9' } },
};

let log: MemoryAuditLog;
let chain: AuditChain;
let tenants: MemoryTenants;
let keys: MemoryApiKeys;
let events: MemoryTenantEvents;
let clock: number;

beforeEach(() => {
  log = new MemoryAuditLog();
  clock = NOW.getTime();
  const now = () => new Date((clock += 1000));
  chain = {
    head: (tenantId) => log.head(tenantId),
    retentionDays: (settings) => auditRetentionDays(settings, { defaultDays: 365, minimumDays: 90 }),
    now,
  };
  tenants = new MemoryTenants(log);
  keys = new MemoryApiKeys(log);
  events = new MemoryTenantEvents();
});

async function entries(tenantId: string): Promise<ChainedEntry[]> {
  const all: ChainedEntry[] = [];
  for await (const link of log.walk(tenantId)) all.push(link);
  return all;
}

const actions = async (tenantId: string) => (await entries(tenantId)).map((link) => link.entry.action);

const ALICE: AuthContext = {
  tenantId: 'acme',
  subject: 'alice',
  scopes: ['keys:write', 'keys:read', 'events:write', 'events:read', 'audit:read'],
  credential: 'jwt',
  settings: { retentionDays: 120 },
};
const OPERATOR: AuthContext = {
  tenantId: 'ops',
  subject: 'operator-1',
  scopes: ['tenants:admin'],
  credential: 'jwt',
};

describe("a tenant's keys and portal tokens", () => {
  const keyDeps = () => ({ store: keys, chain, now: chain.now, consoleUrl: 'https://console.example' });
  const audit = (correlation: string) => auditRecorder(ALICE, REQUEST, correlation);

  test('a key created and revoked is recorded once each, with its scopes and expiry, never the key', async () => {
    const key = await createApiKey(
      ALICE,
      { name: 'ci', scopes: ['events:write'], expiresAt: '2027-01-01T00:00:00Z' },
      keyDeps(),
      audit('c-create'),
    );
    await revokeApiKey(ALICE, key.id, keyDeps(), audit('c-revoke'));
    // A second revocation changes nothing: no second entry.
    await revokeApiKey(ALICE, key.id, keyDeps(), audit('c-revoke-again'));

    const chained = await entries('acme');
    expect(chained.map((link) => [link.entry.action, link.entry.correlationId])).toEqual([
      ['api_key.created', 'c-create'],
      ['api_key.revoked', 'c-revoke'],
    ]);
    expect(chained[0]!.entry).toMatchObject({
      tenantId: 'acme',
      actor: { subject: 'alice', credential: 'jwt' },
      resource: { type: 'api_key', id: key.id },
      changedFields: ['expiresAt', 'name', 'scopes'],
      grant: { scopes: ['events:write'], expiresAt: '2027-01-01T00:00:00.000Z' },
      source: { ip: '203.0.113.9', userAgent: 'herald-test/1.0' },
    });
    expect(chained[1]!.entry).toMatchObject({ resource: { type: 'api_key', id: key.id }, changedFields: [] });
    expect(JSON.stringify(chained)).not.toContain(key.key);
    expect(JSON.stringify(chained)).not.toContain(keys.keys.values().next().value!.hash);
    // Kept for the tenant's own retention (120 days), as the authorizer handed it over.
    expect(await verifyChain('acme', log.walk('acme'))).toMatchObject({ ok: true, entries: 2 });
  });

  test('a portal token minted says who, what scopes and until when, never the token', async () => {
    const token = await createPortalToken(ALICE, { ttlSeconds: 600 }, keyDeps(), audit('c-portal'));
    const [link] = await entries('acme');
    expect(link!.entry).toMatchObject({
      action: 'portal_token.created',
      actor: { subject: 'alice' },
      resource: { type: 'portal_token', id: token.id },
      changedFields: ['ttlSeconds'],
      grant: { scopes: token.scopes, expiresAt: token.expiresAt },
    });
    expect(token.scopes).toEqual(['keys:read', 'events:read', 'audit:read']);
    expect(JSON.stringify(link)).not.toContain(token.token);
  });

  test('a key refused (a scope the caller lacks) is neither made nor recorded', async () => {
    await expect(
      createApiKey(ALICE, { name: 'x', scopes: ['subscriptions:write'] }, keyDeps(), audit('c-x')),
    ).rejects.toThrow();
    expect(await entries('acme')).toEqual([]);
    expect(keys.keys.size).toBe(0);
  });

  test('a revocation of no key of the tenant is refused and not recorded', async () => {
    await expect(
      revokeApiKey(ALICE, 'key_00000000000000000000000000', keyDeps(), audit('c-none')),
    ).rejects.toThrow();
    expect(await entries('acme')).toEqual([]);
  });
});

describe("the operator's changes to a tenant", () => {
  const deps = () => ({ store: tenants, events, chain, now: chain.now });
  // As the routes make it: the changed tenant's entry, the operator as its actor.
  const on = (tenantId: string, correlation: string) =>
    auditRecorder({ ...OPERATOR, tenantId }, REQUEST, correlation);

  test("each change is recorded once in that tenant's log, with the operator as actor; none in the operator's", async () => {
    await createTenant(
      { id: 'acme', name: 'Acme', settings: { retentionDays: 30 } },
      deps(),
      'operator-1',
      on('acme', 'c1'),
    );
    await updateTenant(
      'acme',
      { settings: { limits: { maxSubscriptions: 5 }, retentionDays: null } },
      deps(),
      'operator-1',
      on('acme', 'c2'),
    );
    await changeStatus('acme', 'suspend', 'operator-1', deps(), on('acme', 'c3'));
    // Suspended again: nothing changes, no entry; the event is put again (a retry after a failed put).
    await changeStatus('acme', 'suspend', 'operator-1', deps(), on('acme', 'c3-again'));
    await changeStatus('acme', 'resume', 'operator-1', deps(), on('acme', 'c4'));
    await changeStatus('acme', 'delete', 'operator-1', deps(), on('acme', 'c5'));
    await changeStatus('acme', 'delete', 'operator-1', deps(), on('acme', 'c5-again'));

    const chained = await entries('acme');
    expect(
      chained.map((link) => [link.entry.action, link.entry.correlationId, link.entry.changedFields]),
    ).toEqual([
      ['tenant.created', 'c1', ['name', 'retentionDays']],
      ['tenant.settings_updated', 'c2', ['limits', 'retentionDays']],
      ['tenant.suspended', 'c3', ['status']],
      ['tenant.resumed', 'c4', ['status']],
      ['tenant.deleted', 'c5', ['status']],
    ]);
    for (const { entry } of chained) {
      expect(entry).toMatchObject({
        tenantId: 'acme',
        actor: { subject: 'operator-1', credential: 'jwt' },
        resource: { type: 'tenant', id: 'acme' },
      });
    }
    expect(await entries('ops')).toEqual([]);
    expect(events.published.map((event) => event.type)).toEqual([
      'tenant.suspended',
      'tenant.suspended',
      'tenant.resumed',
      'tenant.deleted',
      'tenant.deleted',
    ]);
    expect(await verifyChain('acme', log.walk('acme'))).toMatchObject({ ok: true, entries: 5 });
  });

  test('a change refused (a tenant that exists, a deleted one) writes no entry', async () => {
    await createTenant({ id: 'acme' }, deps(), 'operator-1', on('acme', 'c1'));
    await expect(createTenant({ id: 'acme' }, deps(), 'operator-1', on('acme', 'c2'))).rejects.toThrow(
      Conflict,
    );
    await changeStatus('acme', 'delete', 'operator-1', deps(), on('acme', 'c3'));
    await expect(changeStatus('acme', 'resume', 'operator-1', deps(), on('acme', 'c4'))).rejects.toThrow(
      Conflict,
    );
    await expect(updateTenant('acme', { name: 'x' }, deps(), 'operator-1', on('acme', 'c5'))).rejects.toThrow(
      Conflict,
    );
    expect(await actions('acme')).toEqual(['tenant.created', 'tenant.deleted']);
  });

  test('an empty patch changes nothing and is not recorded', async () => {
    await createTenant({ id: 'acme' }, deps(), 'operator-1', on('acme', 'c1'));
    await updateTenant('acme', {}, deps(), 'operator-1', on('acme', 'c2'));
    expect(await actions('acme')).toEqual(['tenant.created']);
  });

  test('an entry that lost its link to another writer (recordAudit) is written after it, with the change', async () => {
    await createTenant({ id: 'acme' }, deps(), 'operator-1', on('acme', 'c1'));
    // Another writer appends between this change's read of the head and its write, once.
    const racing: AuditEntry = auditRecorder(
      ALICE,
      REQUEST,
      'c-other',
    )({ action: 'subscription.created', resource: { type: 'subscription', id: 'sub_1' } }, NOW);
    const head = chain.head;
    let raced = false;
    chain.head = async (tenantId) => {
      const before = await head(tenantId);
      if (!raced) {
        raced = true;
        const { link } = await import('../../src/audit/chain');
        await log.append(link(before, racing, NOW), 0);
      }
      return before;
    };
    await changeStatus('acme', 'suspend', 'operator-1', deps(), on('acme', 'c2'));
    expect(raced).toBe(true);
    expect(await actions('acme')).toEqual(['tenant.created', 'subscription.created', 'tenant.suspended']);
    expect(await verifyChain('acme', log.walk('acme'))).toMatchObject({ ok: true, entries: 3 });
  });
});

describe('a tenant made on its first use', () => {
  test('is recorded once, in its own log, with its first caller (a verified JWT) as the actor', async () => {
    const authorize = createAuthorizer({
      keys,
      tenants,
      verifyJwt: async () => ({ sub: 'first-user', tenant: 'newco', scope: 'events:write' }),
      tenantClaim: 'tenant',
      autoCreateTenants: true,
      chain,
      now: () => NOW.getTime(),
    });
    const request = { ...REQUEST, correlationId: 'c-first' };
    expect(await authorize('Bearer eyJ.a.b', request)).toMatchObject({ outcome: 'allow', tenantId: 'newco' });
    expect(await authorize('Bearer eyJ.a.b', { ...request, correlationId: 'c-second' })).toMatchObject({
      outcome: 'allow',
    });
    const chained = await entries('newco');
    expect(chained.map((link) => link.entry)).toEqual([
      expect.objectContaining({
        action: 'tenant.created',
        actor: { subject: 'first-user', credential: 'jwt' },
        resource: { type: 'tenant', id: 'newco' },
        changedFields: [],
        correlationId: 'c-first',
        source: { ip: '203.0.113.9', userAgent: 'herald-test/1.0' },
      }),
    ]);
  });

  test('another container that made it first leaves one entry', async () => {
    const authorizer = () =>
      createAuthorizer({
        keys,
        tenants,
        verifyJwt: async () => ({ sub: 'first-user', tenant: 'newco', scope: 'events:write' }),
        tenantClaim: 'tenant',
        autoCreateTenants: true,
        chain,
      });
    const [one, two] = [authorizer(), authorizer()];
    await Promise.all([
      one('Bearer eyJ.a.b', { ...REQUEST, correlationId: 'c-1' }),
      two('Bearer eyJ.a.b', { ...REQUEST, correlationId: 'c-2' }),
    ]);
    expect(await actions('newco')).toEqual(['tenant.created']);
  });
});
