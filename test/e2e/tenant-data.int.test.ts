/**
 * A tenant's export and erasure across the three services, driven as the tenants service drives
 * them: requests on processing's bus, answered by each service's tenant-data function with its
 * completion. A tenant with events (with and without the subject), a subscription with a secret
 * header, deliveries, an upload, an idempotency key and a replay; another tenant with an event of
 * the same subject.
 *
 * - The export's NDJSON files hold the tenant's events, subscription and deliveries and no byte of
 *   a secret.
 * - A subject's erasure: afterwards no table (nor index), bucket or queue of any service holds the
 *   subject in the tenant's data, nor any erased event's id; the tenant's other events are served
 *   as before, and the other tenant's event of the same subject is untouched.
 * - The whole tenant's erasure: nothing anywhere names the tenant (the tenants service's own tables
 *   aside: its record stays as `deleted`); the other tenant's data is intact.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import {
  DeleteRuleCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { clientConfig } from '@herald/local-cloud/client';
import { awsClients, callService, eventually, localCloud, tokenFor } from '../setup/local-cloud';
import { drained, pipelineQueues } from './support/barrier';
import { storedEvent, storedEvents } from './support/events';
import { everything, type Found } from './support/everywhere';
import { endpointUrl, newEndpoint, receivedUntil, setEndpointSecret } from './support/receiver';
import { newTenant, type Tenant } from './support/tenant';

const BUS = 'herald-local';
const EXPORT_BUCKET = 'herald-local-tenants-exports-000000000000-us-east-1';
const SERVICES = ['ingest', 'notifications', 'processing'];

const unique = randomBytes(5).toString('hex');
const SUBJECT = `users/erase-${unique}`;
const KEPT_SUBJECT = `users/keep-${unique}`;
const SECRET_HEADER_VALUE = `header-secret-${randomBytes(12).toString('hex')}`;

interface BusEvent {
  source: string;
  'detail-type': string;
  detail: Record<string, unknown> & { service: string };
}

const { endpoints } = localCloud();
const bus = new EventBridgeClient(clientConfig(endpoints.aws.eventbridge));
const s3 = new S3Client({ ...clientConfig(endpoints.aws.s3), forcePathStyle: true });
const { sqs } = awsClients();

/** The completions about `tenant`, caught by a rule and a queue of the test's own. */
async function observeCompletions(tenant: string) {
  const name = `it-tenant-data-${unique}-${tenant.slice(-6)}`;
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const queueArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  await bus.send(
    new PutRuleCommand({
      Name: name,
      EventBusName: BUS,
      EventPattern: JSON.stringify({
        'detail-type': ['tenant.erasure.completed', 'tenant.export.written'],
        detail: { tenantId: [tenant] },
      }),
    }),
  );
  await bus.send(
    new PutTargetsCommand({ Rule: name, EventBusName: BUS, Targets: [{ Id: 'it', Arn: queueArn }] }),
  );
  const seen: BusEvent[] = [];
  return {
    name,
    /** Waits for each service's answer naming `id` (requestId or exportId). */
    async answers(id: string, timeoutMs = 180_000): Promise<BusEvent[]> {
      return eventually(
        async () => {
          const out = await sqs.send(
            new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
          );
          const messages = out.Messages ?? [];
          seen.push(...messages.map((m) => JSON.parse(m.Body!) as BusEvent));
          if (messages.length > 0)
            await sqs.send(
              new DeleteMessageBatchCommand({
                QueueUrl: queueUrl,
                Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
              }),
            );
          const mine = seen.filter((e) => e.detail.requestId === id || e.detail.exportId === id);
          const services = [...new Set(mine.map((e) => e.detail.service))].sort();
          return services.length === SERVICES.length ? mine : undefined;
        },
        timeoutMs,
        `the three services' answers to ${id}`,
      );
    },
    async stop() {
      await bus.send(new RemoveTargetsCommand({ Rule: name, EventBusName: BUS, Ids: ['it'] }));
      await bus.send(new DeleteRuleCommand({ Name: name, EventBusName: BUS }));
      await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    },
  };
}

/** What the tenants service puts on the bus. */
async function request(detailType: string, detail: Record<string, unknown>) {
  const out = await bus.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: BUS,
          Source: 'herald.tenants',
          DetailType: detailType,
          Detail: JSON.stringify({ ...detail, time: new Date().toISOString() }),
        },
      ],
    }),
  );
  expect(out.FailedEntryCount ?? 0).toBe(0);
}

async function send(tenant: Tenant, events: object[], headers: Record<string, string> = {}) {
  const answer = await tenant.call('ingest', 'POST', '/v1/events', { body: { events }, headers });
  expect(answer.status).toBe(202);
}

async function upload(tenant: Tenant, lines: object[]): Promise<string> {
  const file = Buffer.from(lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  const created = await tenant.call<{
    id: string;
    upload: { url: string; method: string; headers: Record<string, string> };
  }>('ingest', 'POST', '/v1/uploads', { body: { size: file.length } });
  expect(created.status).toBe(201);
  const { 'content-length': _length, ...headers } = created.body.upload.headers;
  const put = await fetch(created.body.upload.url, {
    method: created.body.upload.method,
    headers,
    body: file,
  });
  expect(put.status).toBe(200);
  await eventually(
    async () => {
      const view = await tenant.call<{ status: string }>('ingest', 'GET', `/v1/uploads/${created.body.id}`);
      return view.body.status === 'completed' ? true : undefined;
    },
    90_000,
    'the upload completed',
  );
  return created.body.id;
}

const event = (id: string, subject?: string) => ({
  id,
  type: 'order.created',
  ...(subject ? { subject } : {}),
  data: { customer: subject ?? 'nobody', note: `for ${id}` },
});

/** Found records that contain `needle`. */
const containing = (found: readonly Found[], needle: string) => found.filter((f) => f.text.includes(needle));
const isAuditOutboxItem = (found: Found) => /"(pk|sk)":\{"S":"AUDIT#/.test(found.text);
const DATA_REQUESTS_TABLE = 'herald-local-tenants-data-requests';
const AUDIT_TABLE = 'herald-local-tenants-audit';
/**
 * What is the test's own, and what names the tenant on purpose: its record in the tenants table (it
 * stays, `deleted`), its audit log (table and queue) and its requests' records (until their TTL).
 */
const notHeralds = (name: string) =>
  name.startsWith('it-tenant-data-') ||
  [DATA_REQUESTS_TABLE, AUDIT_TABLE, 'herald-local-tenants-tenants'].includes(name);

describe("a tenant's export and erasure", () => {
  let tenant: Tenant;
  let other: Tenant;
  let observer: Awaited<ReturnType<typeof observeCompletions>>;
  let subscription: { id: string; secret: string; endpoint: string };
  const erasedIds = [`e1-${unique}`, `e2-${unique}`, `e5-${unique}`, `u1-${unique}`];
  const keptIds = [`e3-${unique}`, `e4-${unique}`, `u2-${unique}`, `u3-${unique}`];
  const otherId = `b1-${unique}`;

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: EXPORT_BUCKET })).catch(() => undefined);
    tenant = await newTenant();
    other = await newTenant();
    observer = await observeCompletions(tenant.id);

    const endpoint = newEndpoint(tenant.id);
    const created = await tenant.call<{ id: string; secret: string }>(
      'notifications',
      'POST',
      '/v1/subscriptions',
      {
        body: {
          url: endpointUrl(endpoint),
          eventTypes: ['order.*'],
          headers: { 'x-api-key': { value: SECRET_HEADER_VALUE, secret: true }, 'x-plain': 'visible' },
        },
      },
    );
    expect(created.status).toBe(201);
    await setEndpointSecret(endpoint, created.body.secret);
    subscription = { id: created.body.id, secret: created.body.secret, endpoint };
    const otherSubscription = await other.subscribeWebhook(['order.*']);
    // A catalog entry: the tenant's own, exported and erased with it.
    const catalogToken = await tokenFor({ tenant: tenant.id, scopes: ['event-types:write'] });
    const typed = await callService('ingest', catalogToken, 'PUT', '/v1/event-types/order.created', {
      body: { description: `Orders of ${unique}` },
    });
    expect(typed.status).toBeLessThan(300);

    await send(tenant, [
      event(`e1-${unique}`, SUBJECT),
      event(`e2-${unique}`, SUBJECT),
      event(`e3-${unique}`, KEPT_SUBJECT),
      event(`e4-${unique}`),
    ]);
    await send(tenant, [event(`e5-${unique}`, SUBJECT)], { 'idempotency-key': `key-${unique}` });
    await upload(tenant, [event(`u1-${unique}`, SUBJECT), event(`u2-${unique}`, KEPT_SUBJECT)]);
    // An upload without the subject: kept by the subject's erasure, gone with the tenant.
    await upload(tenant, [event(`u3-${unique}`, KEPT_SUBJECT)]);
    await send(other, [event(otherId, SUBJECT)]);
    const ids = [...erasedIds, ...keptIds];
    for (const id of ids) await storedEvent(tenant, id);
    await receivedUntil(subscription.endpoint, (r) => r.length >= ids.length, 'the first deliveries');
    await receivedUntil(otherSubscription.endpoint, (r) => r.length >= 1, "the other tenant's delivery");

    const replay = await tenant.call('notifications', 'POST', `/v1/subscriptions/${subscription.id}/replay`, {
      body: { since: new Date(Date.now() - 10 * 60_000).toISOString() },
    });
    expect(replay.status).toBe(202);
    await receivedUntil(subscription.endpoint, (r) => r.length >= 2 * ids.length, 'the replayed deliveries');
    await drained(pipelineQueues('inbound'));
  }, 600_000);

  afterAll(async () => {
    await observer?.stop();
  });

  test('an export writes the tenant’s data as NDJSON, without a secret', async () => {
    const exportId = `exp-${unique}`;
    const prefix = `exports/${tenant.id}/${exportId}/`;
    await request('tenant.export.requested', {
      exportId,
      tenantId: tenant.id,
      bucket: EXPORT_BUCKET,
      prefix,
    });
    const answers = await observer.answers(exportId);
    const objects = answers.flatMap(
      (a) => a.detail.objects as Array<{ key: string; records: number; bytes: number }>,
    );

    const listed = await s3.send(new ListObjectsV2Command({ Bucket: EXPORT_BUCKET, Prefix: prefix }));
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(objects.map((o) => o.key).sort());
    const files = new Map<string, string>();
    for (const { key, records, bytes } of objects) {
      const body = await (
        await s3.send(new GetObjectCommand({ Bucket: EXPORT_BUCKET, Key: key }))
      ).Body!.transformToString();
      expect(Buffer.byteLength(body)).toBe(bytes);
      const lines = body.trimEnd().split('\n');
      expect(lines).toHaveLength(records);
      for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
      files.set(key, body);
    }
    const all = [...files.values()].join('\n');
    const byService = (service: string, stem: string) =>
      [...files]
        .filter(([key]) => key.startsWith(`${prefix}${service}/${stem}-`))
        .map(([, body]) => body)
        .join('');

    for (const id of [...erasedIds, ...keptIds])
      expect(byService('processing', 'events')).toContain(`"id":"${id}"`);
    expect(byService('notifications', 'subscriptions')).toContain(subscription.id);
    expect(byService('notifications', 'subscriptions')).toContain('"x-api-key":{"secret":true}');
    for (const id of [...erasedIds, ...keptIds])
      expect(byService('notifications', 'deliveries')).toContain(id);
    expect(byService('ingest', 'uploads')).toContain('"status":"completed"');
    expect(byService('ingest', 'event-types')).toContain(`Orders of ${unique}`);
    // No byte of a secret: the signing secret (and its key material), the secret header's value.
    expect(all).not.toContain(SECRET_HEADER_VALUE);
    expect(all).not.toContain(subscription.secret);
    expect(all).not.toContain(subscription.secret.replace(/^whsec_/, ''));
    // Nothing of the other tenant.
    expect(all).not.toContain(other.id);
  }, 300_000);

  test('a subject’s erasure leaves nothing of it in any table, index, bucket or queue', async () => {
    const requestId = `era-${unique}-subject`;
    await request('tenant.erasure.requested', {
      requestId,
      tenantId: tenant.id,
      scope: 'subject',
      subject: SUBJECT,
    });
    const answers = await observer.answers(requestId);
    const counts = Object.fromEntries(
      answers.map((a) => [a.detail.service, a.detail.counts as Record<string, number>]),
    );
    // The subject's events, and its sequence counter where processing numbers subjects' events.
    expect(counts.processing!.events).toBeGreaterThanOrEqual(erasedIds.length);
    expect(counts.processing!.events).toBeLessThanOrEqual(erasedIds.length + 1);
    expect(counts.notifications).toMatchObject({
      subscriptions: 0,
      deliveries: erasedIds.length,
      events: erasedIds.length,
    });
    expect(counts.ingest).toMatchObject({ 'uploads-bucket': 1, uploads: 0, 'event-types': 0 });
    expect(counts.ingest!.idempotency).toBeGreaterThanOrEqual(1);

    // The tenants service deletes the tenant's exports (any may hold the subject) beside them.
    await eventually(
      async () => {
        const out = await s3.send(
          new ListObjectsV2Command({ Bucket: EXPORT_BUCKET, Prefix: `exports/${tenant.id}/` }),
        );
        return (out.KeyCount ?? 0) === 0 ? true : undefined;
      },
      60_000,
      "the tenant's exports deleted",
    );
    const found = await everything({ skip: notHeralds });
    for (const id of erasedIds) expect(containing(found, id).map((f) => f.where)).toEqual([]);
    // The subject is left only in the other tenant's data.
    const withSubject = containing(found, SUBJECT);
    expect(withSubject.filter((f) => f.text.includes(tenant.id)).map((f) => f.where)).toEqual([]);
    expect(withSubject.some((f) => f.text.includes(other.id))).toBe(true);

    // The other subjects' events are served as before; the other tenant's event too.
    const left = (await storedEvents(tenant)).map((e) => e.id).filter((id) => id.endsWith(unique));
    expect(left.sort()).toEqual([...keptIds].sort());
    expect((await storedEvent(other, otherId)).subject).toBe(SUBJECT);
    const history = await tenant.call<{ items: Array<{ eventId: string }> }>(
      'notifications',
      'GET',
      `/v1/subscriptions/${subscription.id}/deliveries?limit=100`,
    );
    expect(history.body.items.map((d) => d.eventId).sort()).toEqual([...keptIds].sort());

    // A redelivered request does no harm and erases nothing more.
    await request('tenant.erasure.requested', {
      requestId: `${requestId}-again`,
      tenantId: tenant.id,
      scope: 'subject',
      subject: SUBJECT,
    });
    const again = await observer.answers(`${requestId}-again`);
    for (const answer of again)
      for (const count of Object.values(answer.detail.counts as Record<string, number>))
        expect(count).toBe(0);
  }, 600_000);

  test('an operator’s deletion erases the whole tenant: nothing of it anywhere, the other tenant intact', async () => {
    const keyToken = await tokenFor({ tenant: tenant.id, scopes: ['keys:write', 'events:write'] });
    const key = await callService('tenants', keyToken, 'POST', '/v1/api-keys', {
      body: { name: `key of ${unique}`, scopes: ['events:write'] },
    });
    expect(key.status).toBe(201);
    const operator = await tokenFor({ tenant: `ops-${unique}`, scopes: ['tenants:admin'] });
    const deleted = await callService('tenants', operator, 'DELETE', `/v1/tenants/${tenant.id}`);
    expect(deleted.status).toBe(204);

    // The tenants service asks, records each service's answer and finishes the request.
    const record = await eventually(
      async () => {
        const out = await awsClients().dynamodb.send(
          new QueryCommand({
            TableName: DATA_REQUESTS_TABLE,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `TENANT#${tenant.id}` },
          }),
        );
        const done = (out.Items ?? []).find((item) => String(item.sk).startsWith('ERASURE#tenant-deleted:'));
        return done?.status === 'done' ? done : undefined;
      },
      180_000,
      'the erasure request done',
    );
    const counts = Object.fromEntries(
      Object.entries(record.answers as Record<string, { counts: Record<string, number> }>).map(
        ([service, answer]) => [service, answer.counts],
      ),
    );
    expect(counts.tenants).toEqual({ 'api-keys': 1, exports: 0 });
    expect(counts.notifications!.subscriptions).toBeGreaterThanOrEqual(1);
    expect(counts.processing!.events).toBeGreaterThanOrEqual(keptIds.length);
    expect(counts.ingest).toMatchObject({ 'uploads-bucket': 1, uploads: 1, 'event-types': 1 });

    // Its completion is in the tenant's audit log, which stays.
    const audit = await eventually(
      async () => {
        const out = await awsClients().dynamodb.send(
          new QueryCommand({
            TableName: AUDIT_TABLE,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `TENANT#${tenant.id}` },
          }),
        );
        return (out.Items ?? []).find((item) => JSON.stringify(item).includes('tenant.erasure_completed'));
      },
      60_000,
      'the erasure in the audit log',
    );
    expect(JSON.stringify(audit)).toContain('processing_events');

    // Audit entries stay (ids and field names, no payload), and a service's outbox copy of one
    // expires within a day of being carried to the audit log (@herald/shared/audit); the tenant's
    // record stays, `deleted`, and its erasure request's record until its TTL.
    const found = (await everything({ skip: notHeralds })).filter((f) => !isAuditOutboxItem(f));
    expect(containing(found, tenant.id).map((f) => f.where)).toEqual([]);
    for (const id of keptIds) expect(containing(found, id).map((f) => f.where)).toEqual([]);

    expect((await storedEvent(other, otherId)).subject).toBe(SUBJECT);
    const subscriptions = await other.call<{ items: unknown[] }>('notifications', 'GET', '/v1/subscriptions');
    expect(subscriptions.body.items).toHaveLength(1);
  }, 600_000);
});
