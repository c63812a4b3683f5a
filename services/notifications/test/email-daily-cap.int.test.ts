/**
 * The daily e-mail cap on a local cloud: with the tenant's day two mails short of its cap, three
 * events to a confirmed address send two mails; the third is held (visible as such in the delivery
 * history, with its reason and the next UTC midnight) and its task is back on the e-mail queue,
 * delayed. Its release after midnight is proved by the pipeline's unit test with a clock
 * (test/delivery/email-cap-pipeline.test.ts): this test does not wait for midnight.
 *
 * On a local cloud of its own: the held mail's task goes round the e-mail queue until midnight UTC,
 * and the shared cloud's e-mail queue must drain for the suites that wait for it to be empty.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { clientConfig, startLocalCloud, type LocalCloud } from '@herald/local-cloud';
import { createEnvelopeSigner } from '@herald/shared/signing';
import { ulid } from 'ulid';
import { eventually } from '../../../test/setup/local-cloud';

/** The local stage's dailyEmailCapPerTenant (serverless.yml params: the default). */
const LOCAL_CAP = 1000;
const DELIVERIES_TABLE = 'herald-local-notifications-deliveries';
const LOG_DIR = '.local-cloud/email-cap-test-logs';

let cloud: LocalCloud | undefined;

beforeAll(async () => {
  cloud = await startLocalCloud({
    ports: 'auto',
    // Jest's global setup packaged the services moments ago.
    reusePackages: true,
    logDir: LOG_DIR,
  });
}, 300_000);

afterAll(() => cloud?.stop(), 120_000);

const utcDay = (time: Date) => time.toISOString().slice(0, 10);
const nextMidnight = (time: Date) =>
  new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate() + 1));

/** The tenant's e-mail day counter as deliverEmail keeps it. */
const dayKey = (tenant: string, day: string) => ({ pk: `TENANT#${tenant}`, sk: `EMAILDAY#${day}` });

interface Mail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
}

/** What the test needs of its cloud: the API as a tenant, the bus, the SES store, the emulators. */
function using(cloud: LocalCloud, tenant: string) {
  const token = cloud.identity.issueToken({ tenant, scopes: ['subscriptions:read', 'subscriptions:write'] });
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${cloud.endpoints.services.notifications}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : {}) as Record<string, unknown> & {
        items?: Array<Record<string, unknown>>;
      },
    };
  };
  const signer = createEnvelopeSigner(cloud.envelopeSigningKey);
  const bus = new EventBridgeClient(clientConfig(cloud.endpoints.aws.eventbridge));
  const publish = async (type: string, data: Record<string, unknown>) => {
    const envelope = signer.sign({
      specversion: '1.0',
      id: `evt-${ulid()}`,
      source: '/herald/ingest',
      type,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: data as never,
      tenantid: tenant,
      correlationid: `it-${ulid()}`,
    });
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
    if (out.FailedEntryCount) throw new Error(`PutEvents failed: ${JSON.stringify(out.Entries)}`);
    return envelope;
  };
  const mailsTo = async (address: string): Promise<Mail[]> => {
    const store = (await (await fetch(`${cloud.endpoints.aws.ses}/store`)).json()) as { emails?: Mail[] };
    return (store.emails ?? []).filter((m) => m.destination.to.includes(address));
  };
  const logs = async () => {
    const text = await readFile(join(process.cwd(), LOG_DIR, 'notifications.log'), 'utf8');
    return text.split('{"level":').flatMap((chunk) => {
      try {
        return [JSON.parse(`{"level":${chunk.split('\n')[0]}`) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  };
  return {
    api,
    publish,
    mailsTo,
    logs,
    dynamodb: DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(cloud.endpoints.aws.dynamodb))),
    sqs: new SQSClient({ ...clientConfig(cloud.endpoints.aws.sqs), useQueueUrlAsEndpoint: false }),
  };
}

describe('the daily e-mail cap on a local cloud', () => {
  test('two mails short of the cap: three events send two, the third is held and re-queued', async () => {
    const tenant = `it-email-cap-${Date.now()}`;
    const { api, publish, mailsTo, logs, dynamodb, sqs } = using(cloud!, tenant);
    const address = `capped-${Date.now()}@example.com`;

    const created = await api('POST', '/v1/subscriptions', { email: address, eventTypes: ['alert.*'] });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const confirmation = await eventually(async () => (await mailsTo(address))[0]);
    const link = /(http\S+\/v1\/email\/confirm\?token=\S+)/.exec(confirmation.body.text!)![1]!;
    expect((await fetch(link)).status).toBe(200);

    // The tenant has sent all but two of today's mails (tomorrow's too, should the day turn meanwhile).
    const now = new Date();
    for (const day of [utcDay(now), utcDay(nextMidnight(now))]) {
      await dynamodb.send(
        new PutCommand({
          TableName: DELIVERIES_TABLE,
          Item: {
            ...dayKey(tenant, day),
            emailCount: LOCAL_CAP - 2,
            expiresAt: Math.floor(Date.now() / 1000) + 3 * 86_400,
          },
        }),
      );
    }

    for (const i of [1, 2, 3]) await publish('alert.raised', { i });

    // Every delivery ends its task: two succeeded, one held. Held is recorded after the task went
    // back on its queue and with nothing sent, so the mails counted then are all there will be today.
    const history = await eventually(
      async () => {
        const page = await api('GET', `/v1/subscriptions/${id}/deliveries?limit=10`);
        const items = page.body.items ?? [];
        const ended = items.filter((d) => d.status === 'succeeded' || d.status === 'held');
        return items.length === 3 && ended.length === 3 ? items : undefined;
      },
      60_000,
      'three deliveries, each succeeded or held',
    );
    const held = history.filter((d) => d.status === 'held');
    expect(held).toHaveLength(1);
    const heldUntil = held[0]!.heldUntil as string;
    expect(held[0]).toMatchObject({ status: 'held', reason: 'daily-email-cap', attempts: [] });
    expect([nextMidnight(now).toISOString(), nextMidnight(nextMidnight(now)).toISOString()]).toContain(
      heldUntil,
    );
    expect(history.filter((d) => d.status === 'succeeded')).toHaveLength(2);

    const mails = (await mailsTo(address)).filter((m) => m.subject.includes('alert.raised'));
    expect(mails).toHaveLength(2);
    expect(mails.some((m) => m.body.text?.includes(held[0]!.eventId as string))).toBe(false);

    // The counter stopped at the cap; the held mail's task waits on the e-mail queue, delayed.
    const counted = await dynamodb.send(
      new GetCommand({
        TableName: DELIVERIES_TABLE,
        Key: dayKey(tenant, utcDay(new Date(Date.parse(heldUntil) - 1))),
      }),
    );
    expect(counted.Item).toMatchObject({ emailCount: LOCAL_CAP });
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: cloud!.outputs.notifications.EmailQueueUrl!,
        AttributeNames: ['ApproximateNumberOfMessagesDelayed'],
      }),
    );
    expect(Number(attributes.Attributes?.ApproximateNumberOfMessagesDelayed)).toBe(1);
    const logged = await eventually(async () =>
      (await logs()).find(
        (line) => line.message === 'Delivery held by the daily e-mail cap' && line.deliveryId === held[0]!.id,
      ),
    );
    expect(logged).toMatchObject({ heldUntil, limit: LOCAL_CAP, recorded: true });

    // Holding is no failure: the subscription is active with a clean record.
    const subscription = await api('GET', `/v1/subscriptions/${id}`);
    expect(subscription.body).toMatchObject({ status: 'active' });
    expect(subscription.body.consecutiveFailures ?? 0).toBe(0);
  }, 150_000);
});
