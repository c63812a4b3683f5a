/**
 * SubscriptionStore: the listing the API pages through, bound to the partition it is given, and
 * made of views only: a stored secret is never even read.
 */
import { expect, test } from '@jest/globals';
import { describePort } from '../../../../test/setup/contract';
import type { PageKey } from '../../src/model/pages';
import { toView, type SubscriptionView } from '../../src/model/subscription';
import { tenantPartition } from '../../src/model/table-keys';
import { subscription } from './examples';
import { freshEach, subscriptionImplementations } from './implementations';

describePort('SubscriptionStore', subscriptionImplementations, (make) => {
  const port = freshEach(make);

  test('lists views, never a secret nor an internal mark', async () => {
    const record = subscription({
      slowSince: '2026-11-28T10:00:00.000Z',
      disabledByDelivery: 'msg_1',
      consecutiveFailures: 2,
      failingSince: '2026-11-28T09:00:00.000Z',
    });
    await port().repository.create(record);
    const page = await port().listing.listByPartition(tenantPartition('acme'), 10);
    expect(page.items).toEqual([toView(record)]);
    expect(page.items[0]).not.toHaveProperty('secrets');
    expect(page.items[0]).not.toHaveProperty('slowSince');
    expect(page.next).toBeUndefined();
  });

  test('pages through the partition in id order, every subscription once', async () => {
    const ids = ['sub_a', 'sub_b', 'sub_c', 'sub_d', 'sub_e'];
    for (const id of [...ids].reverse()) await port().repository.create(subscription({ id }));
    const seen: SubscriptionView[] = [];
    let after: PageKey | undefined;
    let pages = 0;
    do {
      const page = await port().listing.listByPartition(tenantPartition('acme'), 2, after);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      after = page.next;
    } while (after && ++pages < 10);
    expect(seen.map((view) => view.id)).toEqual(ids);
    expect(pages).toBeGreaterThanOrEqual(2);
  });

  test('only the partition asked for', async () => {
    await port().repository.create(subscription({ tenantId: 'globex', id: 'sub_g' }));
    await port().repository.create(subscription({ id: 'sub_a' }));
    const acme = await port().listing.listByPartition(tenantPartition('acme'), 10);
    expect(acme.items.map((view) => view.id)).toEqual(['sub_a']);
    expect((await port().listing.listByPartition(tenantPartition('umbrella'), 10)).items).toEqual([]);
  });
});
