/**
 * SubjectOrderStore: ordered subscriptions' heads and marks (ordering/subject-order.ts), run against
 * its in-memory stand-in and the DynamoDB adapter on a deliveries table made from the template. The
 * head starts once and moves only from where it is; the first mark of an event stays; a waiting mark
 * is taken for queueing by one party only; the marks after a sequence come back in sequence order,
 * of that subscription and line only.
 */
import { expect, test } from '@jest/globals';
import { contractAws, describePort, tableFromTemplate } from '../../../../test/setup/contract';
import { DynamoSubjectOrder } from '../../src/adapters/dynamo-subject-order';
import type { DeliveryTask } from '../../src/model/delivery-task';
import type { SubjectOrderStore } from '../../src/ordering/subject-order';
import { MemorySubjectOrder } from '../support/memory-subject-order';
import { freshEach, type Implementation } from './implementations';

const implementations: ReadonlyArray<Implementation<SubjectOrderStore>> = [
  { name: 'memory', make: () => new MemorySubjectOrder() },
  {
    name: 'DynamoDB',
    make: async () =>
      new DynamoSubjectOrder(
        contractAws().dynamodb,
        await tableFromTemplate('notifications', 'DeliveriesTable'),
        86_400,
      ),
  },
];

const task = (eventId: string): DeliveryTask => ({
  v: 1,
  tenantId: 'acme',
  subscriptionId: 'sub_1',
  kind: 'webhook',
  deliveryId: 'msg_00000000000000000000000000',
  eventId,
  eventType: 'order.created',
  eventKey: `EVT#2026-12-01T10:00:00.000Z#${eventId}`,
  correlationId: 'corr-1',
  attempt: 1,
  start: { reason: 'dispatch', id: 'dispatch' },
});
const EXPIRES = Math.floor(Date.now() / 1000) + 86_400;

describePort('SubjectOrderStore', implementations, (make) => {
  const port = freshEach(make);

  test('a head starts once: the second start gives back the first', async () => {
    expect(await port().head('acme', 'sub_1', 'line-a')).toBeUndefined();
    expect(await port().start('acme', 'sub_1', 'line-a', 4)).toBe(4);
    expect(await port().start('acme', 'sub_1', 'line-a', 9)).toBe(4);
    expect(await port().head('acme', 'sub_1', 'line-a')).toBe(4);
  });

  test('a head moves only from where it is, and of two moves at once one wins', async () => {
    await port().start('acme', 'sub_1', 'line-a', 0);
    expect(await port().advance('acme', 'sub_1', 'line-a', 1, 2)).toBe(false);
    expect(await port().advance('acme', 'sub_1', 'line-a', 0, 1)).toBe(true);
    const racing = await Promise.all([
      port().advance('acme', 'sub_1', 'line-a', 1, 2),
      port().advance('acme', 'sub_1', 'line-a', 1, 3),
    ]);
    expect(racing.filter(Boolean)).toHaveLength(1);
    expect([2, 3]).toContain(await port().head('acme', 'sub_1', 'line-a'));
    // A head that was never started does not move.
    expect(await port().advance('acme', 'sub_1', 'line-b', 0, 1)).toBe(false);
  });

  test('marks come back after a sequence, in sequence order, the first of each kept', async () => {
    const order = port();
    for (const sequence of [12, 3, 10, 2])
      await order.mark('acme', 'sub_1', 'line-a', { sequence, state: 'skip' }, EXPIRES);
    await order.mark(
      'acme',
      'sub_1',
      'line-a',
      { sequence: 11, state: 'waiting', task: task('e11'), lane: 'fast' },
      EXPIRES,
    );
    // A later mark of the same event changes nothing.
    await order.mark('acme', 'sub_1', 'line-a', { sequence: 11, state: 'skip' }, EXPIRES);
    expect(await order.after('acme', 'sub_1', 'line-a', 2, 10)).toEqual([
      { sequence: 3, state: 'skip' },
      { sequence: 10, state: 'skip' },
      { sequence: 11, state: 'waiting', task: task('e11'), lane: 'fast' },
      { sequence: 12, state: 'skip' },
    ]);
    expect((await order.after('acme', 'sub_1', 'line-a', 0, 2)).map((m) => m.sequence)).toEqual([2, 3]);
    expect(await order.after('acme', 'sub_1', 'line-a', 12, 10)).toEqual([]);
  });

  test("another subscription's, line's or tenant's marks and heads are apart", async () => {
    const order = port();
    await order.mark('acme', 'sub_1', 'line-a', { sequence: 1, state: 'skip' }, EXPIRES);
    await order.mark('acme', 'sub_2', 'line-a', { sequence: 2, state: 'skip' }, EXPIRES);
    await order.mark('acme', 'sub_1', 'line-b', { sequence: 3, state: 'skip' }, EXPIRES);
    await order.mark('globex', 'sub_1', 'line-a', { sequence: 4, state: 'skip' }, EXPIRES);
    await order.start('acme', 'sub_1', 'line-a', 7);
    expect((await order.after('acme', 'sub_1', 'line-a', 0, 10)).map((m) => m.sequence)).toEqual([1]);
    expect((await order.after('acme', 'sub_1', 'line-b', 0, 10)).map((m) => m.sequence)).toEqual([3]);
    expect(await order.head('acme', 'sub_2', 'line-a')).toBeUndefined();
    expect(await order.head('globex', 'sub_1', 'line-a')).toBeUndefined();
  });

  test('a waiting task is taken for queueing once: of two takers at once one; the same taker again, yes; a skip or a missing mark, never', async () => {
    const order = port();
    const waiting = { sequence: 5, state: 'waiting', task: task('e5'), lane: 'fast' } as const;
    await order.mark('acme', 'sub_1', 'line-a', waiting, EXPIRES);
    await order.mark('acme', 'sub_1', 'line-a', { sequence: 6, state: 'skip' }, EXPIRES);
    const racing = await Promise.all([
      order.queue('acme', 'sub_1', 'line-a', 5, 'deliver:m1'),
      order.queue('acme', 'sub_1', 'line-a', 5, 'dispatch:b1'),
    ]);
    expect(racing.filter(Boolean)).toHaveLength(1);
    const [winner, loser] = racing[0] ? ['deliver:m1', 'dispatch:b1'] : ['dispatch:b1', 'deliver:m1'];
    expect(await order.queue('acme', 'sub_1', 'line-a', 5, winner)).toBe(true);
    expect(await order.queue('acme', 'sub_1', 'line-a', 5, loser)).toBe(false);
    // Marking the event again leaves it queued, by the winner, with its task.
    await order.mark('acme', 'sub_1', 'line-a', waiting, EXPIRES);
    expect(await order.queue('acme', 'sub_1', 'line-a', 6, winner)).toBe(false);
    expect(await order.queue('acme', 'sub_1', 'line-a', 7, winner)).toBe(false);
    expect(await order.queue('acme', 'sub_2', 'line-a', 5, winner)).toBe(false);
    expect(await order.after('acme', 'sub_1', 'line-a', 4, 10)).toEqual([
      { sequence: 5, state: 'queued', task: task('e5'), lane: 'fast', by: winner },
      { sequence: 6, state: 'skip' },
    ]);
  });
});
