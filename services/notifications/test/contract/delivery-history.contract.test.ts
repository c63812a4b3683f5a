/**
 * DeliveryHistory: one subscription's deliveries, newest first, page by page, and one delivery by
 * id; never another subscription's or another tenant's.
 */
import { expect, test } from '@jest/globals';
import { describePort } from '../../../../test/setup/contract';
import type { DeliveryRecord } from '../../src/model/delivery';
import type { IndexPageKey } from '../../src/model/pages';
import { claimBy, startTask, type Target } from './examples';
import { deliveryImplementations, freshEach } from './implementations';

describePort('DeliveryHistory', deliveryImplementations, (make) => {
  const port = freshEach(make);

  /** A delivery first claimed `ms` after T0 (its creation time orders the history). */
  async function deliver(target: Target, ms: number): Promise<DeliveryRecord> {
    const delivery = await port().store.claim(
      startTask('dispatch', `bus-${ms}`, target),
      claimBy(`m${ms}`, ms),
    );
    if (!delivery) throw new Error('a first delivery is always claimed');
    return delivery;
  }

  async function allPages(tenantId: string, subscriptionId: string, limit: number) {
    const pages: DeliveryRecord[][] = [];
    let after: IndexPageKey | undefined;
    do {
      const page = await port().store.listBySubscription(tenantId, subscriptionId, limit, after);
      expect(page.items.length).toBeLessThanOrEqual(limit);
      pages.push(page.items);
      after = page.next;
    } while (after && pages.length < 20);
    return pages;
  }

  test('lists the subscription’s deliveries newest first, whole, page by page to the end', async () => {
    const made: DeliveryRecord[] = [];
    for (let i = 0; i < 5; i++) made.push(await deliver({ eventId: `evt-${i}` }, i * 1000));
    const pages = await allPages('acme', 'sub_1', 2);
    expect(pages.slice(0, 3)).toEqual([[made[4], made[3]], [made[2], made[1]], [made[0]]]);
    expect(pages).toHaveLength(3);
  });

  test('a full last page may be followed by an empty one, never by a repeat', async () => {
    for (let i = 0; i < 4; i++) await deliver({ eventId: `evt-${i}` }, i * 1000);
    const pages = await allPages('acme', 'sub_1', 2);
    const ids = pages.flat().map((delivery) => delivery.eventId);
    expect(ids).toEqual(['evt-3', 'evt-2', 'evt-1', 'evt-0']);
    expect(pages.slice(2).every((page) => page.length === 0)).toBe(true);
  });

  test('only that subscription of that tenant: not a neighbour, not another tenant', async () => {
    const mine = await deliver({}, 0);
    await deliver({ subscriptionId: 'sub_2' }, 1000);
    await deliver({ tenantId: 'globex' }, 2000);
    expect((await port().store.listBySubscription('acme', 'sub_1', 10)).items).toEqual([mine]);
    expect((await port().store.listBySubscription('umbrella', 'sub_1', 10)).items).toEqual([]);
  });

  test('get finds a delivery by id in its tenant only', async () => {
    const mine = await deliver({}, 0);
    expect(await port().store.get('acme', mine.id)).toEqual(mine);
    expect(await port().store.get('globex', mine.id)).toBeUndefined();
    expect(await port().store.get('acme', 'msg_unknown')).toBeUndefined();
  });
});
