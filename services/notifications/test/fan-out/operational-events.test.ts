/**
 * Herald's operational events (herald.*) in notifications: opt-in (only a subscription that names
 * the type gets them), never about a subscription to that same subscription, named only among the
 * known types; and what deliver says on the bus carries the type of the event it was delivering, so
 * that ingest raises nothing about an operational event's delivery.
 */
import { describe, expect, test } from '@jest/globals';
import type { Envelope } from '@herald/shared/contracts';
import { matchesSubscription, subscriptionsMatching } from '../../src/fan-out/content-filter';
import { aboutItself, filterProblem, matchesFilter } from '../../src/fan-out/event-filters';
import { world } from '../support/world';

describe('opt-in', () => {
  test.each([
    ['*', false],
    ['herald.*', false],
    ['herald.subscription.*', false],
    ['herald.subscription.disabled', true],
    ['herald.subscription.recovered', false],
  ])('%s matches herald.subscription.disabled: %s', (filter, expected) => {
    expect(matchesFilter(filter, 'herald.subscription.disabled')).toBe(expected);
  });

  test('wildcards still match every other type', () => {
    expect(matchesFilter('*', 'heraldry.created')).toBe(true);
    expect(matchesFilter('*', 'order.created')).toBe(true);
  });

  test.each([
    'herald.delivery.failed',
    'herald.subscription.disabled',
    'herald.subscription.recovered',
    'herald.upload.completed',
  ])('%s may be named', (type) => {
    expect(filterProblem(type)).toBeUndefined();
  });

  test.each(['herald.*', 'herald.subscription.*', 'herald.delivery.retried', 'herald.x'])(
    '%s is refused, naming the four',
    (filter) => {
      expect(filterProblem(filter)).toMatch(/reserved.*herald\.delivery\.failed.*herald\.upload\.completed/);
    },
  );
});

describe('no loops', () => {
  const operational = (type: string, subject: string, keys = world().keys): Envelope =>
    keys.signer.sign({
      specversion: '1.0',
      id: `herald_${subject}`,
      source: '/herald',
      type,
      time: '2026-12-01T10:00:00.000Z',
      subject,
      datacontenttype: 'application/json',
      data: { subscriptionId: subject, reason: 'the receiver answered 410 Gone' },
      tenantid: 'acme',
      correlationid: 'corr-1',
    });

  test('an operational event about a subscription never reaches that subscription', () => {
    const event = operational('herald.subscription.disabled', 'sub_a');
    const a = { id: 'sub_a', eventTypes: ['herald.subscription.disabled'] };
    const b = { id: 'sub_b', eventTypes: ['herald.subscription.disabled'] };
    const everything = { id: 'sub_c', eventTypes: ['*'] };
    expect(subscriptionsMatching([a, b, everything], event).map((s) => s.id)).toEqual(['sub_b']);
    expect(matchesSubscription(a, event)).toBe(false);
    expect(matchesSubscription(b, event)).toBe(true);
  });

  test('a producer’s event whose subject happens to be a subscription id is not concerned', () => {
    expect(aboutItself('sub_a', 'order.created', 'sub_a')).toBe(false);
    expect(aboutItself('sub_a', 'herald.delivery.failed', 'sub_b')).toBe(false);
    expect(aboutItself(undefined, 'herald.delivery.failed', 'sub_a')).toBe(false);
  });

  test('dispatch queues the event for the subscriptions that name it, but not the one it is about', async () => {
    const w = world({ schedule: [0] });
    const named = await w.subscribe({ eventTypes: ['herald.subscription.disabled'] });
    const everything = await w.subscribe({ eventTypes: ['*'] });
    const other = await w.subscribe({ eventTypes: ['herald.subscription.disabled'] });
    expect(everything.subscription.id).toBeDefined();
    const result = await w.publish(
      operational('herald.subscription.disabled', named.subscription.id, w.keys),
    );
    expect(result).toMatchObject({ kind: 'event', tasks: 1 });
    expect(w.queues.take().task).toMatchObject({ subscriptionId: other.subscription.id });
  });
});

describe('the causes deliver publishes carry the event type', () => {
  test('delivery.failed and subscription.disabled name the type of the event being delivered', async () => {
    const w = world({ schedule: [0] });
    await w.subscribe();
    w.answers.push({ statusCode: 410, durationMs: 0 });
    await w.publish(w.keys.sign({ type: 'order.created' }));
    await w.run();
    expect(w.bus.published).toEqual([
      { detailType: 'delivery.failed', detail: expect.objectContaining({ eventType: 'order.created' }) },
      {
        detailType: 'subscription.disabled',
        detail: expect.objectContaining({ eventType: 'order.created' }),
      },
    ]);
  });

  test('a success after failures publishes subscription.recovered once, with the run of failures it ends', async () => {
    const w = world({ schedule: [0] });
    const { subscription } = await w.subscribe();
    w.answers.push({ statusCode: 500, durationMs: 0 }, { statusCode: 500, durationMs: 0 });
    await w.publish(w.keys.sign());
    await w.run();
    await w.publish(w.keys.sign());
    await w.run();
    const { failingSince } = (await w.subscriptions.get('acme', subscription.id))!;
    w.answers.push({ statusCode: 200, durationMs: 0 }, { statusCode: 200, durationMs: 0 });
    const recovering = w.keys.sign({ id: 'evt-recovering' });
    await w.publish(recovering);
    await w.run();
    await w.publish(w.keys.sign());
    await w.run();

    const recovered = w.bus.published.filter((p) => p.detailType === 'subscription.recovered');
    expect(recovered).toEqual([
      {
        detailType: 'subscription.recovered',
        detail: {
          subscriptionId: subscription.id,
          tenantid: 'acme',
          eventId: 'evt-recovering',
          eventType: 'order.created',
          failures: 2,
          failingSince,
          time: expect.stringMatching(/Z$/),
        },
      },
    ]);
  });

  test('a success with no failures before says nothing', async () => {
    const w = world({ schedule: [0] });
    await w.subscribe();
    w.answers.push({ statusCode: 200, durationMs: 0 });
    await w.publish(w.keys.sign());
    await w.run();
    expect(w.bus.published).toEqual([]);
  });
});
