/**
 * Per-subject ordering on the local cloud, through the API: events posted to ingest with a subject,
 * numbered by processing as it stores them, carried on the bus, delivered by notifications to a
 * webhook subscription with `ordering: "subject"`. A failing event holds its subject's later
 * events (through its retries, the local stage's 0,1,2,2 s schedule) while another subject's go on;
 * once it succeeds, or fails for good, the next follows; a paused subscription holds them all.
 */
import { describe, expect, test } from '@jest/globals';
import { storedEvent } from '../../../test/e2e/support/events';
import {
  endpointUrl,
  newEndpoint,
  receivedAt,
  receivedUntil,
  type ReceivedWebhook,
} from '../../../test/e2e/support/receiver';
import { newTenant, type Tenant } from '../../../test/e2e/support/tenant';
import { eventually } from '../../../test/setup/local-cloud';
import { configureEndpoint } from './support/cloud';

async function orderedSubscription(
  tenant: Tenant,
  behaviour: Record<string, unknown> = {},
  eventTypes = ['order.*'],
) {
  const endpoint = newEndpoint(tenant.id);
  const created = await tenant.call<{ id: string; secret: string; ordering?: string }>(
    'notifications',
    'POST',
    '/v1/subscriptions',
    { body: { url: endpointUrl(endpoint), eventTypes, ordering: 'subject' } },
  );
  expect(created.status).toBe(201);
  expect(created.body.ordering).toBe('subject');
  await configureEndpoint(endpoint, { secret: created.body.secret, ...behaviour });
  return { id: created.body.id, endpoint };
}

/** Posts one event with a subject and waits until processing has stored it, so each takes the next number. */
async function post(tenant: Tenant, id: string, subject: string, type = 'order.updated') {
  const accepted = await tenant.call('ingest', 'POST', '/v1/events', {
    body: { id, type, subject, data: { id } },
  });
  expect(accepted.status).toBe(202);
  await storedEvent(tenant, id);
}

const of = (requests: readonly ReceivedWebhook[], id: string) => requests.filter((r) => r.json?.id === id);
const firstSeq = (requests: readonly ReceivedWebhook[], id: string) => of(requests, id)[0]?.seq ?? Infinity;
const succeeded = (requests: readonly ReceivedWebhook[], id: string) =>
  of(requests, id).find((r) => r.status === 200);

describe('a webhook subscription ordered by subject', () => {
  test("a failing event holds its subject's later events, not another subject's; once it succeeds they follow in sequence", async () => {
    const tenant = await newTenant();
    // The first three requests fail (503), then the receiver answers 200.
    const { endpoint } = await orderedSubscription(tenant, { status: 503, failTimes: 3 });
    await post(tenant, 'a-1', 'order-a');
    await receivedUntil(endpoint, (r) => of(r, 'a-1').length >= 1, "a-1's first attempt");
    await post(tenant, 'a-2', 'order-a');
    await post(tenant, 'a-3', 'order-a');
    await post(tenant, 'b-1', 'order-b');

    const requests = await receivedUntil(
      endpoint,
      (r) => ['a-1', 'a-2', 'a-3', 'b-1'].every((id) => succeeded(r, id)),
      'every event delivered',
      120_000,
    );
    const a1 = succeeded(requests, 'a-1')!;
    // Order-a's later events went only after a-1 succeeded, one at a time, in sequence, each once.
    expect(firstSeq(requests, 'a-2')).toBeGreaterThan(a1.seq);
    expect(firstSeq(requests, 'a-3')).toBeGreaterThan(succeeded(requests, 'a-2')!.seq);
    expect(of(requests, 'a-2')).toHaveLength(1);
    expect(of(requests, 'a-3')).toHaveLength(1);
    const aSubject = requests.filter((r) => r.json?.id.startsWith('a-')).map((r) => r.json!.id);
    expect(aSubject.filter((id, i) => id !== aSubject[i - 1])).toEqual(['a-1', 'a-2', 'a-3']);
    // Order-b did not wait for order-a: its first attempt came before a-2 could go.
    expect(firstSeq(requests, 'b-1')).toBeLessThan(firstSeq(requests, 'a-2'));
    // The subject reaches the receiver in the payload, as sent.
    expect(a1.json?.subject).toBe('order-a');
  }, 180_000);

  test('an event whose retries are exhausted lets the next go', async () => {
    const tenant = await newTenant();
    // Four failures: every attempt of the local schedule (0, 1, 2, 2 s) of the first event.
    const subscription = await orderedSubscription(tenant, { status: 503, failTimes: 4 });
    await post(tenant, 'c-1', 'order-c');
    await post(tenant, 'c-2', 'order-c');
    const requests = await receivedUntil(
      subscription.endpoint,
      (r) => Boolean(succeeded(r, 'c-2')),
      'c-2',
      120_000,
    );
    const c1 = of(requests, 'c-1');
    expect(c1.map((r) => r.status)).toEqual([503, 503, 503, 503]);
    expect(firstSeq(requests, 'c-2')).toBeGreaterThan(c1.at(-1)!.seq);
    const history = await tenant.call<{ items: Array<{ eventId: string; status: string }> }>(
      'notifications',
      'GET',
      `/v1/subscriptions/${subscription.id}/deliveries`,
    );
    const statusOf = (id: string) => history.body.items.find((d) => d.eventId === id)?.status;
    expect([statusOf('c-1'), statusOf('c-2')]).toEqual(['failed', 'succeeded']);
  }, 180_000);

  test('a paused subscription holds them all; resumed, they arrive in sequence', async () => {
    const tenant = await newTenant();
    const subscription = await orderedSubscription(tenant);
    const paused = await tenant.call('notifications', 'POST', `/v1/subscriptions/${subscription.id}/pause`);
    expect(paused.status).toBe(200);
    for (const id of ['p-1', 'p-2', 'p-3']) await post(tenant, id, 'order-p');
    // The first is held (its delivery exists, held); the others wait behind it; nothing is sent.
    const held = await eventually(
      async () => {
        const page = await tenant.call<{ items: Array<{ eventId: string; status: string }> }>(
          'notifications',
          'GET',
          `/v1/subscriptions/${subscription.id}/deliveries`,
        );
        return page.body.items.some((d) => d.status === 'held') ? page.body.items : undefined;
      },
      60_000,
      'the held delivery',
    );
    expect(held.map((d) => [d.eventId, d.status])).toEqual([['p-1', 'held']]);
    expect(await receivedAt(subscription.endpoint)).toEqual([]);

    const resumed = await tenant.call('notifications', 'POST', `/v1/subscriptions/${subscription.id}/resume`);
    expect(resumed.status).toBe(200);
    const requests = await receivedUntil(
      subscription.endpoint,
      (r) => r.length >= 3,
      'three webhooks',
      120_000,
    );
    expect(requests.map((r) => r.json?.id)).toEqual(['p-1', 'p-2', 'p-3']);
  }, 180_000);

  test("the subject's events it does not take are gaps it moves past", async () => {
    const tenant = await newTenant();
    const subscription = await orderedSubscription(tenant, {}, ['order.paid']);
    await post(tenant, 'g-1', 'order-g', 'order.created');
    await post(tenant, 'g-2', 'order-g', 'order.paid');
    await post(tenant, 'g-3', 'order-g', 'order.created');
    await post(tenant, 'g-4', 'order-g', 'order.paid');
    const requests = await receivedUntil(
      subscription.endpoint,
      (r) => r.length >= 2,
      'two webhooks',
      120_000,
    );
    expect(requests.map((r) => r.json?.id)).toEqual(['g-2', 'g-4']);
  }, 180_000);

  test('disabled by a 410, it holds the rest; resumed, they arrive in sequence', async () => {
    const tenant = await newTenant();
    // The first request is answered 410 Gone, which fails it for good and disables the subscription.
    const subscription = await orderedSubscription(tenant, { status: 410, failTimes: 1 });
    await post(tenant, 'd-1', 'order-d');
    await post(tenant, 'd-2', 'order-d');
    const deliveries = () =>
      tenant.call<{ items: Array<{ eventId: string; status: string }> }>(
        'notifications',
        'GET',
        `/v1/subscriptions/${subscription.id}/deliveries`,
      );
    const held = await eventually(
      async () => {
        const items = (await deliveries()).body.items;
        return items.some((d) => d.eventId === 'd-2' && d.status === 'held') ? items : undefined;
      },
      60_000,
      'd-2 held',
    );
    expect(Object.fromEntries(held.map((d) => [d.eventId, d.status]))).toEqual({
      'd-1': 'failed',
      'd-2': 'held',
    });
    const disabled = await tenant.call<{ status: string }>(
      'notifications',
      'GET',
      `/v1/subscriptions/${subscription.id}`,
    );
    expect(disabled.body.status).toBe('disabled');
    await post(tenant, 'd-3', 'order-d');

    const resumed = await tenant.call('notifications', 'POST', `/v1/subscriptions/${subscription.id}/resume`);
    expect(resumed.status).toBe(200);
    const requests = await receivedUntil(
      subscription.endpoint,
      (r) => Boolean(succeeded(r, 'd-3')),
      'd-3 after the resume',
      120_000,
    );
    expect(requests.map((r) => [r.json?.id, r.status])).toEqual([
      ['d-1', 410],
      ['d-2', 200],
      ['d-3', 200],
    ]);
  }, 180_000);
});
