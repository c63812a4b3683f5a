/**
 * The tenants service's own changes in the audit log, on the local cloud, through its API: a
 * tenant's keys created and revoked (by a JWT and by an API key) and a portal token minted, and an
 * operator's tenant created, changed, suspended and resumed, are each in that tenant's
 * GET /v1/audit once, as the route answers (no outbox to wait for), with who made them and from
 * where; a repeat that changes nothing and a refused call add none; the operator's own tenant holds
 * none of them (only its own creation on its first use, with the operator as the first caller).
 * Then the operator's verifier (`npm run audit:verify`) passes the chain, and names the link of an
 * item changed in the table behind the service's back, exiting 1.
 */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from '@jest/globals';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { awsClients, callService, localCloud, tokenFor } from '../../../test/setup/local-cloud';
import { auditPartition, seqKey } from '../src/adapters/dynamo-audit-log';
import type { AuditItem } from '../src/audit/list';

const run = promisify(execFile);
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const AUDIT_TABLE = 'herald-local-tenants-audit';
const USER_AGENT = 'herald-own-audit-test/1.0';

type Json = Record<string, unknown>;
interface AuditPage {
  items: Array<AuditItem & { grant?: { scopes: string[]; expiresAt?: string } }>;
  nextCursor?: string;
}

const call = (token: string, method: string, path: string, correlation: string, body?: unknown) =>
  callService<Json>('tenants', token, method, path, {
    ...(body === undefined ? {} : { body }),
    headers: { 'user-agent': USER_AGENT, 'x-correlation-id': correlation },
  });

/** The operator's verifier, as an operator runs it, against the test's local cloud. */
async function verify(tenant: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(
      'npx',
      [
        'tsx',
        'scripts/audit-verify.ts',
        '--stage',
        'local',
        '--tenant',
        tenant,
        '--endpoint',
        localCloud().endpoints.aws.dynamodb,
      ],
      { cwd: REPO_ROOT },
    );
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, out: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe("the tenants service's own changes in the audit log", () => {
  test('keys, a portal token and an operator’s changes are recorded once each, in the changed tenant’s log; the verifier checks the chain', async () => {
    const suffix = ulid().toLowerCase().slice(-10);
    const tenant = `own-audit-${suffix}`;
    const opsTenant = `own-audit-ops-${suffix}`;
    const operator = await tokenFor({
      tenant: opsTenant,
      subject: 'operator-jane',
      scopes: ['tenants:admin', 'audit:read'],
    });
    const alice = await tokenFor({
      tenant,
      subject: 'alice',
      scopes: ['keys:write', 'keys:read', 'events:write', 'events:read'],
    });
    const auditor = await tokenFor({ tenant, subject: 'auditor', scopes: ['audit:read'] });

    // The operator makes the tenant (its own tenant is made on its first use meanwhile).
    expect(
      (
        await call(operator, 'POST', '/v1/tenants', 'own-create', {
          id: tenant,
          name: 'Own Audit',
          settings: { retentionDays: 120 },
        })
      ).status,
    ).toBe(201);
    // Refused (it exists): no entry.
    expect((await call(operator, 'POST', '/v1/tenants', 'own-create-again', { id: tenant })).status).toBe(
      409,
    );

    // The tenant's keys: one made by alice's JWT, used as an API key to revoke another.
    const admin = await call(alice, 'POST', '/v1/api-keys', 'own-key-admin', {
      name: 'key admin',
      scopes: ['keys:write', 'keys:read'],
    });
    expect(admin.status).toBe(201);
    const producer = await call(alice, 'POST', '/v1/api-keys', 'own-key-producer', {
      name: 'producer',
      scopes: ['events:write'],
      expiresAt: '2030-01-01T00:00:00Z',
    });
    expect(producer.status).toBe(201);
    const adminKey = String(admin.body.key);
    const producerId = String(producer.body.id);
    expect((await call(adminKey, 'DELETE', `/v1/api-keys/${producerId}`, 'own-revoke')).status).toBe(204);
    // Revoked again: it changes nothing, so no entry.
    expect((await call(alice, 'DELETE', `/v1/api-keys/${producerId}`, 'own-revoke-again')).status).toBe(204);
    const portal = await call(alice, 'POST', '/v1/portal-tokens', 'own-portal', { ttlSeconds: 600 });
    expect(portal.status).toBe(201);

    // The operator changes, suspends (twice: the second changes nothing) and resumes it.
    expect(
      (
        await call(operator, 'PATCH', `/v1/tenants/${tenant}`, 'own-patch', {
          name: 'Own Audit Ltd',
          settings: { limits: { maxSubscriptions: 4 } },
        })
      ).status,
    ).toBe(200);
    expect((await call(operator, 'POST', `/v1/tenants/${tenant}/suspend`, 'own-suspend')).status).toBe(200);
    expect((await call(operator, 'POST', `/v1/tenants/${tenant}/suspend`, 'own-suspend-again')).status).toBe(
      200,
    );
    expect((await call(operator, 'POST', `/v1/tenants/${tenant}/resume`, 'own-resume')).status).toBe(200);

    // In the log as the routes answered: no outbox, nothing to wait for.
    const page = await callService<AuditPage>('tenants', auditor, 'GET', '/v1/audit?limit=100');
    expect(page.status).toBe(200);
    const { items } = page.body;
    expect(items.map((item) => [item.action, item.correlationId])).toEqual([
      ['tenant.resumed', 'own-resume'],
      ['tenant.suspended', 'own-suspend'],
      ['tenant.settings_updated', 'own-patch'],
      ['portal_token.created', 'own-portal'],
      ['api_key.revoked', 'own-revoke'],
      ['api_key.created', 'own-key-producer'],
      ['api_key.created', 'own-key-admin'],
      ['tenant.created', 'own-create'],
    ]);
    const byCorrelation = (id: string) => items.find((item) => item.correlationId === id)!;
    for (const item of items) {
      expect(item).toMatchObject({
        tenantId: tenant,
        source: { userAgent: USER_AGENT, ip: expect.any(String) },
      });
    }
    for (const id of ['own-create', 'own-patch', 'own-suspend', 'own-resume']) {
      expect(byCorrelation(id)).toMatchObject({
        actor: { subject: 'operator-jane', credential: 'jwt' },
        resource: { type: 'tenant', id: tenant },
      });
    }
    expect(byCorrelation('own-create').changedFields).toEqual(['name', 'retentionDays']);
    expect(byCorrelation('own-patch').changedFields).toEqual(['limits', 'name']);
    expect(byCorrelation('own-suspend').changedFields).toEqual(['status']);
    expect(byCorrelation('own-key-producer')).toMatchObject({
      actor: { subject: 'alice', credential: 'jwt' },
      resource: { type: 'api_key', id: producerId },
      // environment: the schema's default (live), a member of the key made.
      changedFields: ['environment', 'expiresAt', 'name', 'scopes'],
      grant: { scopes: ['events:write'], expiresAt: '2030-01-01T00:00:00.000Z' },
    });
    expect(byCorrelation('own-revoke')).toMatchObject({
      actor: { subject: `key:${String(admin.body.id)}`, credential: 'api_key', keyId: String(admin.body.id) },
      resource: { type: 'api_key', id: producerId },
    });
    expect(byCorrelation('own-portal')).toMatchObject({
      actor: { subject: 'alice' },
      resource: { type: 'portal_token', id: String(portal.body.id) },
      grant: { scopes: portal.body.scopes, expiresAt: portal.body.expiresAt },
    });
    // Never a credential.
    const text = JSON.stringify(items);
    for (const secret of [adminKey, String(producer.body.key), String(portal.body.token)])
      expect(text).not.toContain(secret);
    // Filters work on the new actions and resource types.
    const portals = await callService<AuditPage>(
      'tenants',
      auditor,
      'GET',
      '/v1/audit?resourceType=portal_token',
    );
    expect(portals.body.items.map((item) => item.action)).toEqual(['portal_token.created']);

    // The operator's own tenant: only its creation on first use, the operator as the first caller.
    const own = await callService<AuditPage>('tenants', operator, 'GET', '/v1/audit?limit=100');
    expect(own.status).toBe(200);
    expect(own.body.items.map((item) => [item.action, item.resource.id, item.actor.subject])).toEqual([
      ['tenant.created', opsTenant, 'operator-jane'],
    ]);

    // The verifier passes the chain; an entry changed in the table is named at its link, exit 1.
    const passed = await verify(tenant);
    expect(passed.code).toBe(0);
    expect(passed.out).toContain(`ok: tenant ${tenant}'s chain verifies: 8 entries, seq 1 to 8`);
    const patched = byCorrelation('own-patch');
    const { seq, prevHash: _p, hash: _h, recordedAt: _r, ...entry } = patched;
    await awsClients().dynamodb.send(
      new UpdateCommand({
        TableName: AUDIT_TABLE,
        Key: { pk: auditPartition(tenant), sk: seqKey(seq) },
        UpdateExpression: 'SET entry = :entry',
        ExpressionAttributeValues: { ':entry': JSON.stringify({ ...entry, changedFields: ['limits'] }) },
      }),
    );
    const broken = await verify(tenant);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain(
      `BROKEN: tenant ${tenant}'s chain breaks at seq ${seq} (entry ${patched.id}): entry-altered`,
    );
  }, 120_000);
});
