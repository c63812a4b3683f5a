/**
 * Redelivery on the local cloud goes where the subscription's deliveries go: a webhook subscription
 * marked slow has its redelivery sent through the slow lane (so it never holds the fast one up), an
 * e-mail subscription's through the e-mail queue, and each is delivered again as the same message.
 * A slow subscription's retry stays in the slow lane too: deliver queues it there itself.
 */
import { describe, expect, test } from '@jest/globals';
import { ulid } from 'ulid';
import {
  configureEndpoint,
  confirmedEmailSubscription,
  eventually,
  markedSlow,
  notificationLogs,
  publishStored,
  receivedAtLeast,
  sesMessages,
  signedEvent,
  SLOW_RECEIVER_MS,
  tenantApi,
  webhookSubscription,
} from './support/cloud';
import { callService, tokenFor } from '../../../test/setup/local-cloud';

const unique = () => `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

/** POST /v1/deliveries/{id}/redeliver with a correlation id of the test's own, to follow its task. */
async function redeliver(tenant: string, deliveryId: string, correlationId: string) {
  const token = await tokenFor({ tenant, scopes: ['subscriptions:write'] });
  const { status, body } = await callService(
    'notifications',
    token,
    'POST',
    `/v1/deliveries/${deliveryId}/redeliver`,
    { headers: { 'x-correlation-id': correlationId } },
  );
  return { status, body };
}

/** The subscription's delivery of `eventId` once it has `count` successful attempts. */
function succeeded(
  api: ReturnType<typeof tenantApi>,
  subscriptionId: string,
  eventId: string,
  count: number,
) {
  return eventually(
    async () => {
      const page = await api('GET', `/v1/subscriptions/${subscriptionId}/deliveries?limit=20`);
      const delivery = page.body.items?.find((d) => d.eventId === eventId);
      const attempts = (delivery?.attempts ?? []) as Array<{ run: number; outcome: string }>;
      const done = attempts.filter((a) => a.outcome === 'succeeded');
      return delivery?.status === 'succeeded' && done.length === count ? { delivery, attempts } : undefined;
    },
    30_000,
    `${count} successful attempt(s) for ${eventId}`,
  );
}

describe('redelivery on the local cloud', () => {
  test('a slow receiver’s delivery is redelivered through the slow lane, with the same webhook-id', async () => {
    const tenant = `it-redeliver-slow-${unique()}`;
    const api = tenantApi(tenant);
    const { name, id } = await webhookSubscription(api, 'redeliver-slow', ['order.*'], {
      delayMs: SLOW_RECEIVER_MS,
    });

    const envelope = signedEvent(tenant, 'order.created', { n: 1 });
    await publishStored(envelope);
    await receivedAtLeast(name, 1, 30_000);
    // deliver timed the answer and marked the subscription slow.
    await markedSlow(tenant, id);
    const { delivery } = await succeeded(api, id, envelope.id, 1);

    const correlationId = `it-redeliver-${ulid()}`;
    const queued = await redeliver(tenant, delivery.id as string, correlationId);
    expect(queued).toEqual({ status: 202, body: { deliveryId: delivery.id, status: 'queued' } });

    const requests = await receivedAtLeast(name, 2, 30_000);
    expect(requests.map((r) => r.json?.id)).toEqual([envelope.id, envelope.id]);
    expect(requests[1]!.headers['webhook-id']).toBe(delivery.id);
    expect(requests[1]!.verified).toBe(true);
    const { attempts } = await succeeded(api, id, envelope.id, 2);
    expect(attempts.map((a) => [a.run, a.outcome])).toEqual([
      [1, 'succeeded'],
      [2, 'succeeded'],
    ]);
    // The redelivered task came to deliver from the slow lane's queue (deliver logs each task's lane).
    const done = await eventually(
      async () =>
        (await notificationLogs()).find(
          (record) => record.message === 'Task done' && record.correlation_id === correlationId,
        ),
      20_000,
      'the redelivered task done',
    );
    expect(done).toMatchObject({ lane: 'slow', outcome: 'succeeded' });
  }, 90_000);

  test('a slow receiver’s failed attempt is retried through the slow lane and delivered', async () => {
    const tenant = `it-retry-slow-${unique()}`;
    const api = tenantApi(tenant);
    const { name, id, secret } = await webhookSubscription(api, 'retry-slow', ['order.*'], {
      delayMs: SLOW_RECEIVER_MS,
    });
    const first = signedEvent(tenant, 'order.created', { n: 1 });
    await publishStored(first);
    await receivedAtLeast(name, 1, 30_000);
    await markedSlow(tenant, id);

    // Still slow, and now refusing once: the attempt fails slowly, so deliver queues its retry on
    // the slow lane (the local retry schedule's second step is a second later).
    await configureEndpoint(name, { secret, delayMs: SLOW_RECEIVER_MS, failTimes: 1, status: 503 });
    const second = signedEvent(tenant, 'order.updated', { n: 2 });
    await publishStored(second);
    const requests = await receivedAtLeast(name, 3, 30_000);
    expect(requests.slice(1).map((r) => [r.json?.id, r.status])).toEqual([
      [second.id, 503],
      [second.id, 200],
    ]);
    expect(requests[2]!.headers['webhook-id']).toBe(requests[1]!.headers['webhook-id']);

    const delivery = await eventually(
      async () => {
        const page = await api('GET', `/v1/subscriptions/${id}/deliveries?limit=20`);
        const found = page.body.items?.find((d) => d.eventId === second.id);
        return found?.status === 'succeeded' ? found : undefined;
      },
      30_000,
      'the retried delivery succeeded',
    );
    const attempts = delivery.attempts as Array<{ outcome: string; statusCode?: number }>;
    expect(attempts.map((a) => [a.outcome, a.statusCode])).toEqual([
      ['retrying', 503],
      ['succeeded', 200],
    ]);
    // The retry (attempt 2) came to deliver from the slow lane's queue.
    const retried = await eventually(
      async () =>
        (await notificationLogs()).find(
          (record) =>
            record.message === 'Task done' && record.deliveryId === delivery.id && record.attempt === 2,
        ),
      20_000,
      'the retry task done',
    );
    expect(retried).toMatchObject({ lane: 'slow', outcome: 'succeeded' });
  }, 90_000);

  test('an e-mail delivery is redelivered through the e-mail queue and the mail is sent again', async () => {
    const tenant = `it-redeliver-mail-${unique()}`;
    const api = tenantApi(tenant);
    const address = `redeliver-${unique()}@example.com`;
    const id = await confirmedEmailSubscription(api, address, ['alert.*']);
    const envelope = signedEvent(tenant, 'alert.raised', { level: 'low' });
    await publishStored(envelope);
    const mailsOfEvent = async () =>
      (await sesMessages()).filter(
        (m) => m.destination.to.includes(address) && m.body.text?.includes(envelope.id),
      );
    await eventually(
      async () => ((await mailsOfEvent()).length === 1 ? true : undefined),
      30_000,
      'the mail',
    );
    const { delivery } = await succeeded(api, id, envelope.id, 1);

    const queued = await redeliver(tenant, delivery.id as string, `it-redeliver-${ulid()}`);
    expect(queued).toEqual({ status: 202, body: { deliveryId: delivery.id, status: 'queued' } });

    // Only deliverEmail, from the e-mail queue, sends mail: the same message (its id in the text) again.
    const mails = await eventually(
      async () => {
        const found = await mailsOfEvent();
        return found.length === 2 ? found : undefined;
      },
      30_000,
      'the mail sent again',
    );
    expect(mails.map((m) => m.subject)).toEqual(['[Herald] alert.raised', '[Herald] alert.raised']);
    expect(mails.every((m) => m.body.text?.includes(`Message: ${delivery.id as string}`))).toBe(true);
    const { attempts } = await succeeded(api, id, envelope.id, 2);
    expect(attempts.map((a) => [a.run, a.outcome])).toEqual([
      [1, 'succeeded'],
      [2, 'succeeded'],
    ]);
  }, 90_000);
});
