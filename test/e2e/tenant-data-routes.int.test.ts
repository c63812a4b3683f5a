/**
 * A tenant's export and a subject's erasure through the tenants API, as a tenant asks for them:
 *
 * - POST /v1/tenant/export, then GET /v1/tenant/exports/{id} until ready; every presigned link is
 *   fetched with plain fetch (no token, no SDK): the NDJSON holds the tenant's events, its ordered
 *   subscription and deliveries, and no byte of a secret.
 * - POST /v1/tenant/erasures {subject} with an ORDERED subscription (ordering: subject) that has
 *   delivered the subject's events; once the request is done (each service's counts), no table,
 *   index, bucket or queue holds the subject or its events' ids, and no per-subject ordering item of
 *   its line is left in notifications' deliveries table.
 * - Without the route's scope: 403; another tenant's export or erasure id: 404.
 */
import { randomBytes } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, test, beforeAll } from '@jest/globals';
import { awsClients, callService, eventually, tokenFor } from '../setup/local-cloud';
import { drained, pipelineQueues } from './support/barrier';
import { storedEvent } from './support/events';
import { everything, type Found } from './support/everywhere';
import { endpointUrl, newEndpoint, receivedUntil, setEndpointSecret } from './support/receiver';
import { newTenant, type Tenant } from './support/tenant';

const unique = randomBytes(5).toString('hex');
const SUBJECT = `users/route-erase-${unique}`;
const KEPT_SUBJECT = `users/route-keep-${unique}`;
const SECRET_HEADER_VALUE = `route-header-secret-${randomBytes(12).toString('hex')}`;
const DELIVERIES_TABLE = 'herald-local-notifications-deliveries';
const notHeralds = (name: string) =>
  name.startsWith('it-tenant-data-') ||
  [
    'herald-local-tenants-data-requests',
    'herald-local-tenants-audit',
    'herald-local-tenants-tenants',
  ].includes(name);

const event = (id: string, subject: string) => ({
  id,
  type: 'order.created',
  subject,
  data: { customer: subject, note: `for ${id}` },
});
const containing = (found: readonly Found[], needle: string) => found.filter((f) => f.text.includes(needle));

interface ExportView {
  exportId: string;
  status: 'pending' | 'ready';
  waitingFor: string[];
  files?: Array<{ service: string; key: string; records: number; bytes: number; url: string }>;
}
interface ErasureView {
  requestId: string;
  status: 'pending' | 'done';
  counts: Record<string, Record<string, number>>;
}

describe("a tenant's export and erasure through the tenants API", () => {
  let tenant: Tenant;
  let other: Tenant;
  let exporter: string;
  let eraser: string;
  let subscription: { id: string; secret: string };
  const erasedIds = [`r1-${unique}`, `r2-${unique}`, `r3-${unique}`];
  const keptIds = [`r4-${unique}`];

  beforeAll(async () => {
    tenant = await newTenant();
    other = await newTenant();
    exporter = await tokenFor({ tenant: tenant.id, scopes: ['tenant:export'] });
    eraser = await tokenFor({ tenant: tenant.id, scopes: ['tenant:erase'] });
    const endpoint = newEndpoint(tenant.id);
    const created = await tenant.call<{ id: string; secret: string }>(
      'notifications',
      'POST',
      '/v1/subscriptions',
      {
        body: {
          url: endpointUrl(endpoint),
          eventTypes: ['order.*'],
          ordering: 'subject',
          headers: { 'x-api-key': { value: SECRET_HEADER_VALUE, secret: true } },
        },
      },
    );
    expect(created.status).toBe(201);
    await setEndpointSecret(endpoint, created.body.secret);
    subscription = created.body;
    const events = [
      ...erasedIds.map((id) => event(id, SUBJECT)),
      ...keptIds.map((id) => event(id, KEPT_SUBJECT)),
    ];
    const sent = await tenant.call('ingest', 'POST', '/v1/events', { body: { events } });
    expect(sent.status).toBe(202);
    for (const { id } of events) await storedEvent(tenant, id);
    await receivedUntil(endpoint, (r) => r.length >= events.length, 'the ordered deliveries');
    await drained(pipelineQueues('inbound'));
    // The subject's ordering line exists before the erasure (its head, marks).
    const order = await orderItems();
    expect(order.length).toBeGreaterThan(0);
  }, 600_000);

  async function orderItems() {
    const { dynamodb } = awsClients();
    const out = await dynamodb.send(
      new QueryCommand({
        TableName: DELIVERIES_TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :order)',
        ExpressionAttributeValues: { ':pk': `TENANT#${tenant.id}`, ':order': `ORDER#${subscription.id}#` },
      }),
    );
    return out.Items ?? [];
  }

  test('without the scope 403; another tenant’s ids 404', async () => {
    expect((await callService('tenants', eraser, 'POST', '/v1/tenant/export')).status).toBe(403);
    expect(
      (await callService('tenants', exporter, 'POST', '/v1/tenant/erasures', { body: { subject: SUBJECT } }))
        .status,
    ).toBe(403);
    const otherExporter = await tokenFor({ tenant: other.id, scopes: ['tenant:export', 'tenant:erase'] });
    const started = await callService<{ exportId: string }>(
      'tenants',
      otherExporter,
      'POST',
      '/v1/tenant/export',
    );
    expect(started.status).toBe(202);
    expect(
      (await callService('tenants', exporter, 'GET', `/v1/tenant/exports/${started.body.exportId}`)).status,
    ).toBe(404);
    const erasure = await callService<{ requestId: string }>(
      'tenants',
      otherExporter,
      'POST',
      '/v1/tenant/erasures',
      {
        body: { subject: `users/nobody-${unique}` },
      },
    );
    expect(erasure.status).toBe(202);
    expect(
      (await callService('tenants', eraser, 'GET', `/v1/tenant/erasures/${erasure.body.requestId}`)).status,
    ).toBe(404);
  }, 120_000);

  test('an export through the API: ready with presigned links whose NDJSON holds the data and no secret', async () => {
    const started = await callService<{ exportId: string; status: string }>(
      'tenants',
      exporter,
      'POST',
      '/v1/tenant/export',
    );
    expect(started.status).toBe(202);
    expect(started.body.status).toBe('pending');
    const ready = await eventually(
      async () => {
        const view = await callService<ExportView>(
          'tenants',
          exporter,
          'GET',
          `/v1/tenant/exports/${started.body.exportId}`,
        );
        expect(view.status).toBe(200);
        return view.body.status === 'ready' ? view.body : undefined;
      },
      240_000,
      'the export ready',
    );
    expect(ready.waitingFor).toEqual([]);
    const bodies: string[] = [];
    for (const file of ready.files ?? []) {
      const answer = await fetch(file.url);
      expect(answer.status).toBe(200);
      const body = await answer.text();
      expect(Buffer.byteLength(body)).toBe(file.bytes);
      const lines = body.trimEnd().split('\n');
      expect(lines).toHaveLength(file.records);
      for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
      bodies.push(body);
    }
    const all = bodies.join('\n');
    for (const id of [...erasedIds, ...keptIds]) expect(all).toContain(`"id":"${id}"`);
    expect(all).toContain(subscription.id);
    expect(all).not.toContain(SECRET_HEADER_VALUE);
    expect(all).not.toContain(subscription.secret);
    expect(all).not.toContain(subscription.secret.replace(/^whsec_/, ''));
    expect(all).not.toContain(other.id);
  }, 300_000);

  test('a subject’s erasure through the API: done, and the subject nowhere, ordering items included', async () => {
    const started = await callService<{ requestId: string }>(
      'tenants',
      eraser,
      'POST',
      '/v1/tenant/erasures',
      {
        body: { subject: SUBJECT },
      },
    );
    expect(started.status).toBe(202);
    const done = await eventually(
      async () => {
        const view = await callService<ErasureView>(
          'tenants',
          eraser,
          'GET',
          `/v1/tenant/erasures/${started.body.requestId}`,
        );
        expect(view.status).toBe(200);
        return view.body.status === 'done' ? view.body : undefined;
      },
      300_000,
      'the erasure done',
    );
    expect(done.counts.notifications).toMatchObject({
      deliveries: erasedIds.length,
      events: erasedIds.length,
    });
    expect(done.counts.notifications!.ordering).toBeGreaterThan(0);
    expect(done.counts.processing!.events).toBeGreaterThanOrEqual(erasedIds.length);

    const found = await everything({ skip: notHeralds });
    for (const id of erasedIds) expect(containing(found, id).map((f) => f.where)).toEqual([]);
    expect(containing(found, SUBJECT).map((f) => f.where)).toEqual([]);
    // What is left of ordering is the kept subject's line alone: no mark names an erased event.
    const left = await orderItems();
    expect(JSON.stringify(left)).not.toContain(SUBJECT);
    for (const id of erasedIds) expect(JSON.stringify(left)).not.toContain(id);
  }, 600_000);
});
