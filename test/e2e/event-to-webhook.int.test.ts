/**
 * One event across the three services: POST /v1/events to ingest, stored once by processing,
 * published, fanned out and delivered by notifications to the subscriber's endpoint as a Standard
 * Webhooks request the subscriber can verify with its secret, the request's correlation id carried
 * all the way. Another tenant subscribed to the same types gets nothing.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { drained, pipelineQueues } from './support/barrier';
import { deliveries, storedEvent, storedEvents } from './support/events';
import { eventIds, foreignSecret, receivedAt, receivedUntil, verifyWebhook } from './support/receiver';
import { newCorrelationId, newTenant } from './support/tenant';

const WEBHOOK_ID = /^msg_[0-9A-HJKMNP-TV-Z]{26}$/;

describe('an event from producer to subscriber', () => {
  test('is stored once and its webhook arrives signed, with the request’s correlation id', async () => {
    const tenant = await newTenant();
    const bystander = await newTenant();
    const subscription = await tenant.subscribeWebhook(['order.*']);
    const otherSubscription = await bystander.subscribeWebhook(['order.*']);
    const correlationId = newCorrelationId();
    const event = {
      id: `order-${randomBytes(6).toString('hex')}`,
      type: 'order.created',
      subject: 'orders/42',
      data: { total: 42.5, lines: [{ sku: 'a-1', quantity: 2 }], note: 'ünïcode ✓' },
    };

    const accepted = await tenant.call('ingest', 'POST', '/v1/events', {
      body: event,
      headers: { 'x-correlation-id': correlationId },
    });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ ids: [event.id] });
    expect(accepted.headers.get('x-correlation-id')).toBe(correlationId);

    const stored = await storedEvent(tenant, event.id);
    // Without a source of its own, an event is the tenant's.
    expect(stored).toMatchObject({ ...event, source: `/tenants/${tenant.id}`, correlationId });

    // The same event again, in a batch (so not caught by ingest's idempotency): ingest queues a
    // second copy, which processing must recognise as the one it already holds.
    const resent = await tenant.call('ingest', 'POST', '/v1/events', { body: { events: [event] } });
    expect(resent.status).toBe(202);
    expect(resent.body).toEqual({ ids: [event.id] });

    const [webhook] = await receivedUntil(subscription.endpoint, (r) => r.length >= 1, 'the webhook');
    // Everything both copies could still cause has happened once the pipeline's queues are empty.
    await drained(pipelineQueues('inbound'));

    const storedNow = await storedEvents(tenant);
    expect(storedNow).toEqual([stored]);
    expect(eventIds(await receivedAt(subscription.endpoint))).toEqual([event.id]);

    // The receiver verified it with the subscription's secret, and so does the subscriber's own code.
    expect(webhook!.verified).toBe(true);
    expect(() => verifyWebhook(webhook!, subscription.secret)).not.toThrow();
    expect(() => verifyWebhook(webhook!, foreignSecret())).toThrow();
    // The body is the stored event as the subscriber sees it, byte for byte what was signed.
    expect(JSON.parse(webhook!.body)).toEqual({
      id: event.id,
      type: event.type,
      timestamp: stored.time,
      subject: event.subject,
      data: event.data,
    });
    expect(webhook!.headers['content-type']).toBe('application/json');
    expect(webhook!.headers['x-correlation-id']).toBe(correlationId);
    expect(webhook!.headers['webhook-timestamp']).toMatch(/^\d+$/);
    expect(webhook!.headers['webhook-id']).toMatch(WEBHOOK_ID);

    // The webhook-id is the delivery's id in the subscription's history, delivered at the first try.
    const history = await deliveries(tenant, subscription.id);
    expect(history).toEqual([
      expect.objectContaining({
        id: webhook!.headers['webhook-id'],
        eventId: event.id,
        status: 'succeeded',
        attempts: [expect.objectContaining({ run: 1, attempt: 1, outcome: 'succeeded', statusCode: 200 })],
      }),
    ]);

    // Tenant isolation end to end: the same id is nobody's else, and the same filter matched nothing.
    expect((await bystander.call('processing', 'GET', `/v1/events/${event.id}`)).status).toBe(404);
    expect(await receivedAt(otherSubscription.endpoint)).toEqual([]);
    expect(await deliveries(bystander, otherSubscription.id)).toEqual([]);
  }, 240_000);
});
