/**
 * DeliveryStore: the claim that only one message per attempt can win, the record only the claim's
 * holder can write, and the hold while the subscription is paused. These are the rules behind
 * exactly-once attempts; the stand-in and the DynamoDB adapter must keep every one of them.
 */
import { describe, expect, test } from '@jest/globals';
import { describePort } from '../../../../test/setup/contract';
import type { DeliveryRecord } from '../../src/model/delivery';
import {
  at,
  attempted,
  claimBy,
  continueTask,
  endedWithout,
  LEASE_MS,
  startTask,
  subscription,
  T0,
} from './examples';
import { deliveryImplementations, freshEach } from './implementations';

describePort('DeliveryStore', deliveryImplementations, (make) => {
  const port = freshEach(make);

  /** The delivery of the default task, first claimed by m1 at T0. */
  async function dispatched(): Promise<DeliveryRecord> {
    const delivery = await port().store.claim(startTask('dispatch', 'bus-1'), claimBy('m1'));
    if (!delivery) throw new Error('the first claim of a delivery must win');
    return delivery;
  }

  const stored = () => port().store.get('acme', startTask('dispatch', 'x').deliveryId);

  /** The default task's first delivery as its first claim, by `messageId` at T0, creates it. */
  const first = (messageId: string): DeliveryRecord => {
    const task = startTask('dispatch', 'bus-1');
    return {
      id: task.deliveryId,
      tenantId: 'acme',
      subscriptionId: 'sub_1',
      kind: 'webhook',
      eventId: 'evt-1',
      eventType: 'order.created',
      eventKey: task.eventKey,
      createdAt: at(0).toISOString(),
      updatedAt: at(0).toISOString(),
      status: 'pending',
      run: 1,
      attemptCount: 0,
      startReason: 'dispatch',
      startId: 'bus-1',
      claimMessageId: messageId,
      claimUntil: T0 + LEASE_MS,
      attempts: [],
    };
  };

  describe('a first delivery', () => {
    test('creates the delivery: run 1, nothing attempted, claimed by its message for the lease', async () => {
      const task = startTask('dispatch', 'bus-1');
      const delivery = await port().store.claim(task, claimBy('m1'));
      const expected = first('m1');
      expect(delivery).toEqual(expected);
      expect(await stored()).toEqual(expected);
    });

    test('a second first delivery of the same event loses, even once the lease has run out', async () => {
      const first = await dispatched();
      const late = LEASE_MS + 1;
      expect(await port().store.claim(startTask('dispatch', 'bus-1'), claimBy('m2', late))).toBeUndefined();
      expect(await port().store.claim(startTask('dispatch', 'bus-2'), claimBy('m3', late))).toBeUndefined();
      expect(await stored()).toEqual(first);
    });
  });

  describe('a task that starts a new run (redelivery, replay, release)', () => {
    test('takes a finished delivery at once: the next run, its attempts kept', async () => {
      const first = await dispatched();
      const update = attempted(first, 'succeeded', 1000);
      expect(await port().store.record(first, update, 'm1')).toBe(true);
      const second = await port().store.claim(startTask('redeliver', 'rd-1'), claimBy('m2', 2000));
      expect(second).toEqual({
        ...first,
        run: 2,
        attemptCount: 0,
        status: 'pending',
        startReason: 'redeliver',
        startId: 'rd-1',
        claimMessageId: 'm2',
        claimUntil: T0 + 2000 + LEASE_MS,
        updatedAt: at(2000).toISOString(),
        attempts: update.attempts,
        lastAttemptAt: update.lastAttemptAt,
      });
    });

    test('clears the reason and the next attempt time of the run before', async () => {
      const first = await dispatched();
      const failed = attempted(first, 'failed', 1000, { reason: 'HTTP 400' });
      await port().store.record(first, failed, 'm1');
      const second = await port().store.claim(startTask('replay', 'rp-1'), claimBy('m2', 2000));
      expect(second?.reason).toBeUndefined();
      expect(second?.status).toBe('pending');
    });

    test('a second copy of the same start loses, even once the lease has run out', async () => {
      await dispatched();
      const run2 = await port().store.claim(startTask('redeliver', 'rd-1'), claimBy('m2', LEASE_MS + 1));
      expect(run2?.run).toBe(2);
      const later = 2 * LEASE_MS + 10;
      expect(await port().store.claim(startTask('redeliver', 'rd-1'), claimBy('m3', later))).toBeUndefined();
      expect(await stored()).toEqual(run2);
    });

    test('waits while another message holds the delivery: loses until the lease has run out', async () => {
      const first = await dispatched();
      const redeliver = startTask('redeliver', 'rd-1');
      expect(await port().store.claim(redeliver, claimBy('m2', 30_000))).toBeUndefined();
      // The lease runs up to and including claimUntil.
      expect(await port().store.claim(redeliver, claimBy('m2', LEASE_MS))).toBeUndefined();
      expect(await stored()).toEqual(first);
      const run2 = await port().store.claim(redeliver, claimBy('m2', LEASE_MS + 1));
      expect(run2).toMatchObject({ run: 2, claimMessageId: 'm2', startId: 'rd-1' });
    });

    test('a replay creates a delivery the event never had', async () => {
      const task = startTask('replay', 'rp-1', { eventId: 'evt-old' });
      const delivery = await port().store.claim(task, claimBy('m1'));
      expect(delivery).toMatchObject({
        id: task.deliveryId,
        run: 1,
        startReason: 'replay',
        status: 'pending',
      });
    });

    test('a release restarts a held delivery, and only a held one', async () => {
      await dispatched();
      const release = startTask('release', 'rl-1');
      // Pending, unclaimed (the lease ran out): not held, so not released.
      expect(await port().store.claim(release, claimBy('m2', LEASE_MS + 1))).toBeUndefined();
      await port().subscriptions.create(subscription({ status: 'paused' }));
      const owner = await port().store.claim(continueTask(1, 1), claimBy('m3', LEASE_MS + 2));
      expect(await port().store.hold(owner!, 'm3', at(LEASE_MS + 3))).toBe('held');
      const released = await port().store.claim(release, claimBy('m4', LEASE_MS + 4));
      expect(released).toMatchObject({
        run: 2,
        status: 'pending',
        startReason: 'release',
        claimMessageId: 'm4',
      });
      expect((await port().store.list('acme', 'sub_1', 10)).items).toEqual([]);
    });

    test('a release of a delivery that is gone (past its retention) starts it afresh', async () => {
      const delivery = await port().store.claim(startTask('release', 'rl-1'), claimBy('m1'));
      expect(delivery).toMatchObject({ run: 1, attemptCount: 0, status: 'pending', startReason: 'release' });
    });

    test('a second copy of the same release loses, even once the delivery is held again', async () => {
      await port().subscriptions.create(subscription({ status: 'paused' }));
      const first = await dispatched();
      expect(await port().store.hold(first, 'm1', at(1000))).toBe('held');
      const release = startTask('release', 'rl-1');
      const run2 = await port().store.claim(release, claimBy('m2', 2000));
      expect(await port().store.hold(run2!, 'm2', at(3000))).toBe('held');
      expect(await port().store.claim(release, claimBy('m3', 4000))).toBeUndefined();
      const run3 = await port().store.claim(startTask('release', 'rl-2'), claimBy('m4', 5000));
      expect(run3).toMatchObject({ run: 3, startId: 'rl-2', claimMessageId: 'm4' });
    });

    test('a release does not restart a finished delivery', async () => {
      const first = await dispatched();
      await port().store.record(first, attempted(first, 'succeeded', 1000), 'm1');
      expect(await port().store.claim(startTask('release', 'rl-1'), claimBy('m2', 2000))).toBeUndefined();
      expect(await stored()).toMatchObject({ run: 1, status: 'succeeded' });
    });
  });

  // A task forwarded to the slow lane keeps every rule of its run; its sender (here one that no longer
  // holds the claim) only lets it take over a claim that sender still holds.
  describe.each([
    { kind: 'a task that continues a run', via: {} },
    { kind: 'a task forwarded to the slow lane', via: { forwardedFrom: 'm0' } },
  ])('$kind', ({ via }) => {
    const next = (run: number, attempt: number) => continueTask(run, attempt, via);

    test('the message holding the claim takes its attempt again, and renews its lease', async () => {
      await dispatched();
      const again = await port().store.claim(next(1, 1), claimBy('m1', 10_000));
      expect(again).toMatchObject({ run: 1, claimMessageId: 'm1', claimUntil: T0 + 10_000 + LEASE_MS });
    });

    test('another message loses while the lease runs, and takes the attempt over once it has run out', async () => {
      const first = await dispatched();
      expect(await port().store.claim(next(1, 1), claimBy('m2', 10_000))).toBeUndefined();
      expect(await port().store.claim(next(1, 1), claimBy('m2', LEASE_MS))).toBeUndefined();
      expect(await stored()).toEqual(first);
      const taken = await port().store.claim(next(1, 1), claimBy('m2', LEASE_MS + 1));
      expect(taken).toMatchObject({ claimMessageId: 'm2', claimUntil: T0 + 2 * LEASE_MS + 1 });
    });

    test('the next attempt is taken at once by a new message once the last one is recorded', async () => {
      const first = await dispatched();
      const retry = attempted(first, 'pending', 1000, { nextAttemptAt: at(6000).toISOString() });
      expect(await port().store.record(first, retry, 'm1')).toBe(true);
      const taken = await port().store.claim(next(1, 2), claimBy('m2', 6000));
      expect(taken).toMatchObject({
        run: 1,
        attemptCount: 1,
        claimMessageId: 'm2',
        claimUntil: T0 + 6000 + LEASE_MS,
      });
    });

    test('a copy of an attempt already recorded, or a task ahead of the count, loses', async () => {
      const first = await dispatched();
      const retry = attempted(first, 'pending', 1000);
      await port().store.record(first, retry, 'm1');
      expect(await port().store.claim(next(1, 1), claimBy('m2', 2000))).toBeUndefined();
      expect(await port().store.claim(next(1, 3), claimBy('m3', 2000))).toBeUndefined();
      expect(await stored()).toMatchObject({ attemptCount: 1, claimMessageId: 'm1' });
    });

    test('a task of a superseded run loses', async () => {
      await dispatched();
      const run2 = await port().store.claim(startTask('redeliver', 'rd-1'), claimBy('m2', LEASE_MS + 1));
      expect(run2).toMatchObject({ run: 2, attemptCount: 0 });
      // Run 2 stands where run 1's first attempt would: only the run tells them apart.
      const late = 2 * LEASE_MS + 10;
      expect(await port().store.claim(next(1, 1), claimBy('m3', late))).toBeUndefined();
      expect(await stored()).toEqual(run2);
    });

    test('a finished delivery takes no further attempt', async () => {
      const first = await dispatched();
      await port().store.record(first, attempted(first, 'failed', 1000, { reason: 'HTTP 400' }), 'm1');
      expect(await port().store.claim(next(1, 2), claimBy('m2', 2000))).toBeUndefined();
      expect(await stored()).toMatchObject({ status: 'failed', claimMessageId: 'm1' });
    });

    test('a task for a delivery that does not exist loses and creates nothing', async () => {
      expect(await port().store.claim(next(1, 1), claimBy('m1'))).toBeUndefined();
      expect(await stored()).toBeUndefined();
    });
  });

  describe('the hand-off to the slow lane', () => {
    test('the task forwarded by the claim’s holder is taken at once, and the holder loses the claim', async () => {
      const first = await dispatched();
      const forwarded = continueTask(1, 1, { forwardedFrom: 'm1' });
      const taken = await port().store.claim(forwarded, claimBy('m2', 1000));
      expect(taken).toMatchObject({ run: 1, attemptCount: 0, claimMessageId: 'm2' });
      expect(await port().store.record(first, attempted(first, 'succeeded', 1500), 'm1')).toBe(false);
    });

    test('a task that names another message as its sender loses while the lease runs', async () => {
      const first = await dispatched();
      const forged = continueTask(1, 1, { forwardedFrom: 'm9' });
      expect(await port().store.claim(forged, claimBy('m2', 1000))).toBeUndefined();
      expect(await stored()).toEqual(first);
    });
  });

  describe('record', () => {
    test('writes the outcome while holding the claim, and releases the claim', async () => {
      const first = await dispatched();
      const update = attempted(first, 'pending', 1000, {
        nextAttemptAt: at(6000).toISOString(),
        reason: 'HTTP 503',
      });
      expect(await port().store.record(first, update, 'm1')).toBe(true);
      const { claimUntil: _released, ...unclaimed } = first;
      expect(await stored()).toEqual({ ...unclaimed, ...update });
    });

    test('a message that does not hold the claim writes nothing', async () => {
      const first = await dispatched();
      expect(await port().store.record(first, attempted(first, 'succeeded', 1000), 'm2')).toBe(false);
      expect(await stored()).toEqual(first);
    });

    test('a record for a superseded run is refused, even from the message that holds the claim now', async () => {
      const first = await dispatched();
      const run2 = await port().store.claim(startTask('redeliver', 'rd-1'), claimBy('m1', LEASE_MS + 1));
      expect(run2).toMatchObject({ run: 2, claimMessageId: 'm1' });
      expect(await port().store.record(first, attempted(first, 'succeeded', LEASE_MS + 2), 'm1')).toBe(false);
      expect(await stored()).toEqual(run2);
    });

    test('an outcome without an attempt keeps the last attempt’s time; absent fields are cleared', async () => {
      const first = await dispatched();
      const retry = attempted(first, 'pending', 1000, {
        nextAttemptAt: at(6000).toISOString(),
        reason: 'HTTP 503',
      });
      await port().store.record(first, retry, 'm1');
      const second = await port().store.claim(continueTask(1, 2), claimBy('m2', 6000));
      const cancel = endedWithout(second!, 'cancelled', 7000);
      expect(await port().store.record(second!, cancel, 'm2')).toBe(true);
      const after = await stored();
      expect(after).toMatchObject({
        status: 'cancelled',
        lastAttemptAt: retry.lastAttemptAt,
        reason: cancel.reason,
      });
      expect(after?.nextAttemptAt).toBeUndefined();
      expect(after?.claimUntil).toBeUndefined();
    });
  });

  describe('recordFirst (a first delivery created with its attempt)', () => {
    test('creates the delivery with its attempt, unclaimed', async () => {
      const { recordFirst } = port().store;
      if (!recordFirst) return;
      const update = attempted(first('m1'), 'succeeded', 1000);
      expect(await recordFirst.call(port().store, first('m1'), update, 'm1')).toBe(true);
      const { claimUntil: _none, ...unclaimed } = first('m1');
      expect(await stored()).toEqual({ ...unclaimed, ...update });
    });

    test('the same record again (a write applied, its answer lost, sent again) is accepted', async () => {
      const { recordFirst } = port().store;
      if (!recordFirst) return;
      const update = attempted(first('m1'), 'pending', 1000, { nextAttemptAt: at(6000).toISOString() });
      expect(await recordFirst.call(port().store, first('m1'), update, 'm1')).toBe(true);
      expect(await recordFirst.call(port().store, first('m1'), update, 'm1')).toBe(true);
      expect(await stored()).toMatchObject({ attemptCount: 1, claimMessageId: 'm1', status: 'pending' });
    });

    test('loses to a delivery another message created or claimed', async () => {
      const { recordFirst } = port().store;
      if (!recordFirst) return;
      const update = attempted(first('m1'), 'succeeded', 1000);
      expect(await recordFirst.call(port().store, first('m1'), update, 'm1')).toBe(true);
      expect(await recordFirst.call(port().store, first('m2'), update, 'm2')).toBe(false);
      const claimed = await dispatched().catch(() => undefined);
      expect(claimed).toBeUndefined();
    });

    test('loses to a claim written first, even by the same message', async () => {
      const { recordFirst } = port().store;
      if (!recordFirst) return;
      const claimed = await dispatched();
      const update = attempted(first('m1'), 'succeeded', 1000);
      // The claim holds no attempt: the record of attempt 1 is not the claim's own write.
      expect(await recordFirst.call(port().store, first('m1'), update, 'm1')).toBe(false);
      expect(await stored()).toEqual(claimed);
    });
  });

  describe('hold', () => {
    test('holds the claimed delivery of a paused subscription, for the release to find', async () => {
      await port().subscriptions.create(subscription({ status: 'paused' }));
      const first = await dispatched();
      expect(await port().store.hold(first, 'm1', at(1000))).toBe('held');
      const { claimUntil: _released, ...unclaimed } = first;
      expect(await stored()).toEqual({ ...unclaimed, status: 'held', updatedAt: at(1000).toISOString() });
      expect((await port().store.list('acme', 'sub_1', 10)).items).toEqual([
        expect.objectContaining({ id: first.id, eventId: 'evt-1' }),
      ]);
    });

    test('an ordered delivery is held while its subscription is disabled; a paused one is not held as disabled', async () => {
      await port().subscriptions.create(subscription({ status: 'disabled' }));
      const first = await dispatched();
      expect(await port().store.hold(first, 'm1', at(1000))).toBe('not-paused');
      expect(await port().store.hold(first, 'm1', at(1000), 'disabled')).toBe('held');
      expect(await stored()).toMatchObject({ status: 'held' });
    });

    test('an ordered delivery keeps its place in its subject’s order from the task that created it', async () => {
      const task = { ...startTask('dispatch', 'bus-1'), order: { line: 'L'.repeat(32), sequence: 7 } };
      const created = await port().store.claim(task, claimBy('m1'));
      expect(created?.order).toEqual({ line: 'L'.repeat(32), sequence: 7 });
      await port().store.record(created!, attempted(created!, 'failed', 1000), 'm1');
      const again = await port().store.claim(startTask('redeliver', 'rd-1'), claimBy('m2', 2000));
      expect(again?.order).toEqual({ line: 'L'.repeat(32), sequence: 7 });
    });

    test('not-paused, and nothing changes, once the subscription is active again or gone', async () => {
      const first = await dispatched();
      expect(await port().store.hold(first, 'm1', at(1000))).toBe('not-paused');
      await port().subscriptions.create(subscription({ status: 'active' }));
      expect(await port().store.hold(first, 'm1', at(1000))).toBe('not-paused');
      expect(await stored()).toEqual(first);
      expect((await port().store.list('acme', 'sub_1', 10)).items).toEqual([]);
    });

    test('lost, and nothing changes, when another message holds the claim', async () => {
      await port().subscriptions.create(subscription({ status: 'paused' }));
      const first = await dispatched();
      expect(await port().store.hold(first, 'm2', at(1000))).toBe('lost');
      expect(await stored()).toEqual(first);
    });

    test('lost for a superseded run, even from the message that holds the claim now', async () => {
      await port().subscriptions.create(subscription({ status: 'paused' }));
      const first = await dispatched();
      const run2 = await port().store.claim(startTask('redeliver', 'rd-1'), claimBy('m1', LEASE_MS + 1));
      expect(await port().store.hold(first, 'm1', at(LEASE_MS + 2))).toBe('lost');
      expect(await stored()).toEqual(run2);
    });

    test('a lost claim wins over a resumed subscription: the task must not go on to send', async () => {
      await port().subscriptions.create(subscription({ status: 'active' }));
      const first = await dispatched();
      expect(await port().store.hold(first, 'm2', at(1000))).toBe('lost');
    });
  });

  describe('held by the daily e-mail cap', () => {
    const heldUntil = '2026-11-29T00:00:00.000Z';
    /** The first delivery, recorded as held by the cap by m1, as deliverEmail records it. */
    async function capped(): Promise<DeliveryRecord> {
      const first = await dispatched();
      const update = {
        status: 'held' as const,
        attemptCount: 0,
        attempts: [],
        updatedAt: at(1000).toISOString(),
        reason: 'daily-email-cap',
        heldUntil,
      };
      expect(await port().store.record(first, update, 'm1')).toBe(true);
      return first;
    }

    test('is recorded held with its time and reason, no attempt, and not in the held index', async () => {
      const first = await capped();
      const { claimUntil: _released, ...unclaimed } = first;
      expect(await stored()).toEqual({
        ...unclaimed,
        status: 'held',
        updatedAt: at(1000).toISOString(),
        reason: 'daily-email-cap',
        heldUntil,
      });
      // Only a resume's release reads the held index: these go out by their own task.
      expect((await port().store.list('acme', 'sub_1', 10)).items).toEqual([]);
    });

    test('its own task takes it back: pending again, heldUntil gone; then it records its attempt', async () => {
      await capped();
      const back = await port().store.claim(
        continueTask(1, 1, { forwardedFrom: 'm1' }),
        claimBy('m9', 86_400_000),
      );
      expect(back).toMatchObject({ status: 'pending', claimMessageId: 'm9', attemptCount: 0 });
      expect(back?.heldUntil).toBeUndefined();
      expect(await port().store.record(back!, attempted(back!, 'succeeded', 86_400_500), 'm9')).toBe(true);
      const after = await stored();
      expect(after).toMatchObject({ status: 'succeeded', attemptCount: 1 });
      expect(after?.heldUntil).toBeUndefined();
      expect(after?.reason).toBeUndefined();
    });

    test('a copy of the task or one of a superseded run loses; a redelivery starts afresh', async () => {
      await capped();
      expect(await port().store.claim(continueTask(1, 2), claimBy('m8', 2000))).toBeUndefined();
      expect(await port().store.claim(continueTask(2, 1), claimBy('m8', 2000))).toBeUndefined();
      const run2 = await port().store.claim(startTask('redeliver', 'rd-1'), claimBy('m7', 3000));
      expect(run2).toMatchObject({ status: 'pending', run: 2 });
      expect(run2?.heldUntil).toBeUndefined();
      expect(run2?.reason).toBeUndefined();
      expect(await port().store.claim(continueTask(1, 1), claimBy('m9', 4000))).toBeUndefined();
    });

    test('a delivery held for a paused subscription is not taken by a continuing task', async () => {
      await port().subscriptions.create(subscription({ status: 'paused' }));
      const first = await dispatched();
      expect(await port().store.hold(first, 'm1', at(1000))).toBe('held');
      const held = await stored();
      expect(await port().store.claim(continueTask(1, 1), claimBy('m1', 2000))).toBeUndefined();
      // Nor by one its holder forwarded to the slow lane: only a resume's release takes it.
      const forwarded = continueTask(1, 1, { forwardedFrom: 'm1' });
      expect(await port().store.claim(forwarded, claimBy('m2', 2000))).toBeUndefined();
      expect(await stored()).toEqual(held);
    });

    test('once ended meanwhile it keeps no heldUntil, and its returning task does not take it', async () => {
      await capped();
      // m1 still holds the claim of run 1, so it may end the delivery (e.g. the subscription was deleted).
      const held = (await stored())!;
      const cancel = endedWithout(held, 'cancelled', 2000);
      expect(await port().store.record(held, cancel, 'm1')).toBe(true);
      const ended = await stored();
      expect(ended).toMatchObject({ status: 'cancelled', reason: cancel.reason });
      expect(ended?.heldUntil).toBeUndefined();
      const back = continueTask(1, 1, { forwardedFrom: 'm1' });
      expect(await port().store.claim(back, claimBy('m9', 86_400_000))).toBeUndefined();
      expect(await stored()).toEqual(ended);
    });
  });

  describe('tenants', () => {
    test('the same delivery id in two tenants is two deliveries', async () => {
      const acme = await dispatched();
      const task = { ...startTask('dispatch', 'bus-1', { tenantId: 'globex' }), deliveryId: acme.id };
      const globex = await port().store.claim(task, claimBy('g1', 500));
      expect(globex).toMatchObject({ tenantId: 'globex', id: acme.id, claimMessageId: 'g1', run: 1 });
      expect(await port().store.get('acme', acme.id)).toEqual(acme);
      expect(await port().store.record(globex!, attempted(globex!, 'succeeded', 600), 'm1')).toBe(false);
      expect(await port().store.get('umbrella', acme.id)).toBeUndefined();
    });
  });
});
