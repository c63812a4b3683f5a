/**
 * SubscriptionRepository: what the subscriptions API writes. A create never overwrites, an update
 * applies only to an existing item that meets its condition (kind, status, secrets version), a
 * delete says whether there was anything to delete; all within the caller's tenant.
 */
import { describe, expect, test } from '@jest/globals';
import { describePort } from '../../../../test/setup/contract';
import { at, subscription } from './examples';
import { freshEach, subscriptionImplementations } from './implementations';

describePort('SubscriptionRepository', subscriptionImplementations, (make) => {
  const port = freshEach(make);

  const later = at(60_000).toISOString();

  describe('create and get', () => {
    test('gives back what was created, secrets included', async () => {
      const record = subscription();
      await port().repository.create(record);
      expect(await port().repository.get('acme', 'sub_1')).toEqual(record);
    });

    test('refuses an id that exists, and keeps the first', async () => {
      const first = subscription();
      await port().repository.create(first);
      const second = subscription({ url: 'https://elsewhere.example.com/', secrets: [] });
      await expect(port().repository.create(second)).rejects.toMatchObject({
        name: 'ConditionalCheckFailedException',
      });
      expect(await port().repository.get('acme', 'sub_1')).toEqual(first);
    });

    test('the same id in another tenant is another subscription', async () => {
      const acme = subscription();
      const globex = subscription({ tenantId: 'globex', url: 'https://globex.example.com/' });
      await port().repository.create(acme);
      await port().repository.create(globex);
      expect(await port().repository.get('acme', 'sub_1')).toEqual(acme);
      expect(await port().repository.get('globex', 'sub_1')).toEqual(globex);
      expect(await port().repository.get('umbrella', 'sub_1')).toBeUndefined();
    });
  });

  describe('update', () => {
    test('sets and removes attributes and gives back the item after', async () => {
      await port().repository.create(subscription());
      const after = await port().repository.update('acme', 'sub_1', {
        set: { eventTypes: ['invoice.*'], updatedAt: later },
        remove: ['description'],
      });
      const { description: _removed, ...rest } = subscription();
      const expected = { ...rest, eventTypes: ['invoice.*'], updatedAt: later };
      expect(after).toEqual(expected);
      expect(await port().repository.get('acme', 'sub_1')).toEqual(expected);
    });

    test('an undefined value leaves the attribute as it is', async () => {
      await port().repository.create(subscription());
      await port().repository.update('acme', 'sub_1', { set: { description: undefined, updatedAt: later } });
      expect(await port().repository.get('acme', 'sub_1')).toEqual(subscription({ updatedAt: later }));
    });

    test('changes nothing and creates nothing where there is no subscription', async () => {
      expect(
        await port().repository.update('acme', 'sub_1', { set: { status: 'paused', updatedAt: later } }),
      ).toBeUndefined();
      expect(await port().repository.get('acme', 'sub_1')).toBeUndefined();
      await port().repository.create(subscription());
      expect(
        await port().repository.update('globex', 'sub_1', { set: { status: 'paused' } }),
      ).toBeUndefined();
      expect(await port().repository.get('globex', 'sub_1')).toBeUndefined();
      expect(await port().repository.get('acme', 'sub_1')).toEqual(subscription());
    });

    test('a condition on the secrets version creates nothing where there is no subscription', async () => {
      // An item without a version counts as version 0: a deleted subscription must not.
      const rotate = { set: { secrets: [], secretsVersion: 1 } };
      expect(await port().repository.update('acme', 'sub_1', rotate, { secretsVersion: 0 })).toBeUndefined();
      expect(
        await port().repository.update('acme', 'sub_1', rotate, { statusIn: ['active'] }),
      ).toBeUndefined();
      expect(await port().repository.get('acme', 'sub_1')).toBeUndefined();
    });

    test('only on the kind it names', async () => {
      await port().repository.create(subscription());
      const email = { set: { email: 'ops@example.com' } };
      expect(await port().repository.update('acme', 'sub_1', email, { kind: 'email' })).toBeUndefined();
      expect(await port().repository.get('acme', 'sub_1')).toEqual(subscription());
      const url = { set: { url: 'https://new.example.com/' } };
      expect(await port().repository.update('acme', 'sub_1', url, { kind: 'webhook' })).toMatchObject(
        url.set,
      );
    });

    test('only in one of the statuses it names', async () => {
      await port().repository.create(subscription({ status: 'disabled' }));
      const pause = { set: { status: 'paused' as const } };
      expect(
        await port().repository.update('acme', 'sub_1', pause, { statusIn: ['active'] }),
      ).toBeUndefined();
      expect(await port().repository.get('acme', 'sub_1')).toMatchObject({ status: 'disabled' });
      const resume = { set: { status: 'active' as const } };
      const resumed = await port().repository.update('acme', 'sub_1', resume, {
        statusIn: ['paused', 'disabled'],
      });
      expect(resumed).toMatchObject({ status: 'active' });
      const twice = await port().repository.update('acme', 'sub_1', resume, {
        statusIn: ['paused', 'disabled'],
      });
      expect(twice).toBeUndefined();
    });

    test('only on the secrets version it read', async () => {
      await port().repository.create(subscription({ secretsVersion: 3 }));
      const rotate = (version: number) => ({ set: { secrets: [], secretsVersion: version + 1 } });
      expect(
        await port().repository.update('acme', 'sub_1', rotate(2), { secretsVersion: 2 }),
      ).toBeUndefined();
      expect(
        await port().repository.update('acme', 'sub_1', rotate(0), { secretsVersion: 0 }),
      ).toBeUndefined();
      expect(await port().repository.get('acme', 'sub_1')).toEqual(subscription({ secretsVersion: 3 }));
      const rotated = await port().repository.update('acme', 'sub_1', rotate(3), { secretsVersion: 3 });
      expect(rotated).toMatchObject({ secrets: [], secretsVersion: 4 });
    });

    test('version 0 is an item stored at version 0 (an e-mail subscription has no secrets)', async () => {
      await port().repository.create(subscription({ secretsVersion: 0 }));
      const rotate = { set: { secrets: [], secretsVersion: 1 } };
      expect(await port().repository.update('acme', 'sub_1', rotate, { secretsVersion: 1 })).toBeUndefined();
      expect(await port().repository.update('acme', 'sub_1', rotate, { secretsVersion: 0 })).toMatchObject({
        secretsVersion: 1,
      });
    });

    test('version 0 is also an item written before secrets had versions', async () => {
      const { secretsVersion: _none, ...unversioned } = subscription();
      await port().repository.create(unversioned as ReturnType<typeof subscription>);
      const rotate = { set: { secrets: [], secretsVersion: 1 } };
      expect(await port().repository.update('acme', 'sub_1', rotate, { secretsVersion: 1 })).toBeUndefined();
      expect(await port().repository.update('acme', 'sub_1', rotate, { secretsVersion: 0 })).toMatchObject({
        secretsVersion: 1,
      });
      expect(await port().repository.update('acme', 'sub_1', rotate, { secretsVersion: 0 })).toBeUndefined();
    });
  });

  describe('delete', () => {
    test('deletes, and says whether there was anything to delete', async () => {
      await port().repository.create(subscription());
      expect(await port().repository.delete('globex', 'sub_1')).toBe(false);
      expect(await port().repository.get('acme', 'sub_1')).toEqual(subscription());
      expect(await port().repository.delete('acme', 'sub_1')).toBe(true);
      expect(await port().repository.get('acme', 'sub_1')).toBeUndefined();
      expect(await port().repository.delete('acme', 'sub_1')).toBe(false);
    });
  });
});
