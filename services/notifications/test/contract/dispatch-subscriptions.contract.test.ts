/**
 * DispatchSubscriptions: what fan-out reads to match an event, every subscription of the tenant
 * over all pages, with what matching needs and never the secrets.
 */
import { expect, test } from '@jest/globals';
import { describePort } from '../../../../test/setup/contract';
import { subscription } from './examples';
import { freshEach, subscriptionImplementations } from './implementations';

describePort('DispatchSubscriptions', subscriptionImplementations, (make) => {
  const port = freshEach(make);

  test('every subscription of the tenant, with only what matching needs', async () => {
    await port().repository.create(subscription({ id: 'sub_a', slowSince: '2026-11-28T10:00:00.000Z' }));
    const { url: _webhookOnly, ...email } = subscription({ id: 'sub_b', kind: 'email', status: 'paused' });
    await port().repository.create({ ...email, email: 'ops@example.com' });
    await port().repository.create(subscription({ tenantId: 'globex', id: 'sub_g' }));
    const all = await port().dispatch.all('acme');
    expect([...all].sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual([
      {
        id: 'sub_a',
        kind: 'webhook',
        eventTypes: ['order.*'],
        status: 'active',
        slowSince: '2026-11-28T10:00:00.000Z',
      },
      { id: 'sub_b', kind: 'email', eventTypes: ['order.*'], status: 'paused' },
    ]);
    expect(await port().dispatch.all('umbrella')).toEqual([]);
  });

  test('all pages: more subscriptions than one query answer holds (1 MB)', async () => {
    // Twelve items of ~100 KB each: DynamoDB answers a query with at most 1 MB, so two pages at least.
    const padding = 'x'.repeat(100_000);
    const ids = Array.from({ length: 12 }, (_, i) => `sub_${String(i).padStart(2, '0')}`);
    for (const id of ids) await port().repository.create(subscription({ id, description: padding }));
    const all = await port().dispatch.all('acme');
    expect(all.map((s) => s.id).sort()).toEqual(ids);
  }, 60_000);

  test('get reads one subscription of the tenant', async () => {
    await port().repository.create(subscription());
    expect(await port().dispatch.get('acme', 'sub_1')).toMatchObject({ id: 'sub_1', status: 'active' });
    expect(await port().dispatch.get('globex', 'sub_1')).toBeUndefined();
  });
});
