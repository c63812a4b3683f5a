/**
 * Herald's operational events end to end: a subscription whose receiver answers 410 is disabled,
 * notifications says so on the bus, ingest raises the tenant's herald.delivery.failed and
 * herald.subscription.disabled (signed, stored once by processing), and dispatch delivers them to
 * the subscription that named them, never to the disabled one nor to a subscription to `*`. A
 * producer may not send an event under herald.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { drained, pipelineQueues } from './support/barrier';
import { storedEvents } from './support/events';
import { endpointUrl, eventIds, receivedAt, receivedUntil } from './support/receiver';
import { newTenant } from './support/tenant';

async function answerGone(endpoint: string): Promise<void> {
  const url = new URL(endpointUrl(endpoint));
  const response = await fetch(`${url.origin}/_endpoints/${endpoint}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status: 410 }),
  });
  expect(response.status).toBe(200);
}

describe('operational events', () => {
  test('a subscription disabled by failures is told to the subscription that names herald.subscription.disabled, not to *', async () => {
    const tenant = await newTenant();
    const failing = await tenant.subscribeWebhook(['order.*']);
    await answerGone(failing.endpoint);
    const watcher = await tenant.subscribeWebhook(['herald.subscription.disabled', 'herald.delivery.failed']);
    const everything = await tenant.subscribeWebhook(['*']);

    const id = `order-${randomBytes(6).toString('hex')}`;
    const accepted = await tenant.call('ingest', 'POST', '/v1/events', {
      body: { id, type: 'order.created', data: { total: 1 } },
    });
    expect(accepted.status).toBe(202);

    const told = await receivedUntil(
      watcher.endpoint,
      (requests) => requests.length >= 2,
      'herald.delivery.failed and herald.subscription.disabled at the watcher',
      120_000,
    );
    const byType = Object.fromEntries(told.map((request) => [request.json?.type, request]));
    expect(Object.keys(byType).sort()).toEqual(['herald.delivery.failed', 'herald.subscription.disabled']);
    for (const request of told) expect(request.verified).toBe(true);
    expect(byType['herald.subscription.disabled']!.json).toMatchObject({
      id: expect.stringMatching(/^herald_[0-9a-f]{32}$/),
      subject: failing.id,
      data: {
        subscriptionId: failing.id,
        eventId: id,
        eventType: 'order.created',
        reason: 'the receiver answered 410 Gone',
      },
    });
    expect(byType['herald.delivery.failed']!.json).toMatchObject({
      subject: failing.id,
      data: { subscriptionId: failing.id, eventId: id, eventType: 'order.created' },
    });

    // The events that reached the watcher went through dispatch beside their tasks for `*`: once
    // notifications' queues are empty, anything `*` was to get has arrived.
    await drained(pipelineQueues('dispatch'));
    expect(eventIds(await receivedAt(everything.endpoint))).toEqual([id]);
    expect(eventIds(await receivedAt(watcher.endpoint))).toHaveLength(2);
    expect(eventIds(await receivedAt(failing.endpoint))).toEqual([id]);

    // Stored once each, as the tenant's events, with Herald as their source.
    const stored = await storedEvents(tenant);
    const operational = stored.filter((event) => event.type.startsWith('herald.'));
    expect(operational.map((event) => event.type).sort()).toEqual([
      'herald.delivery.failed',
      'herald.subscription.disabled',
    ]);
    for (const event of operational) expect(event).toMatchObject({ source: '/herald', subject: failing.id });
  }, 240_000);

  test('a producer may not send an event under herald.', async () => {
    const tenant = await newTenant();
    const refused = await tenant.call('ingest', 'POST', '/v1/events', {
      body: { type: 'herald.subscription.disabled', data: {} },
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('/body/type');
    const batch = await tenant.call('ingest', 'POST', '/v1/events', {
      body: {
        events: [
          { type: 'order.created', data: {} },
          { type: 'herald.x', data: {} },
        ],
      },
    });
    expect(batch.status).toBe(422);
    expect(JSON.stringify(batch.body)).toContain('/body/events/1/type');
  });
});
