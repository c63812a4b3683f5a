/**
 * The daily e-mail cap on the local cloud: with the tenant's day two mails short of its cap, three
 * events to a confirmed address send two mails; the third is held (visible as such in the delivery
 * history, with its reason and the next UTC midnight) and its task is back on the e-mail queue,
 * delayed. Its release after midnight is proved by the pipeline's unit test with a clock
 * (test/delivery/email-cap-pipeline.test.ts): this test does not wait for midnight.
 *
 * It leaves that task delayed on the e-mail queue until its next hop (at most 15 minutes; the
 * subscription is deleted, so it is then cancelled): a suite run after it that waits for the e-mail
 * queue to hold nothing, delayed messages included, waits that long.
 */
import { describe, expect, test } from '@jest/globals';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { awsClients, localCloud } from '../../../test/setup/local-cloud';
import {
  eventually,
  notificationLogs,
  publishStored,
  sesMessages,
  signedEvent,
  tenantApi,
} from './support/cloud';

/** The local stage's dailyEmailCapPerTenant (serverless.yml params: the default). */
const LOCAL_CAP = 1000;
const DELIVERIES_TABLE = 'herald-local-notifications-deliveries';

const utcDay = (time: Date) => time.toISOString().slice(0, 10);
const nextMidnight = (time: Date) =>
  new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate() + 1));

/** The tenant's e-mail day counter as deliverEmail keeps it. */
const dayKey = (tenant: string, day: string) => ({ pk: `TENANT#${tenant}`, sk: `EMAILDAY#${day}` });

describe('the daily e-mail cap on the local cloud', () => {
  test('two mails short of the cap: three events send two, the third is held and re-queued', async () => {
    const tenant = `it-email-cap-${Date.now()}`;
    const api = tenantApi(tenant);
    const address = `capped-${Date.now()}@example.com`;
    const mailsTo = async () => (await sesMessages()).filter((m) => m.destination.to.includes(address));

    const created = await api('POST', '/v1/subscriptions', { email: address, eventTypes: ['alert.*'] });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const confirmation = await eventually(async () => (await mailsTo())[0]);
    const link = /(http\S+\/v1\/email\/confirm\?token=\S+)/.exec(confirmation.body.text!)![1]!;
    expect((await fetch(link)).status).toBe(200);

    // The tenant has sent all but two of today's mails (tomorrow's too, should the day turn meanwhile).
    const { dynamodb, sqs } = awsClients();
    const now = new Date();
    for (const day of [utcDay(now), utcDay(nextMidnight(now))]) {
      await dynamodb.send(
        new PutCommand({
          TableName: DELIVERIES_TABLE,
          Item: {
            ...dayKey(tenant, day),
            emailCount: LOCAL_CAP - 2,
            expiresAt: Date.now() / 1000 + 3 * 86_400,
          },
        }),
      );
    }

    const events = [1, 2, 3].map((i) => signedEvent(tenant, 'alert.raised', { i }));
    await publishStored(...events);

    // Every delivery ends its task: two succeeded, one held. Held is recorded after the task went
    // back on its queue and with nothing sent, so the mails counted then are all there will be today.
    const history = await eventually(
      async () => {
        const page = await api('GET', `/v1/subscriptions/${id}/deliveries?limit=10`);
        const items = page.body.items ?? [];
        const settled = items.filter((d) => d.status === 'succeeded' || d.status === 'held');
        return items.length === 3 && settled.length === 3 ? items : undefined;
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

    const mails = (await mailsTo()).filter((m) => m.subject.includes('alert.raised'));
    expect(mails).toHaveLength(2);
    const heldEvent = held[0]!.eventId as string;
    expect(mails.some((m) => m.body.text?.includes(heldEvent))).toBe(false);

    // The counter stopped at the cap; the held mail's task waits on the e-mail queue, delayed.
    const counted = await dynamodb.send(
      new GetCommand({
        TableName: DELIVERIES_TABLE,
        Key: dayKey(tenant, utcDay(new Date(Date.parse(heldUntil) - 1))),
      }),
    );
    expect(counted.Item).toMatchObject({ emailCount: LOCAL_CAP });
    const emailQueue = localCloud().outputs.notifications.EmailQueueUrl!;
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: emailQueue,
        AttributeNames: ['ApproximateNumberOfMessagesDelayed'],
      }),
    );
    expect(Number(attributes.Attributes?.ApproximateNumberOfMessagesDelayed)).toBeGreaterThanOrEqual(1);
    const logged = await eventually(async () =>
      (await notificationLogs()).find(
        (line) => line.message === 'Delivery held by the daily e-mail cap' && line.deliveryId === held[0]!.id,
      ),
    );
    expect(logged).toMatchObject({ heldUntil, limit: LOCAL_CAP, recorded: true });

    // Holding is no failure: the subscription is active with a clean record.
    const subscription = await api('GET', `/v1/subscriptions/${id}`);
    expect(subscription.body).toMatchObject({ status: 'active' });
    expect(subscription.body.consecutiveFailures ?? 0).toBe(0);

    // Its task comes back and is cancelled (deleted) rather than mailing after this test.
    expect((await api('DELETE', `/v1/subscriptions/${id}`)).status).toBe(204);
  }, 150_000);
});
