/**
 * aggregateStats' fold: what each change of the deliveries table counts, on which counter items,
 * and that a batch makes one update per item it touches.
 */
import { describe, expect, test } from '@jest/globals';
import { COUNTERS, foldChanges, type CounterUpdate } from '../../src/stats/aggregate';
import { latencyBucket } from '../../src/stats/histogram';
import { change, delivery, storedEvent } from './stream-records';

const BUS = '2026-12-01T10:00:00.000Z';
const byKey = (updates: CounterUpdate[]) =>
  Object.fromEntries(updates.map((update) => [`${update.tenantId} ${update.sortKey}`, update]));

describe('the stats fold', () => {
  test("a stored event's insert counts as dispatched in its minute and hour; a rewrite does not", () => {
    const rewrite = storedEvent('acme', BUS, 'evt-1');
    rewrite.eventName = 'MODIFY';
    const updates = byKey(foldChanges([storedEvent('acme', BUS, 'evt-1'), rewrite]));
    expect(Object.keys(updates).sort()).toEqual([
      'acme STATS#H#2026-12-01T10',
      'acme STATS#M#2026-12-01T10:00',
    ]);
    expect(updates['acme STATS#M#2026-12-01T10:00']!.add).toEqual({ dispatched: 1 });
    expect(updates['acme STATS#M#2026-12-01T10:00']!.expiresAt).toBe(Date.parse(BUS) / 1000 + 3 * 86400);
  });

  test('a delivery that succeeds counts once, with its latency from the bus time to the end of the attempt', () => {
    const pending = delivery({ busTime: BUS, status: 'pending', updatedAt: '2026-12-01T10:00:01.000Z' });
    const done = delivery({
      busTime: BUS,
      status: 'succeeded',
      updatedAt: '2026-12-01T10:00:02.500Z',
      attempts: [{ at: '2026-12-01T10:00:02.000Z', durationMs: 400, outcome: 'succeeded' }],
    });
    const updates = byKey(
      foldChanges([
        change(done.key, pending.item, done.item),
        // The same status written again (a later update of the item) is no new success.
        change(done.key, done.item, { ...done.item, updatedAt: '2026-12-01T10:00:03.000Z' }),
      ]),
    );
    const minute = updates['acme STATS#M#2026-12-01T10:00']!;
    expect(minute.add).toEqual({
      [COUNTERS.succeeded]: 1,
      [COUNTERS.subscriptionSucceeded('sub_A')]: 1,
      [COUNTERS.latency(latencyBucket(2400))]: 1,
    });
    expect(minute.latest).toEqual({
      [COUNTERS.subscriptionLastSuccess('sub_A')]: '2026-12-01T10:00:02.500Z',
    });
    expect(updates['acme STATS#H#2026-12-01T10']!.add).toEqual(minute.add);
  });

  test('a retry moves the retrying gauge up, and a final failure moves it down and counts as failed', () => {
    const first = delivery({ busTime: BUS, status: 'pending', updatedAt: '2026-12-01T10:00:01.000Z' });
    const waiting = delivery({
      busTime: BUS,
      status: 'pending',
      updatedAt: '2026-12-01T10:00:02.000Z',
      nextAttemptAt: '2026-12-01T10:00:07.000Z',
    });
    const failed = delivery({ busTime: BUS, status: 'failed', updatedAt: '2026-12-01T10:01:10.000Z' });
    const retried = byKey(foldChanges([change(first.key, first.item, waiting.item)]));
    expect(retried['acme STATS#NOW']!.add).toEqual({ retrying: 1, r_sub_A: 1 });
    expect(retried['acme STATS#NOW']!.expiresAt).toBeUndefined();

    const gaveUp = byKey(foldChanges([change(first.key, waiting.item, failed.item)]));
    expect(gaveUp['acme STATS#NOW']!.add).toEqual({ retrying: -1, r_sub_A: -1 });
    expect(gaveUp['acme STATS#M#2026-12-01T10:01']!.add).toEqual({ failed: 1, f_sub_A: 1 });
    expect(gaveUp['acme STATS#M#2026-12-01T10:01']!.latest).toEqual({ lf_sub_A: '2026-12-01T10:01:10.000Z' });
  });

  test('a retry that comes and goes within the batch writes no gauge', () => {
    const a = delivery({ busTime: BUS, status: 'pending', updatedAt: '2026-12-01T10:00:01.000Z' });
    const b = delivery({
      busTime: BUS,
      status: 'pending',
      updatedAt: '2026-12-01T10:00:02.000Z',
      nextAttemptAt: '2026-12-01T10:00:03.000Z',
    });
    const keys = foldChanges([change(a.key, a.item, b.item), change(a.key, b.item, a.item)]).map(
      (update) => update.sortKey,
    );
    expect(keys).not.toContain('STATS#NOW');
  });

  test("a later run's success counts, without a latency (its run started long after the event)", () => {
    const pending = delivery({
      busTime: BUS,
      status: 'pending',
      run: 2,
      updatedAt: '2026-12-01T11:00:00.000Z',
    });
    const done = delivery({
      busTime: BUS,
      status: 'succeeded',
      run: 2,
      updatedAt: '2026-12-01T11:00:01.000Z',
      attempts: [{ at: '2026-12-01T11:00:00.500Z', durationMs: 100, outcome: 'succeeded' }],
    });
    const [minute] = foldChanges([change(done.key, pending.item, done.item)]);
    expect(minute!.add).toEqual({ succeeded: 1, s_sub_A: 1 });
  });

  test('a batch makes one update per counter item, however many changes it folds', () => {
    const records = Array.from({ length: 500 }, (_, i) => {
      const before = delivery({ busTime: BUS, event: `e${i}`, status: 'pending', updatedAt: BUS });
      const after = delivery({
        busTime: BUS,
        event: `e${i}`,
        subscription: i % 2 ? 'sub_A' : 'sub_B',
        status: i % 5 ? 'succeeded' : 'failed',
        updatedAt: `2026-12-01T10:0${i % 3}:30.000Z`,
        attempts: [{ at: '2026-12-01T10:00:00.500Z', durationMs: 100, outcome: 'x' }],
      });
      return change(after.key, before.item, after.item);
    });
    records.push(storedEvent('other', BUS, 'x'));
    const updates = foldChanges(records);
    // acme: three minutes and one hour; other: one minute and one hour.
    expect(updates).toHaveLength(6);
    const hour = byKey(updates)['acme STATS#H#2026-12-01T10']!;
    expect(hour.add.succeeded).toBe(400);
    expect(hour.add.failed).toBe(100);
    expect(hour.add.s_sub_A! + hour.add.s_sub_B!).toBe(400);
  });

  test('what is neither a delivery nor a stored event (counters, e-mail days) counts nothing', () => {
    const counter = change({ pk: 'TENANT#acme', sk: 'STATS#M#2026-12-01T10:00' }, undefined, {
      succeeded: 1,
    });
    const day = change({ pk: 'TENANT#acme', sk: 'EMAILDAY#2026-12-01' }, undefined, { count: 1 });
    expect(foldChanges([counter, day])).toEqual([]);
  });
});
