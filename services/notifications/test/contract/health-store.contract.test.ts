/**
 * HealthStore: the only subscription attributes the delivery functions write. Failures are counted
 * on an active subscription only, from the first failure's time; a success clears them; the slow
 * mark keeps the time it was first set; a disable happens once, to an active subscription. None of
 * them brings a deleted subscription back.
 */
import { describe, expect, test } from '@jest/globals';
import { describePort } from '../../../../test/setup/contract';
import { at, subscription } from './examples';
import { freshEach, subscriptionImplementations } from './implementations';

describePort('HealthStore', subscriptionImplementations, (make) => {
  const port = freshEach(make);

  const fast = (ms: number) => ({ now: at(ms), slow: false });
  const slow = (ms: number) => ({ now: at(ms), slow: true });
  const current = () => port().repository.get('acme', 'sub_1');

  describe('failed', () => {
    test('counts failures in a row, keeping the time of the first', async () => {
      await port().repository.create(subscription());
      const first = at(1000).toISOString();
      expect(await port().health.failed('acme', 'sub_1', fast(1000))).toEqual({
        status: 'active',
        consecutiveFailures: 1,
        failingSince: first,
      });
      expect(await port().health.failed('acme', 'sub_1', fast(2000))).toEqual({
        status: 'active',
        consecutiveFailures: 2,
        failingSince: first,
      });
      expect(await port().health.failed('acme', 'sub_1', fast(3000))).toMatchObject({
        consecutiveFailures: 3,
      });
      expect(await current()).toEqual(subscription({ consecutiveFailures: 3, failingSince: first }));
    });

    test('a slow failure marks the subscription slow, from the first slow answer', async () => {
      await port().repository.create(subscription());
      await port().health.failed('acme', 'sub_1', slow(1000));
      await port().health.failed('acme', 'sub_1', slow(2000));
      expect(await current()).toMatchObject({ slowSince: at(1000).toISOString() });
    });

    test('only on an active subscription: paused or disabled ones are not counted', async () => {
      for (const [id, status] of [
        ['sub_p', 'paused'],
        ['sub_d', 'disabled'],
      ] as const) {
        await port().repository.create(subscription({ id, status }));
        expect(await port().health.failed('acme', id, slow(1000))).toBeUndefined();
        expect(await port().repository.get('acme', id)).toEqual(subscription({ id, status }));
      }
    });

    test('a deleted subscription is not brought back', async () => {
      expect(await port().health.failed('acme', 'sub_1', slow(1000))).toBeUndefined();
      expect(await current()).toBeUndefined();
      await port().repository.create(subscription());
      expect(await port().health.failed('globex', 'sub_1', fast(1000))).toBeUndefined();
      expect(await port().repository.get('globex', 'sub_1')).toBeUndefined();
    });
  });

  describe('recovered', () => {
    test('clears the failure record; a fast answer clears the slow mark', async () => {
      await port().repository.create(subscription());
      await port().health.failed('acme', 'sub_1', slow(1000));
      await port().health.recovered('acme', 'sub_1', fast(2000));
      expect(await current()).toEqual(subscription({ consecutiveFailures: 0 }));
    });

    test('a slow answer sets the slow mark, keeping the time it was first set', async () => {
      await port().repository.create(subscription());
      await port().health.failed('acme', 'sub_1', fast(1000));
      await port().health.recovered('acme', 'sub_1', slow(2000));
      expect(await current()).toEqual(
        subscription({ consecutiveFailures: 0, slowSince: at(2000).toISOString() }),
      );
      await port().health.recovered('acme', 'sub_1', slow(3000));
      expect(await current()).toMatchObject({ slowSince: at(2000).toISOString() });
    });

    test('a deleted subscription is not brought back', async () => {
      await port().health.recovered('acme', 'sub_1', slow(1000));
      expect(await current()).toBeUndefined();
    });
  });

  describe('markSlow', () => {
    test('sets the slow mark once, keeping the time it was first set, and touches nothing else', async () => {
      await port().repository.create(subscription());
      await port().health.failed('acme', 'sub_1', fast(1000));
      await port().health.markSlow('acme', 'sub_1', at(2000));
      await port().health.markSlow('acme', 'sub_1', at(3000));
      expect(await current()).toEqual(
        subscription({
          consecutiveFailures: 1,
          failingSince: at(1000).toISOString(),
          slowSince: at(2000).toISOString(),
        }),
      );
    });

    test('a deleted subscription is not brought back', async () => {
      await port().health.markSlow('acme', 'sub_1', at(1000));
      expect(await current()).toBeUndefined();
    });
  });

  describe('disable', () => {
    test('disables an active subscription once, saying why and by which delivery', async () => {
      await port().repository.create(subscription());
      const why = { reason: 'HTTP 410', deliveryId: 'msg_1', now: at(5000) };
      expect(await port().health.disable('acme', 'sub_1', why)).toBe(true);
      const disabled = subscription({
        status: 'disabled',
        disabledAt: at(5000).toISOString(),
        disabledReason: 'HTTP 410',
        disabledByDelivery: 'msg_1',
        updatedAt: at(5000).toISOString(),
      });
      expect(await current()).toEqual(disabled);
      const again = { reason: 'failing for 72 hours', deliveryId: 'msg_2', now: at(6000) };
      expect(await port().health.disable('acme', 'sub_1', again)).toBe(false);
      expect(await current()).toEqual(disabled);
    });

    test('a paused subscription is not disabled', async () => {
      await port().repository.create(subscription({ status: 'paused' }));
      const why = { reason: 'HTTP 410', deliveryId: 'msg_1', now: at(5000) };
      expect(await port().health.disable('acme', 'sub_1', why)).toBe(false);
      expect(await current()).toEqual(subscription({ status: 'paused' }));
    });

    test('a deleted subscription is not brought back', async () => {
      const why = { reason: 'HTTP 410', deliveryId: 'msg_1', now: at(5000) };
      expect(await port().health.disable('acme', 'sub_1', why)).toBe(false);
      expect(await current()).toBeUndefined();
    });
  });
});
