/**
 * HeldDeliveries: what a release job pages through after a resume, the deliveries held while
 * their subscription was paused, oldest first; a page continues after its cursor even once the
 * delivery there has been released.
 */
import { beforeEach, expect, test } from '@jest/globals';
import { describePort } from '../../../../test/setup/contract';
import type { HeldDelivery } from '../../src/fan-out/ports';
import type { PageKey } from '../../src/model/pages';
import { at, claimBy, startTask, subscription, type Target } from './examples';
import { deliveryImplementations, freshEach } from './implementations';

describePort('HeldDeliveries', deliveryImplementations, (make) => {
  const port = freshEach(make);

  /** A delivery first claimed `ms` after T0 and held; its fields as the held list gives them. */
  async function held(target: Target, ms: number): Promise<HeldDelivery> {
    const messageId = `m${ms}`;
    const delivery = await port().store.claim(
      startTask('dispatch', `bus-${ms}`, target),
      claimBy(messageId, ms),
    );
    if (!delivery) throw new Error('a first delivery is always claimed');
    if ((await port().store.hold(delivery, messageId, at(ms))) !== 'held') throw new Error('not held');
    const { id, subscriptionId, kind, eventId, eventType, eventKey } = delivery;
    return { id, subscriptionId, kind, eventId, eventType, eventKey };
  }

  const listed = (items: readonly HeldDelivery[]) =>
    items.map(({ id, subscriptionId, kind, eventId, eventType, eventKey }) => ({
      id,
      subscriptionId,
      kind,
      eventId,
      eventType,
      eventKey,
    }));

  beforeEach(async () => {
    for (const [tenantId, id] of [
      ['acme', 'sub_1'],
      ['acme', 'sub_2'],
      ['globex', 'sub_1'],
    ] as const) {
      await port().subscriptions.create(subscription({ tenantId, id, status: 'paused' }));
    }
  });

  test('lists the subscription’s held deliveries oldest first, with what a release task needs', async () => {
    const made: HeldDelivery[] = [];
    for (let i = 0; i < 3; i++) made.push(await held({ eventId: `evt-${i}` }, i * 1000));
    const page = await port().store.list('acme', 'sub_1', 10);
    expect(listed(page.items)).toEqual(made);
    expect(page.next).toBeUndefined();
  });

  test('pages to the end, continuing after the cursor even once that delivery was released', async () => {
    const made: HeldDelivery[] = [];
    for (let i = 0; i < 5; i++) made.push(await held({ eventId: `evt-${i}` }, i * 1000));
    const first = await port().store.list('acme', 'sub_1', 2);
    expect(listed(first.items)).toEqual(made.slice(0, 2));
    // The release job queues a page's tasks before it reads the next page: they may run first.
    const released = await port().store.claim(
      startTask('release', 'rl-1', { eventId: 'evt-1' }),
      claimBy('r1', 10_000),
    );
    expect(released?.status).toBe('pending');
    const rest: HeldDelivery[] = [];
    let after: PageKey | undefined = first.next;
    expect(after).toBeDefined();
    for (let pages = 0; after && pages < 5; pages++) {
      const page: { items: HeldDelivery[]; next?: PageKey } = await port().store.list(
        'acme',
        'sub_1',
        2,
        after,
      );
      rest.push(...listed(page.items));
      after = page.next;
    }
    expect(rest).toEqual(made.slice(2));
  });

  test('only that subscription of that tenant', async () => {
    const mine = await held({}, 0);
    await held({ subscriptionId: 'sub_2' }, 1000);
    await held({ tenantId: 'globex' }, 2000);
    expect(listed((await port().store.list('acme', 'sub_1', 10)).items)).toEqual([mine]);
    expect((await port().store.list('umbrella', 'sub_1', 10)).items).toEqual([]);
  });

  test('a delivery that was never held is not listed', async () => {
    await port().store.claim(startTask('dispatch', 'bus-1'), claimBy('m1'));
    expect((await port().store.list('acme', 'sub_1', 10)).items).toEqual([]);
  });
});
