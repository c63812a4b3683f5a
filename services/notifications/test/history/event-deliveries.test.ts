/**
 * An event's deliveries: read by the ids the tenant's subscriptions derive, so they are one per
 * subscription the event reached; nothing for another tenant or an unknown id; nothing for a
 * subscription since deleted.
 */
import { describe, expect, test } from '@jest/globals';
import { eventDeliveries } from '../../src/history/event-deliveries';
import { world } from '../support/world';

async function deliveredTo(count: number) {
  const w = world();
  const subscriptions = [];
  for (let i = 0; i < count; i++) subscriptions.push((await w.subscribe()).subscription);
  const other = (await w.subscribe({ eventTypes: ['invoice.*'] })).subscription;
  await w.publish(w.keys.sign({ id: 'evt-1', type: 'order.created' }));
  w.answers.push({ statusCode: 500, durationMs: 5, responseBody: 'no' });
  while (w.queues.tasks.length > 0) {
    w.advance(5);
    await w.run();
  }
  return { w, subscriptions, other };
}

describe("an event's deliveries", () => {
  test('one per subscription it reached, each with its attempts', async () => {
    const { w, subscriptions, other } = await deliveredTo(3);
    const page = await eventDeliveries('acme', 'evt-1', {
      subscriptions: w.subscriptions,
      history: w.deliveries,
    });
    expect(page.eventId).toBe('evt-1');
    expect(page.items.map((d) => d.subscriptionId).sort()).toEqual(subscriptions.map((s) => s.id).sort());
    expect(page.items.map((d) => d.subscriptionId)).not.toContain(other.id);
    expect(page.items.every((d) => d.eventId === 'evt-1' && d.attempts.length >= 1)).toBe(true);
    // The one whose first attempt got a 500 was retried and delivered.
    expect(page.items.some((d) => d.attempts.length === 2 && d.attempts[0]!.statusCode === 500)).toBe(true);
  });

  test('reads 100 delivery ids a request', async () => {
    const { w } = await deliveredTo(1);
    // Past the tenant limit, as a lowered limit would leave them.
    const [first] = await w.subscriptions.all('acme');
    const record = (await w.subscriptions.get('acme', first!.id))!;
    for (let i = 0; i < 150; i++) w.subscriptions.put({ ...record, id: `sub_EXTRA${i}` });
    w.deliveries.reads.getMany = 0;
    await eventDeliveries('acme', 'evt-1', { subscriptions: w.subscriptions, history: w.deliveries });
    expect(w.deliveries.reads.getMany).toBe(2);
  });

  test("another tenant's view, an unknown event and a deleted subscription's deliveries: nothing", async () => {
    const { w, subscriptions } = await deliveredTo(2);
    const deps = { subscriptions: w.subscriptions, history: w.deliveries };
    expect((await eventDeliveries('globex', 'evt-1', deps)).items).toEqual([]);
    expect((await eventDeliveries('acme', 'evt-unknown', deps)).items).toEqual([]);
    await w.subscriptions.delete('acme', subscriptions[0]!.id);
    const left = await eventDeliveries('acme', 'evt-1', deps);
    expect(left.items.map((d) => d.subscriptionId)).toEqual([subscriptions[1]!.id]);
  });
});
