/**
 * A tenant's own export and erasure routes, handler to logic, over in-memory records: what is asked on
 * the bus, what the audit log gets, what is answered while pending and once every service answered,
 * the limits, and that another tenant's id is not found.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { auditRecorder, type AuditEntry } from '@herald/shared/audit';
import type { ErasureRequestedDetail, ExportRequestedDetail } from '@herald/shared/contracts/tenant-data';
import type { HttpLambdaHandler } from '@herald/shared/entry/http';
import {
  authEnvironment,
  captureLogs,
  httpEvent,
  lambdaContext,
  type AuthFixture,
} from '@herald/shared/testing/http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { orchestrate } from '../../src/tenant-data/orchestrate';
import {
  MAX_RUNNING_ERASURES,
  MAX_RUNNING_EXPORTS,
  startErasure as startErasureLogic,
  startExport as startExportLogic,
  type TenantRequestDeps,
} from '../../src/tenant-data/tenant-requests';
import { MemoryDataRequests } from '../support/memory';

let auth: AuthFixture;
let logs: ReturnType<typeof captureLogs>;
let requests: MemoryDataRequests;
let exports: ExportRequestedDetail[];
let erasures: ErasureRequestedDetail[];
let audit: AuditEntry[];
let clock: Date;
const handlers: Record<string, HttpLambdaHandler> = {};

const deps = (): TenantRequestDeps => ({
  requests,
  exportBucket: 'exports-bucket',
  requestExport: async (detail) => void exports.push(detail),
  requestErasure: async (detail) => void erasures.push(detail),
  presign: async (key, seconds) => `https://s3.test/${key}?expires=${seconds}`,
  recordAudit: async (entry) => void audit.push(entry),
  now: () => clock,
});

// The handlers are given their dependencies here: the stage's wiring (AWS clients) is never built.
jest.unstable_mockModule('../../src/wiring', () => ({
  tenantRequestDeps: () => {
    throw new Error('not in unit tests');
  },
}));

beforeAll(async () => {
  auth = await authEnvironment();
  for (const name of ['start-export', 'get-export', 'start-erasure', 'get-erasure']) {
    handlers[name] = (await import(`../../src/handlers/${name}`)).createHandler(deps);
  }
});
beforeEach(() => {
  requests = new MemoryDataRequests();
  exports = [];
  erasures = [];
  audit = [];
  clock = new Date('2026-12-01T17:00:00.000Z');
  logs = captureLogs();
});
afterEach(() => logs.restore());

async function call(
  name: string,
  scope: string,
  request: { method: string; path: string; body?: unknown; pathParameters?: Record<string, string> },
  tenant = 'acme',
) {
  const response = (await handlers[name]!(
    httpEvent({
      method: request.method,
      path: request.path,
      headers: await auth.headers({ claims: { tenant, scope } }),
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      ...(request.pathParameters ? { pathParameters: request.pathParameters } : {}),
    }),
    lambdaContext(),
  )) as APIGatewayProxyStructuredResultV2;
  return {
    status: response.statusCode,
    body: JSON.parse(response.body ?? 'null'),
    headers: response.headers,
  };
}

const startExport = (tenant = 'acme', scope = 'tenant:export') =>
  call('start-export', scope, { method: 'POST', path: '/v1/tenant/export' }, tenant);
const getExport = (exportId: string, tenant = 'acme') =>
  call(
    'get-export',
    'tenant:export',
    { method: 'GET', path: `/v1/tenant/exports/${exportId}`, pathParameters: { exportId } },
    tenant,
  );
const written = (exportId: string, service: string, objects: unknown[]) => ({
  source: `herald.${service}`,
  'detail-type': 'tenant.export.written',
  detail: { exportId, tenantId: 'acme', service, objects, time: '2026-12-01T17:00:01Z' },
});
const orchestrateDeps = () => ({
  requests,
  eraseApiKeys: async () => 0,
  eraseExports: async () => 4,
  requestErasure: async () => undefined,
  recordAudit: async (entry: AuditEntry) => void audit.push(entry),
  now: () => clock,
});

describe('POST /v1/tenant/export and GET /v1/tenant/exports/{exportId}', () => {
  test('asks every service on the bus, records it and the audit entry; pending, then ready with presigned URLs', async () => {
    const started = await startExport();
    expect(started.status).toBe(202);
    const { exportId } = started.body;
    expect(exportId).toMatch(/^exp_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(started.body).toEqual({ exportId, status: 'pending', requestedAt: clock.toISOString() });
    expect(started.headers?.location).toBe(`/v1/tenant/exports/${exportId}`);
    expect(exports).toEqual([
      {
        exportId,
        tenantId: 'acme',
        bucket: 'exports-bucket',
        prefix: `exports/acme/${exportId}/`,
        time: clock.toISOString(),
      },
    ]);
    expect(audit.map((entry) => [entry.action, entry.tenantId, entry.resource])).toEqual([
      ['tenant.export_requested', 'acme', { type: 'tenant', id: 'acme' }],
    ]);

    const key = (service: string) => `exports/acme/${exportId}/${service}/part-0001.ndjson`;
    await orchestrate(written(exportId, 'ingest', []), orchestrateDeps());
    await orchestrate(
      written(exportId, 'processing', [{ key: key('processing'), records: 3, bytes: 300 }]),
      orchestrateDeps(),
    );
    const pending = await getExport(exportId);
    expect(pending.status).toBe(200);
    expect(pending.body).toEqual({
      exportId,
      status: 'pending',
      requestedAt: clock.toISOString(),
      answered: ['ingest', 'processing'],
      waitingFor: ['notifications'],
    });

    await orchestrate(
      written(exportId, 'notifications', [
        { key: key('notifications'), records: 2, bytes: 120 },
        // Not under this export's folder: never signed.
        { key: 'exports/globex/other/notifications/x.ndjson', records: 1, bytes: 1 },
      ]),
      orchestrateDeps(),
    );
    const ready = await getExport(exportId);
    expect(ready.headers?.['cache-control']).toBe('no-store');
    expect(ready.body).toMatchObject({
      status: 'ready',
      answered: ['ingest', 'processing', 'notifications'],
      waitingFor: [],
      urlsExpireAt: '2026-12-01T17:15:00.000Z',
      files: [
        {
          service: 'processing',
          key: key('processing'),
          records: 3,
          bytes: 300,
          url: `https://s3.test/${key('processing')}?expires=900`,
        },
        {
          service: 'notifications',
          key: key('notifications'),
          records: 2,
          bytes: 120,
          url: `https://s3.test/${key('notifications')}?expires=900`,
        },
      ],
    });
  });

  test("another tenant's export is not found; a malformed id is refused; the scope is required", async () => {
    const { exportId } = (await startExport()).body;
    expect((await getExport(exportId, 'globex')).status).toBe(404);
    expect((await getExport('exp_nope')).status).toBe(422);
    expect((await startExport('acme', 'events:read')).status).toBe(403);
    expect((await startExport('acme', 'tenant:erase')).status).toBe(403);
  });

  test(`at most ${MAX_RUNNING_EXPORTS} run at once per tenant; a stale pending one no longer counts`, async () => {
    for (let n = 0; n < MAX_RUNNING_EXPORTS; n += 1) expect((await startExport()).status).toBe(202);
    const refused = await startExport();
    expect(refused.status).toBe(409);
    expect(refused.body.type).toMatch(/quota-exceeded$/);
    expect((await startExport('globex')).status).toBe(202);
    clock = new Date(clock.getTime() + 61 * 60 * 1000);
    expect((await startExport()).status).toBe(202);
  });

  test('of starts made at the same time, only the limit pass: each is counted and recorded as one', async () => {
    // The logic itself, so the starts interleave at every await (a handler's verification would
    // spread them out): counted first and recorded after, each would see none running.
    const caller = {
      tenantId: 'acme',
      subject: 'user-1',
      scopes: ['tenant:export'],
      credential: 'jwt' as const,
    };
    const auditOf = auditRecorder(caller, {}, 'corr-1');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 3 * MAX_RUNNING_EXPORTS }, () => startExportLogic(caller, auditOf, deps())),
    );
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(outcomes.length - refused.length).toBe(MAX_RUNNING_EXPORTS);
    for (const outcome of refused)
      expect(outcome.reason).toMatchObject({ name: 'Conflict', slug: 'quota-exceeded' });
    expect([...requests.items.values()].filter((r) => r.kind === 'export')).toHaveLength(MAX_RUNNING_EXPORTS);
    expect(exports).toHaveLength(MAX_RUNNING_EXPORTS);
  });
});

describe('POST /v1/tenant/erasures and GET /v1/tenant/erasures/{requestId}', () => {
  const getErasure = (requestId: string, tenant = 'acme') =>
    call(
      'get-erasure',
      'tenant:erase',
      { method: 'GET', path: `/v1/tenant/erasures/${requestId}`, pathParameters: { requestId } },
      tenant,
    );

  test("asks a subject's erasure; done with each service's counts once all four answered; the record keeps no subject", async () => {
    const started = await call('start-erasure', 'tenant:erase', {
      method: 'POST',
      path: '/v1/tenant/erasures',
      body: { subject: 'customer-42' },
    });
    expect(started.status).toBe(202);
    const { requestId } = started.body;
    expect(requestId).toMatch(/^ers_/);
    expect(erasures).toEqual([
      { requestId, tenantId: 'acme', scope: 'subject', subject: 'customer-42', time: clock.toISOString() },
    ]);
    expect(JSON.stringify([...requests.items.values()])).not.toContain('customer-42');
    // Who asked is in the audit log; what they asked to erase is not.
    expect(audit.map((entry) => [entry.action, entry.resource])).toEqual([
      ['tenant.erasure_requested', { type: 'tenant', id: 'acme' }],
    ]);
    expect(JSON.stringify(audit)).not.toContain('customer-42');

    const request = {
      source: 'herald.tenants',
      'detail-type': 'tenant.erasure.requested',
      detail: erasures[0],
    };
    await orchestrate(request, orchestrateDeps());
    expect((await getErasure(requestId)).body).toMatchObject({
      status: 'pending',
      scope: 'subject',
      answered: ['tenants'],
      waitingFor: ['ingest', 'processing', 'notifications'],
      counts: { tenants: { exports: 4 } },
    });
    for (const service of ['ingest', 'processing', 'notifications']) {
      await orchestrate(
        {
          source: `herald.${service}`,
          'detail-type': 'tenant.erasure.completed',
          detail: {
            requestId,
            tenantId: 'acme',
            scope: 'subject',
            service,
            counts: { events: 2 },
            time: clock.toISOString(),
          },
        },
        orchestrateDeps(),
      );
    }
    const done = await getErasure(requestId);
    expect(done.body).toMatchObject({ status: 'done', waitingFor: [], doneAt: clock.toISOString() });
    expect(done.body.counts.notifications).toEqual({ events: 2 });
    expect(audit.map((entry) => entry.action)).toEqual([
      'tenant.erasure_requested',
      'tenant.erasure_completed',
    ]);
    expect((await getErasure(requestId, 'globex')).status).toBe(404);
  });

  test.each([
    ['no subject', {}],
    ['an empty subject', { subject: '' }],
    ['a subject too long', { subject: 'x'.repeat(257) }],
    ['a control character', { subject: 'a\nb' }],
    ['another member', { subject: 'a', scope: 'tenant' }],
  ])('refuses %s (422), asking nothing', async (_name, body) => {
    const answer = await call('start-erasure', 'tenant:erase', {
      method: 'POST',
      path: '/v1/tenant/erasures',
      body,
    });
    expect(answer.status).toBe(422);
    expect(erasures).toEqual([]);
  });

  test('needs tenant:erase', async () => {
    const answer = await call('start-erasure', 'tenant:export', {
      method: 'POST',
      path: '/v1/tenant/erasures',
      body: { subject: 'a' },
    });
    expect(answer.status).toBe(403);
  });

  test(`of erasures asked at the same time, only ${MAX_RUNNING_ERASURES} are recorded and asked; the rest are 409`, async () => {
    const caller = {
      tenantId: 'acme',
      subject: 'user-1',
      scopes: ['tenant:erase'],
      credential: 'jwt' as const,
    };
    const auditOf = auditRecorder(caller, {}, 'corr-1');
    const outcomes = await Promise.allSettled(
      Array.from({ length: MAX_RUNNING_ERASURES + 5 }, (_, n) =>
        startErasureLogic(caller, { subject: `s-${n}` }, auditOf, deps()),
      ),
    );
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused).toHaveLength(5);
    for (const outcome of refused)
      expect(outcome.reason).toMatchObject({ name: 'Conflict', slug: 'quota-exceeded' });
    expect(erasures).toHaveLength(MAX_RUNNING_ERASURES);
  });
});
