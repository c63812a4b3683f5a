/**
 * The audit trail on the local cloud, end to end: a subscription's changes made through
 * notifications' API (create, update, pause, rotate its secret, delete) are written with their
 * outbox entries, carried by publishAudit to processing's bus, taken by the audit rule to the
 * tenants service's queue and appended by recordAudit; GET /v1/audit answers exactly those entries,
 * once each, with who made them and from where. Another tenant's token sees none of them, a request
 * refused for its scope leaves no entry, and the chain verifies until an item is changed in the
 * table behind the service's back.
 */
import { describe, expect, test } from '@jest/globals';
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { awsClients, callService, eventually, localCloud, tokenFor } from '../../../test/setup/local-cloud';
import { auditPartition, DynamoAuditLog, seqKey } from '../src/adapters/dynamo-audit-log';
import type { AuditItem } from '../src/audit/list';
import { verifyChain } from '../src/audit/verify';

const AUDIT_TABLE = 'herald-local-tenants-audit';
const AUDIT_QUEUE = 'herald-local-tenants-audit';
const USER_AGENT = 'herald-audit-test/1.0';

interface AuditPage {
  items: AuditItem[];
  nextCursor?: string;
}

async function auditQueueEmpty(): Promise<true | undefined> {
  const { sqs } = awsClients();
  for (const name of [AUDIT_QUEUE, `${AUDIT_QUEUE}-dlq`]) {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name })).catch(() => ({
      QueueUrl: undefined,
    }));
    if (!QueueUrl) continue;
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    if (
      Number(Attributes.ApproximateNumberOfMessages) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible) >
      0
    )
      return undefined;
  }
  return true;
}

describe('the audit trail on the local cloud', () => {
  test("a subscription's changes are recorded once each, read by their tenant alone, in a chain that verifies", async () => {
    const tenant = `audit-${ulid().toLowerCase()}`;
    const other = `audit-other-${ulid().toLowerCase()}`;
    const writer = await tokenFor({
      tenant,
      subject: 'alice',
      scopes: ['subscriptions:read', 'subscriptions:write'],
    });
    const reader = await tokenFor({ tenant, subject: 'auditor', scopes: ['audit:read'] });
    const otherReader = await tokenFor({ tenant: other, subject: 'mallory', scopes: ['audit:read'] });
    const readOnly = await tokenFor({ tenant, subject: 'bob', scopes: ['subscriptions:read'] });
    const call = (token: string, method: string, path: string, body?: unknown, correlation?: string) =>
      callService('notifications', token, method, path, {
        ...(body === undefined ? {} : { body }),
        headers: { 'user-agent': USER_AGENT, ...(correlation ? { 'x-correlation-id': correlation } : {}) },
      });

    const created = await call(
      writer,
      'POST',
      '/v1/subscriptions',
      { url: `${localCloud().endpoints.webhooks}/audit-${ulid().toLowerCase()}`, eventTypes: ['order.*'] },
      'audit-create',
    );
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const path = `/v1/subscriptions/${id}`;
    expect((await call(writer, 'PATCH', path, { description: 'orders' }, 'audit-update')).status).toBe(200);
    expect((await call(writer, 'POST', `${path}/pause`, undefined, 'audit-pause')).status).toBe(200);
    // Refused for its scope: no verified change, no entry.
    expect((await call(readOnly, 'POST', `${path}/resume`, undefined, 'audit-refused')).status).toBe(403);
    expect((await call(writer, 'POST', `${path}/rotate-secret`, {}, 'audit-rotate')).status).toBe(200);
    expect((await call(writer, 'DELETE', path, undefined, 'audit-delete')).status).toBe(204);

    const list = async (token: string, query = '') =>
      (await callService<AuditPage>('tenants', token, 'GET', `/v1/audit${query}`)).body;
    const expected = [
      ['subscription.deleted', 'audit-delete'],
      ['subscription.secret_rotated', 'audit-rotate'],
      ['subscription.paused', 'audit-pause'],
      ['subscription.updated', 'audit-update'],
      ['subscription.created', 'audit-create'],
      // The tenant made on its first use (the local stage's autoCreateTenants), by that first call.
      ['tenant.created', 'audit-create'],
    ];
    await eventually(
      async () => ((await list(reader)).items.length >= expected.length ? true : undefined),
      30_000,
      'six audit entries',
    );
    // Whatever was still on its way has arrived (or been refused): the count holds.
    await eventually(auditQueueEmpty, 20_000, 'the audit queue drained');
    const { items } = await list(reader);
    // The log is in the order entries were recorded (the chain's), newest first: the outbox, the bus
    // and the queue may bring a service's entries in another order than the changes, each keeping
    // its own time (`at`). So: exactly these entries, once each, in whatever order they came.
    const byAction = (a: string[], b: string[]) => a.join().localeCompare(b.join());
    expect(items.map((item) => [item.action, item.correlationId]).sort(byAction)).toEqual(
      [...expected].sort(byAction),
    );
    for (const item of items) {
      expect(item).toMatchObject({
        tenantId: tenant,
        actor: { subject: 'alice', credential: 'jwt' },
        resource:
          item.action === 'tenant.created' ? { type: 'tenant', id: tenant } : { type: 'subscription', id },
        source: { userAgent: USER_AGENT, ip: expect.any(String) },
      });
    }
    expect(items.find((item) => item.action === 'subscription.updated')?.changedFields).toEqual([
      'description',
    ]);
    // Filters and pages.
    expect((await list(reader, '?action=subscription.paused')).items.map((item) => item.action)).toEqual([
      'subscription.paused',
    ]);
    const first = await list(reader, '?limit=2');
    const second = await list(reader, `?limit=2&cursor=${first.nextCursor}`);
    expect([...first.items, ...second.items].map((item) => item.action)).toEqual(
      items.slice(0, 4).map((item) => item.action),
    );

    // Another tenant's token sees none of them: only its own tenant's creation on its first use.
    expect((await list(otherReader)).items.map((item) => [item.action, item.tenantId])).toEqual([
      ['tenant.created', other],
    ]);
    // A token without audit:read.
    expect((await callService('tenants', writer, 'GET', '/v1/audit')).status).toBe(403);

    // The chain verifies; an entry changed in the table is reported at its link.
    const log = new DynamoAuditLog(awsClients().dynamodb, AUDIT_TABLE);
    expect(await verifyChain(tenant, log.walk(tenant))).toMatchObject({ ok: true, entries: 6, lastSeq: 6 });
    const paused = items.find((item) => item.action === 'subscription.paused')!;
    const { seq, prevHash: _prev, hash: _hash, recordedAt: _at, ...pausedEntry } = paused;
    await awsClients().dynamodb.send(
      new UpdateCommand({
        TableName: AUDIT_TABLE,
        Key: { pk: auditPartition(tenant), sk: seqKey(seq) },
        UpdateExpression: 'SET entry = :entry',
        ExpressionAttributeValues: {
          ':entry': JSON.stringify({ ...pausedEntry, actor: { subject: 'someone-else', credential: 'jwt' } }),
        },
      }),
    );
    expect(await verifyChain(tenant, log.walk(tenant))).toMatchObject({
      ok: false,
      brokenAt: seq,
      reason: 'entry-altered',
    });
  }, 90_000);
});
