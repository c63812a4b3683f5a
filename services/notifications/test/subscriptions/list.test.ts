import { describe, expect, test } from '@jest/globals';
import { InvalidCursor } from '@herald/shared/cursor';
import type { PageKey } from '../../src/model/pages';
import type { SubscriptionView } from '../../src/model/subscription';
import { listSubscriptions } from '../../src/subscriptions/list';
import type { SubscriptionStore } from '../../src/subscriptions/ports';

const subscription = (id: string): SubscriptionView => ({
  id,
  kind: 'webhook',
  url: `https://hooks.example/${id}`,
  eventTypes: ['order.*'],
  status: 'active',
  createdAt: '2026-11-28T10:00:00.000Z',
  updatedAt: '2026-11-28T10:00:00.000Z',
});

/** The subscriptions table in memory: items sorted by key, paged like a DynamoDB Query. */
class MemorySubscriptionStore implements SubscriptionStore {
  constructor(private readonly items: Array<PageKey & { view: SubscriptionView }>) {}
  async listByPartition(partition: string, limit: number, after?: PageKey) {
    const mine = this.items.filter((i) => i.pk === partition).sort((a, b) => a.sk.localeCompare(b.sk));
    const start = after ? mine.findIndex((i) => i.sk === after.sk) + 1 : 0;
    const page = mine.slice(start, start + limit);
    const last = page.at(-1);
    const more = start + limit < mine.length;
    return {
      items: page.map((i) => i.view),
      ...(more && last ? { next: { pk: last.pk, sk: last.sk } } : {}),
    };
  }
}

const store = new MemorySubscriptionStore([
  ...['a', 'b', 'c'].map((id) => ({ pk: 'TENANT#acme', sk: `SUB#${id}`, view: subscription(id) })),
  { pk: 'TENANT#globex', sk: 'SUB#g', view: subscription('g') },
]);

describe('listSubscriptions', () => {
  test('pages through the caller’s subscriptions only', async () => {
    const first = await listSubscriptions('acme', { limit: 2 }, store);
    expect(first.items.map((s) => s.id)).toEqual(['a', 'b']);
    expect(first.nextCursor).toEqual(expect.any(String));

    const second = await listSubscriptions('acme', { limit: 2, cursor: first.nextCursor! }, store);
    expect(second).toEqual({ items: [subscription('c')] });
  });

  test('another tenant sees none of them', async () => {
    const result = await listSubscriptions('globex', {}, store);
    expect(result.items.map((s) => s.id)).toEqual(['g']);
  });

  test('a cursor issued to one tenant is refused for another', async () => {
    const acmeCursor = (await listSubscriptions('acme', { limit: 1 }, store)).nextCursor!;
    await expect(listSubscriptions('globex', { cursor: acmeCursor }, store)).rejects.toBeInstanceOf(
      InvalidCursor,
    );
  });
});
