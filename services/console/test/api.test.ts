import { describe, expect, test } from '@jest/globals';
import { HeraldProblem } from '@herald/client';
import { countReplay, getEventDeliveries, getStats, NotAvailable, testFilter, type Api } from '../src/api';

const api = (parts: Record<string, unknown>) =>
  ({ deliveries: {}, subscriptions: {}, ...parts }) as unknown as Api;

describe('routes newer than some stages', () => {
  test("a stage without the route (a 404 that is not Herald's problem) gives NotAvailable", async () => {
    const missing = async () => {
      throw new HeraldProblem({ type: 'about:blank', title: 'Not Found', status: 404 });
    };
    await expect(getStats(api({ overview: missing }), '24h')).rejects.toBeInstanceOf(NotAvailable);
    await expect(getEventDeliveries(api({ deliveries: { ofEvent: missing } }), 'e1')).rejects.toBeInstanceOf(
      NotAvailable,
    );
    await expect(
      countReplay(api({ subscriptions: { previewReplay: missing } }), 's', { since: 'x' }),
    ).rejects.toBeInstanceOf(NotAvailable);
    await expect(
      testFilter(api({ subscriptions: { testFilter: missing } }), { filter: {} }),
    ).rejects.toBeInstanceOf(NotAvailable);
  });

  test("Herald's own problems are passed on", async () => {
    const notFound = new HeraldProblem({
      type: 'https://herald.dev/problems/not-found',
      title: 'Not Found',
      status: 404,
    });
    const forbidden = new HeraldProblem({
      type: 'https://herald.dev/problems/insufficient-scope',
      title: 'Forbidden',
      status: 403,
    });
    await expect(
      countReplay(api({ subscriptions: { previewReplay: async () => Promise.reject(notFound) } }), 's', {
        since: 'x',
      }),
    ).rejects.toBe(notFound);
    await expect(getStats(api({ overview: async () => Promise.reject(forbidden) }), '1h')).rejects.toBe(
      forbidden,
    );
  });

  test('the methods are called with their arguments and their answers unwrapped', async () => {
    const calls: unknown[] = [];
    const client = api({
      overview: async (window: string) => (calls.push(window), { window }),
      deliveries: {
        ofEvent: async (id: string) => (calls.push(id), { eventId: id, items: [{ id: 'msg_1' }] }),
      },
      subscriptions: {
        previewReplay: async (id: string, window: unknown) => (
          calls.push(id, window),
          { dryRun: true, events: 7 }
        ),
      },
    });
    expect(await getStats(client, '24h')).toEqual({ window: '24h' });
    expect(await getEventDeliveries(client, 'e1')).toEqual([{ id: 'msg_1' }]);
    expect(await countReplay(client, 'sub_1', { since: 's' })).toBe(7);
    expect(calls).toEqual(['24h', 'e1', 'sub_1', { since: 's' }]);
  });
});
