/**
 * A suspended tenant end to end, through the API: the operator suspends it on the tenants service;
 * tenant.suspended reaches notifications (processing's bus, its tenant-state queue), which stamps the
 * tenant's subscriptions; every route refuses the tenant (403, the authorizer); the deliveries of
 * events it posted before the suspension are held, not received; the resume releases them, in order,
 * each once. And a tenant's own daily e-mail cap, set by the operator (PATCH /v1/tenants/{id}),
 * reaches deliverEmail through tenant.settings_updated and holds the (cap+1)-th mail where the
 * stage's default (1000) would send it.
 *
 * How events posted before the suspension are still undelivered when it lands: the subscription is
 * ordered by subject and its receiver answers the subject's first event after 8 s, so the next two
 * wait behind it (ordering/subject-order.ts) while the suspension is applied; a fourth event, put
 * on the bus as processing publishes one ingest stored before the suspension, goes through dispatch
 * to deliver and is held there too.
 *
 * On a local cloud of its own: the held mail's task goes round the e-mail queue until midnight UTC,
 * and the shared cloud's e-mail queue must drain for the suites that wait for it to be empty.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { clientConfig, startLocalCloud, type LocalCloud } from '@herald/local-cloud';
import { createEnvelopeSigner } from '@herald/shared/signing';
import { ulid } from 'ulid';
import { eventually } from '../setup/local-cloud';

type Json = Record<string, unknown>;

const SUBSCRIPTIONS_TABLE = 'herald-local-notifications-subscriptions';
let cloud: LocalCloud | undefined;

beforeAll(async () => {
  cloud = await startLocalCloud({
    ports: 'auto',
    // Jest's global setup packaged the services moments ago.
    reusePackages: true,
    logDir: '.local-cloud/tenant-suspension-test-logs',
  });
}, 300_000);

afterAll(() => cloud?.stop(), 120_000);

function using(cloud: LocalCloud, tenant: string) {
  const call = async (
    service: 'ingest' | 'notifications' | 'tenants',
    token: Promise<string>,
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const response = await fetch(`${cloud.endpoints.services[service]}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
  };
  const operator = cloud.identity.issueToken({ tenant: `ops-${tenant}`, scopes: ['tenants:admin'] });
  const producer = cloud.identity.issueToken({
    tenant,
    scopes: ['events:write', 'subscriptions:read', 'subscriptions:write'],
  });
  const dynamodb = DynamoDBDocumentClient.from(
    new DynamoDBClient(clientConfig(cloud.endpoints.aws.dynamodb)),
  );
  const item = async (sk: string) =>
    (
      await dynamodb.send(
        new GetCommand({
          TableName: SUBSCRIPTIONS_TABLE,
          Key: { pk: `TENANT#${tenant}`, sk },
          ConsistentRead: true,
        }),
      )
    ).Item;
  const receiver = cloud.endpoints.webhooks;
  const received = async (endpoint: string) => {
    const response = await fetch(`${receiver}/_requests?endpoint=${encodeURIComponent(endpoint)}`);
    const records = (await response.json()) as Array<{ body: string }>;
    return records.map((record) => (JSON.parse(record.body) as { id: string }).id);
  };
  const mailsTo = async (address: string) => {
    const store = (await (await fetch(`${cloud.endpoints.aws.ses}/store`)).json()) as {
      emails?: Array<{ destination: { to: string[] }; subject: string; body: { text?: string } }>;
    };
    return (store.emails ?? []).filter((mail) => mail.destination.to.includes(address));
  };
  return { call, operator, producer, item, receiver, received, mailsTo };
}

/** What processing puts on its bus for an event ingest stored: the signed envelope. */
async function publishStored(cloud: LocalCloud, tenant: string, id: string) {
  const envelope = createEnvelopeSigner(cloud.envelopeSigningKey).sign({
    specversion: '1.0',
    id,
    source: '/herald/ingest',
    type: 'order.created',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { id } as never,
    tenantid: tenant,
    correlationid: `it-${ulid()}`,
  });
  const bus = new EventBridgeClient(clientConfig(cloud.endpoints.aws.eventbridge));
  const out = await bus.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: 'herald-local',
          Source: 'herald.processing',
          DetailType: 'event.stored',
          Detail: JSON.stringify(envelope),
        },
      ],
    }),
  );
  expect(out.FailedEntryCount ?? 0).toBe(0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a suspended tenant, end to end', () => {
  test('its routes refuse it, its deliveries wait; the resume sends each once, in order', async () => {
    const tenant = `susp-${Date.now().toString(36)}`;
    const { call, operator, producer, item, receiver, received } = using(cloud!, tenant);
    const endpoint = `held-${tenant}`;
    expect((await call('tenants', operator, 'POST', '/v1/tenants', { id: tenant })).status).toBe(201);

    const created = await call('notifications', producer, 'POST', '/v1/subscriptions', {
      url: `${receiver}/${endpoint}`,
      eventTypes: ['order.*'],
      ordering: 'subject',
      timeoutSeconds: 10,
    });
    expect(created.status).toBe(201);
    const subscriptionId = created.body.id as string;

    // The subject's first event is answered after 8 s: the two behind it wait their turn.
    await fetch(`${receiver}/_endpoints/${endpoint}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ delayMs: 8000 }),
    });
    const posted = await call('ingest', producer, 'POST', '/v1/events', {
      events: [1, 2, 3].map((n) => ({ type: 'order.created', subject: 'order-1', data: { n } })),
    });
    expect(posted.status).toBeLessThan(300);
    const ids = posted.body.ids as string[];
    expect(ids).toHaveLength(3);
    // The first is at the receiver (its answer pending) before the operator suspends the tenant.
    await eventually(async () => ((await received(endpoint)).length > 0 ? true : undefined), 20_000, 'e1');

    expect((await call('tenants', operator, 'POST', `/v1/tenants/${tenant}/suspend`)).status).toBe(200);
    await eventually(
      async () => ((await item(`SUB#${subscriptionId}`))?.tenantStatus === 'suspended' ? true : undefined),
      20_000,
      'the subscription stamped suspended',
    );
    await fetch(`${receiver}/_endpoints/${endpoint}`, { method: 'DELETE' });
    // An event ingest stored before the suspension, published by processing after it.
    await publishStored(cloud!, tenant, `late-${tenant}`);

    // Every route refuses the tenant (within the authorizer's caches). The probe's body is invalid
    // (422 while the tenant is still let in): a probe must not post events of its own.
    for (const [service, method, path, body] of [
      ['ingest', 'POST', '/v1/events', {}],
      ['notifications', 'GET', '/v1/subscriptions', undefined],
    ] as const) {
      await eventually(
        async () => ((await call(service, producer, method, path, body)).status === 403 ? true : undefined),
        60_000,
        `403 from ${service}`,
      );
    }
    // The first event's answer came long ago; nothing after it went.
    await sleep(3000);
    expect(await received(endpoint)).toEqual([ids[0]]);

    expect((await call('tenants', operator, 'POST', `/v1/tenants/${tenant}/resume`)).status).toBe(200);
    const all = await eventually(
      async () => {
        const got = await received(endpoint);
        return got.length >= 4 ? got : undefined;
      },
      60_000,
      'the held deliveries released',
    );
    await sleep(3000);
    const final = await received(endpoint);
    // The subject's three and the late one.
    expect(final).toHaveLength(4);
    expect(all).toEqual(final);
    // The subject's events once each, in order; the late one once, wherever it fell.
    expect(final.filter((id) => ids.includes(id))).toEqual(ids);
    expect(final.filter((id) => id === `late-${tenant}`)).toHaveLength(1);
  }, 240_000);

  test("the tenant's own daily e-mail cap holds the (cap+1)-th mail where the stage's default sends it", async () => {
    const tenant = `cap-${Date.now().toString(36)}`;
    const { call, operator, producer, item, mailsTo } = using(cloud!, tenant);
    expect((await call('tenants', operator, 'POST', '/v1/tenants', { id: tenant })).status).toBe(201);
    const patched = await call('tenants', operator, 'PATCH', `/v1/tenants/${tenant}`, {
      settings: { limits: { dailyEmailCap: 2 } },
    });
    expect(patched.status).toBe(200);
    await eventually(
      async () => ((await item('SETTINGS'))?.settings?.limits?.dailyEmailCap === 2 ? true : undefined),
      20_000,
      "notifications' copy of the settings",
    );

    const address = `capped-${tenant}@example.com`;
    const created = await call('notifications', producer, 'POST', '/v1/subscriptions', {
      email: address,
      eventTypes: ['alert.*'],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const confirmation = await eventually(async () => (await mailsTo(address))[0]);
    const link = /(http\S+\/v1\/email\/confirm\?token=\S+)/.exec(confirmation.body.text!)![1]!;
    expect((await fetch(link)).status).toBe(200);

    for (const n of [1, 2, 3]) {
      const posted = await call('ingest', producer, 'POST', '/v1/events', {
        type: 'alert.raised',
        data: { n },
      });
      expect(posted.status).toBeLessThan(300);
    }
    const history = await eventually(
      async () => {
        const page = await call(
          'notifications',
          producer,
          'GET',
          `/v1/subscriptions/${id}/deliveries?limit=10`,
        );
        const items = (page.body.items ?? []) as Json[];
        const ended = items.filter((d) => d.status === 'succeeded' || d.status === 'held');
        return items.length === 3 && ended.length === 3 ? items : undefined;
      },
      60_000,
      'three deliveries, each succeeded or held',
    );
    expect(history.filter((d) => d.status === 'succeeded')).toHaveLength(2);
    expect(history.filter((d) => d.status === 'held')).toEqual([
      expect.objectContaining({ reason: 'daily-email-cap', attempts: [] }),
    ]);
    const mails = (await mailsTo(address)).filter((mail) => mail.subject.includes('alert.raised'));
    expect(mails).toHaveLength(2);
  }, 180_000);
});
