/**
 * suspendTenant, resumeTenant and deleteTenant answer through one route: the tenant with its new
 * status (204 for a deletion), the change in the tenant's own audit log with the operator as the
 * actor, the event on the bus; an unknown tenant is 404, a deleted one 409, and only tenants:admin
 * may call them.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { HttpLambdaHandler } from '@herald/shared/entry/http';
import {
  authEnvironment,
  captureLogs,
  httpEvent,
  lambdaContext,
  type AuthFixture,
} from '@herald/shared/testing/http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { auditRetentionDays } from '../../src/audit/record';
import type { TenantStatusDeps } from '../../src/handlers/tenant-status';
import { MemoryAuditLog } from '../audit/memory-audit-log';
import { MemoryTenantEvents, MemoryTenants } from '../support/memory';

let auth: AuthFixture;
let logs: ReturnType<typeof captureLogs>;
let log: MemoryAuditLog;
let tenants: MemoryTenants;
let events: MemoryTenantEvents;
let handlers: Record<'suspend' | 'resume' | 'delete', HttpLambdaHandler>;

const deps = (): TenantStatusDeps => ({
  store: tenants,
  events,
  chain: {
    head: (tenantId) => log.head(tenantId),
    retentionDays: (settings) => auditRetentionDays(settings, { defaultDays: 365, minimumDays: 90 }),
    now: () => new Date('2026-12-01T12:00:00.000Z'),
  },
});

beforeAll(async () => {
  auth = await authEnvironment();
  handlers = {
    suspend: (await import('../../src/handlers/suspend-tenant')).createHandler(deps),
    resume: (await import('../../src/handlers/resume-tenant')).createHandler(deps),
    delete: (await import('../../src/handlers/delete-tenant')).createHandler(deps),
  };
});
beforeEach(async () => {
  log = new MemoryAuditLog();
  tenants = new MemoryTenants(log);
  events = new MemoryTenantEvents();
  const at = '2026-11-30T09:00:00.000Z';
  tenants.tenants.set('acme', { id: 'acme', status: 'active', settings: {}, createdAt: at, updatedAt: at });
  logs = captureLogs();
});
afterEach(() => logs.restore());

async function call(action: keyof typeof handlers, tenantId = 'acme', scope = 'tenants:admin') {
  const path = action === 'delete' ? `/v1/tenants/${tenantId}` : `/v1/tenants/${tenantId}/${action}`;
  const response = (await handlers[action](
    httpEvent({
      method: action === 'delete' ? 'DELETE' : 'POST',
      path,
      pathParameters: { tenantId },
      headers: await auth.headers({ claims: { sub: 'operator-1', tenant: 'ops', scope } }),
    }),
    lambdaContext(),
  )) as APIGatewayProxyStructuredResultV2;
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
}

async function actions(tenantId: string) {
  const found: Array<[string, string]> = [];
  for await (const link of log.walk(tenantId)) found.push([link.entry.action, link.entry.actor.subject]);
  return found;
}

describe('the status routes', () => {
  test('suspend and resume answer the tenant, delete 204; each change recorded in its log and on the bus', async () => {
    const suspended = await call('suspend');
    expect(suspended).toMatchObject({ status: 200, body: { id: 'acme', status: 'suspended' } });
    expect(await call('resume')).toMatchObject({ status: 200, body: { id: 'acme', status: 'active' } });
    expect(await call('delete')).toEqual({ status: 204, body: undefined });
    expect(tenants.tenants.get('acme')!.status).toBe('deleted');
    expect(await actions('acme')).toEqual([
      ['tenant.suspended', 'operator-1'],
      ['tenant.resumed', 'operator-1'],
      ['tenant.deleted', 'operator-1'],
    ]);
    expect(await actions('ops')).toEqual([]);
    expect(events.published.map((event) => [event.type, event.detail.by])).toEqual([
      ['tenant.suspended', 'operator-1'],
      ['tenant.resumed', 'operator-1'],
      ['tenant.deleted', 'operator-1'],
    ]);
  });

  test('an unknown tenant is 404, a deleted one 409, and without tenants:admin nothing changes', async () => {
    expect(await call('suspend', 'globex')).toMatchObject({
      status: 404,
      body: { type: 'https://herald.dev/problems/not-found', detail: 'No such tenant' },
    });
    expect((await call('suspend', 'acme', 'keys:write')).status).toBe(403);
    expect((await call('delete', 'acme', 'keys:write')).status).toBe(403);
    expect(tenants.tenants.get('acme')!.status).toBe('active');
    await call('delete');
    expect((await call('resume')).status).toBe(409);
    expect(await actions('acme')).toEqual([['tenant.deleted', 'operator-1']]);
  });
});
