/**
 * Coalesced ports answer each caller as the port alone would, with fewer calls of the port: the
 * records of a batch, run side by side, share requests.
 */
import { describe, expect, test } from '@jest/globals';
import { coalesce, coalesceByKey } from '../../src/adapters/coalesce';
import {
  coalescedDeliverReads,
  coalescedDispatchQueue,
  coalescedEventLog,
  coalescedSlots,
} from '../../src/adapters/coalesced-ports';
import type { DeliverySlots } from '../../src/delivery/ports';
import type { ReadKey } from '../../src/adapters/dynamo-deliver-reads';
import type { DeliveryRecord } from '../../src/model/delivery';
import type { SubscriptionRecord } from '../../src/model/subscription';
import type { StoredEvent } from '../../src/fan-out/ports';
import type { DeliveryTask } from '../../src/model/delivery-task';
import { MemoryDeliveries, MemorySubscriptions } from '../support/memory';
import { MemorySlots } from '../support/memory-limits';

const T0 = Date.parse('2026-11-28T10:00:00.000Z');

describe('coalesce', () => {
  test('calls made together are one flush; each caller gets its own result or its own error', async () => {
    const flushes: number[][] = [];
    const double = coalesce<number, number>(async (inputs) => {
      flushes.push([...inputs]);
      return inputs.map((n) =>
        n < 0 ? { ok: false, error: new Error(`negative ${n}`) } : { ok: true, value: n * 2 },
      );
    });
    const results = await Promise.allSettled([double(1), double(-2), double(3)]);
    expect(flushes).toEqual([[1, -2, 3]]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('negative -2') },
      { status: 'fulfilled', value: 6 },
    ]);
    // A call after the flush is a flush of its own.
    expect(await double(5)).toBe(10);
    expect(flushes).toEqual([[1, -2, 3], [5]]);
  });

  test('a flush that throws fails each of its callers', async () => {
    const failing = coalesce<number, number>(async () => {
      throw new Error('down');
    });
    await expect(Promise.all([failing(1), failing(2)])).rejects.toThrow('down');
    await expect(failing(3)).rejects.toThrow('down');
  });

  test('with a window, calls made a moment apart are gathered too', async () => {
    const flushes: number[][] = [];
    const echo = coalesce<number, number>(
      async (inputs) => {
        flushes.push([...inputs]);
        return inputs.map((value) => ({ ok: true, value }));
      },
      { windowMs: 50 },
    );
    const first = echo(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await Promise.all([first, echo(2)]);
    expect(flushes).toEqual([[1, 2]]);
  });

  test('by key: one load per key, and callers of one key each get a copy of their own', async () => {
    const loads: string[] = [];
    const get = coalesceByKey(
      (key: string) => key,
      async (key) => {
        loads.push(key);
        return { key, tags: [] as string[] };
      },
    );
    const [a1, b, a2] = await Promise.all([get('a'), get('b'), get('a')]);
    expect(loads).toEqual(['a', 'b']);
    expect(a1).toEqual(a2);
    a1.tags.push('changed');
    expect(a2.tags).toEqual([]);
    expect(b.key).toBe('b');
  });
});

describe('coalesced ports', () => {
  test('slots reserved together are one reservation, each caller its own slot an interval apart', async () => {
    const subscriptions = new MemorySubscriptions();
    subscriptions.put({ tenantId: 'acme', id: 'sub_1' } as never);
    const memory = new MemorySlots(subscriptions);
    const calls: Array<Parameters<DeliverySlots['reserve']>[2]> = [];
    const counting: DeliverySlots = {
      reserve: (tenantId, id, at) => {
        calls.push(at);
        return memory.reserve(tenantId, id, at);
      },
    };
    const slots = coalescedSlots(counting, 0);
    const reserved = await Promise.all(
      [T0, T0 + 3, T0 + 1, T0 + 2].map((now) => slots.reserve('acme', 'sub_1', { now, intervalMs: 20 })),
    );
    // As four reservations one after the other at the latest of their times.
    expect(reserved).toEqual([T0 + 3, T0 + 23, T0 + 43, T0 + 63]);
    expect(calls).toEqual([{ now: T0 + 3, intervalMs: 20, count: 4 }]);
    expect(await slots.reserve('acme', 'sub_1', { now: T0 + 10, intervalMs: 20 })).toBe(T0 + 83);
    // Another subscription, or one that is gone, is a reservation of its own.
    const [gone, again] = await Promise.all([
      slots.reserve('acme', 'sub_gone', { now: T0, intervalMs: 20 }),
      slots.reserve('acme', 'sub_1', { now: T0, intervalMs: 20 }),
    ]);
    expect(gone).toBeUndefined();
    expect(again).toBe(T0 + 103);
  });

  test('events kept together are one putAll, each caller told of its own event', async () => {
    const deliveries = new MemoryDeliveries(new MemorySubscriptions());
    const batches: number[] = [];
    const log = coalescedEventLog({
      put: (event) => deliveries.put(event),
      putAll: async (events) => {
        batches.push(events.length);
        return events.map((event) => (event.eventKey === 'bad' ? new Error('refused') : undefined));
      },
      between: (...args) => deliveries.between(...args),
    });
    const event = (eventKey: string) => ({ tenantId: 'acme', eventKey }) as StoredEvent;
    const results = await Promise.allSettled([
      log.put(event('a')),
      log.put(event('bad')),
      log.put(event('c')),
    ]);
    expect(batches).toEqual([3]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  test('tasks queued together are sent together; a record whose task SQS refused fails alone', async () => {
    const groups: number[][] = [];
    const queue = coalescedDispatchQueue({
      sendTasks: async () => undefined,
      sendJob: async () => undefined,
      sendTaskGroups: async (sent) => {
        groups.push(sent.map((group) => group.length));
        return sent.map((group) =>
          group.some(({ task }) => task.deliveryId === 'refused') ? new Error('SQS refused 1') : undefined,
        );
      },
    });
    const task = (deliveryId: string) => ({ task: { deliveryId } as DeliveryTask, lane: 'fast' as const });
    const results = await Promise.allSettled([
      queue.sendTasks([task('a'), task('b')]),
      queue.sendTasks([task('refused')]),
      queue.sendTasks([]),
      queue.sendTasks([task('c')]),
    ]);
    expect(groups).toEqual([[2, 1, 1]]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  });

  test('what a batch reads first is one getAll; a subscription asked for twice is read once, each given its own copy', async () => {
    const asked: ReadKey[][] = [];
    const unused = async () => {
      throw new Error('not read through here');
    };
    // One item per key, as a batch read answers: a key asked twice is the same item.
    const subscription = { id: 'sub_1', status: 'active' } as SubscriptionRecord;
    const { subscriptions, store } = coalescedDeliverReads(
      {
        getAll: async (keys) => {
          asked.push([...keys]);
          return keys.map((key) =>
            key.kind === 'subscription'
              ? subscription
              : key.id === 'dlv_2'
                ? ({ id: key.id } as DeliveryRecord)
                : undefined,
          );
        },
      },
      { claim: unused, get: unused, record: unused, recordFirst: unused, hold: unused },
    );
    const [sub1, dlv1, sub1again, dlv2] = await Promise.all([
      subscriptions.get('acme', 'sub_1'),
      store.get('acme', 'dlv_1'),
      subscriptions.get('acme', 'sub_1'),
      store.get('acme', 'dlv_2'),
    ]);
    expect(asked).toEqual([
      [
        { kind: 'subscription', tenantId: 'acme', id: 'sub_1' },
        { kind: 'delivery', tenantId: 'acme', id: 'dlv_1' },
        { kind: 'subscription', tenantId: 'acme', id: 'sub_1' },
        { kind: 'delivery', tenantId: 'acme', id: 'dlv_2' },
      ],
    ]);
    expect([sub1, dlv1, sub1again, dlv2]).toEqual([
      { id: 'sub_1', status: 'active' },
      undefined,
      { id: 'sub_1', status: 'active' },
      { id: 'dlv_2' },
    ]);
    // Copies: one caller's changes are not another's.
    expect(sub1again).not.toBe(sub1);
    // Writes go to the store itself.
    await expect(store.claim({} as never, {} as never)).rejects.toThrow('not read through here');
  });
});
