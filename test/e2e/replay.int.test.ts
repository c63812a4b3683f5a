/**
 * Replay across the services: events delivered once are delivered again when their subscription
 * replays a window of time — the same events, under the same webhook-ids, as a new run of attempts —
 * while the events before and after the window, and those the subscription's filter excludes, are
 * not. Absence is proven once notifications' queues have drained.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { eventually } from '../setup/local-cloud';
import { drained, pipelineQueues } from './support/barrier';
import { deliveries, storedEvent, type StoredEvent } from './support/events';
import { eventIds, receivedAt, receivedUntil, verifyWebhook } from './support/receiver';
import { newCorrelationId, newTenant, type Tenant } from './support/tenant';

/**
 * Replay windows are read against the event bus's time, which is the stored time in whole seconds
 * (EventBridge's `time` has no fraction).
 */
const busSecond = (event: StoredEvent) => Math.floor(Date.parse(event.storedAt) / 1000) * 1000;

/** Waits for the clock to pass the second `after` falls in, so what is sent next is stored later. */
const nextSecond = (after: number) =>
  eventually(async () => (Date.now() >= after + 1000 ? true : undefined), 5_000, 'the next second');

async function send(tenant: Tenant, events: Array<{ id: string; type: string }>): Promise<StoredEvent[]> {
  const answer = await tenant.call('ingest', 'POST', '/v1/events', {
    body: { events: events.map((event) => ({ ...event, data: { id: event.id } })) },
  });
  expect(answer.status).toBe(202);
  return Promise.all(events.map((event) => storedEvent(tenant, event.id)));
}

describe('replay of a subscription', () => {
  test('delivers the window’s events again under the same webhook-ids, and nothing outside it', async () => {
    const tenant = await newTenant();
    const subscription = await tenant.subscribeWebhook(['order.*']);
    const id = (name: string) => `${name}-${randomBytes(4).toString('hex')}`;
    const before = { id: id('before'), type: 'order.created' };
    const inside = [
      { id: id('inside1'), type: 'order.created' },
      { id: id('inside2'), type: 'order.paid' },
    ];
    const filteredOut = { id: id('filtered'), type: 'invoice.paid' };
    const after = { id: id('after'), type: 'order.shipped' };

    // Three groups in three different seconds of the bus's clock.
    const [storedBefore] = await send(tenant, [before]);
    await nextSecond(busSecond(storedBefore!));
    const storedInside = await send(tenant, [...inside, filteredOut]);
    const insideSeconds = storedInside.map(busSecond);
    await nextSecond(Math.max(...insideSeconds));
    const [storedAfter] = await send(tenant, [after]);
    const since = Math.min(...insideSeconds);
    const until = Math.max(...insideSeconds);
    expect(busSecond(storedBefore!)).toBeLessThan(since);
    expect(busSecond(storedAfter!)).toBeGreaterThan(until);

    const delivered = [before, ...inside, after].map((event) => event.id).sort();
    await receivedUntil(subscription.endpoint, (r) => r.length >= delivered.length, 'the first deliveries');
    await drained(pipelineQueues('dispatch'));
    const first = await receivedAt(subscription.endpoint);
    expect(eventIds(first).sort()).toEqual(delivered);
    const webhookIdOf = new Map(first.map((request) => [request.json!.id, request.headers['webhook-id']]));

    const correlationId = newCorrelationId();
    const window = { since: new Date(since).toISOString(), until: new Date(until).toISOString() };
    const replay = await tenant.call('notifications', 'POST', `/v1/subscriptions/${subscription.id}/replay`, {
      body: window,
      headers: { 'x-correlation-id': correlationId },
    });
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ replayId: expect.any(String), ...window });

    await receivedUntil(
      subscription.endpoint,
      (r) => r.length >= first.length + inside.length,
      'the replayed deliveries',
    );
    // The replay's tasks all leave from the dispatch queue: once it and the delivery queues are
    // empty, every task the replay made has been sent.
    await drained(pipelineQueues('dispatch'));
    const replayed = (await receivedAt(subscription.endpoint)).slice(first.length);
    expect(eventIds(replayed).sort()).toEqual(inside.map((event) => event.id).sort());
    for (const request of replayed) {
      expect(request.verified).toBe(true);
      expect(() => verifyWebhook(request, subscription.secret)).not.toThrow();
      // The same message again (a receiver can dedupe on it), sent on behalf of the replay request.
      expect(request.headers['webhook-id']).toBe(webhookIdOf.get(request.json!.id));
      expect(request.headers['x-correlation-id']).toBe(correlationId);
    }

    // The history shows a second run of attempts for the window's events only.
    const runsOf = new Map(
      (await deliveries(tenant, subscription.id)).map((d) => [d.eventId, d.attempts.map((a) => a.run)]),
    );
    expect(Object.fromEntries(runsOf)).toEqual({
      [before.id]: [1],
      [inside[0]!.id]: [1, 2],
      [inside[1]!.id]: [1, 2],
      [after.id]: [1],
    });
  }, 240_000);
});
