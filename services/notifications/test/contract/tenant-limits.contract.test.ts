/**
 * The stores behind the abuse limits, each run against its in-memory stand-in
 * (test/support/memory-limits.ts) and its DynamoDB adapter on one subscriptions table:
 *
 * - DeliverySlots: a subscription's delivery slots under its rate limit, one reservation at a time
 *   whoever asks, each slot taken once;
 * - SubscriptionQuota: a tenant's subscriptions counted, and a new one created only while that count
 *   holds;
 * - ReplayRegistry and ReplayLeases: the replays running per subscription, admitted one at a time,
 *   renewed and released by their jobs, never released by another replay.
 */
import { expect, test } from '@jest/globals';
import { contractAws, describePort, tableFromTemplate } from '../../../../test/setup/contract';
import { DynamoDeliverySlots } from '../../src/adapters/dynamo-delivery-slots';
import { DynamoSubscriptionStore } from '../../src/adapters/dynamo-subscription-store';
import { DynamoTenantUsage } from '../../src/adapters/dynamo-tenant-usage';
import type { DeliverySlots } from '../../src/delivery/ports';
import type { ReplayLeases } from '../../src/fan-out/ports';
import type { ReplayRegistry } from '../../src/history/ports';
import type { RunningReplay } from '../../src/model/replays';
import type {
  SubscriptionQuota,
  SubscriptionRepository,
  SubscriptionStore,
} from '../../src/subscriptions/ports';
import { MemorySubscriptions } from '../support/memory';
import { MemorySlots, MemoryTenantUsage } from '../support/memory-limits';
import { at, subscription, T0 } from './examples';
import { freshEach, type Implementation } from './implementations';

interface Limits {
  slots: DeliverySlots;
  usage: SubscriptionQuota & ReplayRegistry & ReplayLeases;
  repository: SubscriptionRepository;
  listing: SubscriptionStore;
}

const implementations: ReadonlyArray<Implementation<Limits>> = [
  {
    name: 'memory',
    make: () => {
      const subscriptions = new MemorySubscriptions();
      return {
        slots: new MemorySlots(subscriptions),
        usage: new MemoryTenantUsage(subscriptions),
        repository: subscriptions,
        listing: subscriptions,
      };
    },
  },
  {
    name: 'DynamoDB',
    make: async () => {
      const { dynamodb } = contractAws();
      const table = await tableFromTemplate('notifications', 'SubscriptionsTable');
      const store = new DynamoSubscriptionStore(dynamodb, table);
      return {
        slots: new DynamoDeliverySlots(dynamodb, table),
        usage: new DynamoTenantUsage(dynamodb, table),
        repository: store,
        listing: store,
      };
    },
  },
];

const replay = (id: string, subscriptionId = 'sub_1', leaseMs = 60_000): RunningReplay => ({
  id,
  subscriptionId,
  startedAt: at(0).toISOString(),
  leaseUntil: at(leaseMs).toISOString(),
});

describePort('DeliverySlots', implementations, (make) => {
  const port = freshEach(make);
  const reserve = (now: number, busy?: boolean) =>
    port().slots.reserve('acme', 'sub_1', {
      now: T0 + now,
      intervalMs: 500,
      ...(busy === undefined ? {} : { busy }),
    });

  test('an idle subscription’s slot is now, whatever the caller expected', async () => {
    await port().repository.create(subscription());
    expect(await reserve(0, true)).toBe(T0);
    // The last slot has passed: now again.
    expect(await reserve(10_000, true)).toBe(T0 + 10_000);
    expect(await reserve(20_000, false)).toBe(T0 + 20_000);
  });

  test('slots taken ahead of now follow one another an interval apart', async () => {
    await port().repository.create(subscription());
    expect(await reserve(0)).toBe(T0);
    expect(await reserve(0, false)).toBe(T0 + 500);
    expect(await reserve(100, true)).toBe(T0 + 1000);
    // At exactly the next free slot: that slot.
    expect(await reserve(1500)).toBe(T0 + 1500);
    expect(await reserve(1500, true)).toBe(T0 + 2000);
  });

  test('reservations at the same time each get a slot of their own', async () => {
    await port().repository.create(subscription());
    const slots = await Promise.all(Array.from({ length: 10 }, (_, i) => reserve(0, i % 2 === 0)));
    expect([...slots].sort((a, b) => a! - b!)).toEqual(Array.from({ length: 10 }, (_, i) => T0 + i * 500));
  });

  test('`count` slots in a row are reserved at once: the first, the next free one `count` intervals on', async () => {
    await port().repository.create(subscription());
    const three = (now: number, busy?: boolean) =>
      port().slots.reserve('acme', 'sub_1', {
        now: T0 + now,
        intervalMs: 500,
        count: 3,
        ...(busy === undefined ? {} : { busy }),
      });
    expect(await three(0)).toBe(T0);
    expect(await reserve(0)).toBe(T0 + 1500);
    expect(await three(0, false)).toBe(T0 + 2000);
    expect(await reserve(0, true)).toBe(T0 + 3500);
    // The mark passed: now again, and the next free slot three intervals on.
    expect(await three(10_000, true)).toBe(T0 + 10_000);
    expect(await reserve(10_000)).toBe(T0 + 11_500);
  });

  test('a subscription that does not exist has no slots, and is not brought back', async () => {
    expect(await reserve(0)).toBeUndefined();
    expect(await reserve(0, true)).toBeUndefined();
    expect(await port().repository.get('acme', 'sub_1')).toBeUndefined();
    await port().repository.create(subscription({ tenantId: 'globex' }));
    expect(await reserve(0)).toBeUndefined();
  });

  test('the mark is the only thing written: the subscription is otherwise untouched', async () => {
    await port().repository.create(subscription());
    await reserve(0);
    expect(await port().repository.get('acme', 'sub_1')).toEqual({ ...subscription(), rateSlotAt: T0 + 500 });
  });
});

describePort('SubscriptionQuota', implementations, (make) => {
  const port = freshEach(make);
  const sub = (id: string, tenantId = 'acme') => subscription({ id, tenantId });

  test('counts the tenant’s subscriptions, whatever their status, and no other tenant’s', async () => {
    expect(await port().usage.count('acme')).toEqual({ subscriptions: 0, version: 0 });
    await port().repository.create(sub('sub_a'));
    await port().repository.create(subscription({ id: 'sub_b', status: 'disabled' }));
    await port().repository.create(sub('sub_c', 'globex'));
    expect((await port().usage.count('acme')).subscriptions).toBe(2);
    expect((await port().usage.count('globex')).subscriptions).toBe(1);
  });

  test('creates at the version counted, and moves the version on', async () => {
    const { version } = await port().usage.count('acme');
    expect(await port().usage.create(sub('sub_a'), version)).toBe(true);
    expect(await port().repository.get('acme', 'sub_a')).toEqual(sub('sub_a'));
    const after = await port().usage.count('acme');
    expect(after).toEqual({ subscriptions: 1, version: version + 1 });
    expect(await port().usage.create(sub('sub_b'), after.version)).toBe(true);
    expect(await port().usage.count('acme')).toEqual({ subscriptions: 2, version: version + 2 });
  });

  test('a creation counted before another landed is refused and writes nothing', async () => {
    const { version } = await port().usage.count('acme');
    expect(await port().usage.create(sub('sub_a'), version)).toBe(true);
    expect(await port().usage.create(sub('sub_b'), version)).toBe(false);
    expect(await port().repository.get('acme', 'sub_b')).toBeUndefined();
    expect(await port().usage.create(sub('sub_b'), version + 2)).toBe(false);
    expect((await port().usage.count('acme')).subscriptions).toBe(1);
  });

  test('of many created at once at one version, exactly one is written', async () => {
    const results = await Promise.all(
      ['sub_a', 'sub_b', 'sub_c', 'sub_d'].map((id) => port().usage.create(sub(id), 0)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await port().usage.count('acme')).subscriptions).toBe(1);
  });

  test('an id that exists throws as create does, and keeps the first', async () => {
    await port().usage.create(sub('sub_a'), 0);
    const other = subscription({ id: 'sub_a', url: 'https://elsewhere.example.com/' });
    await expect(port().usage.create(other, 1)).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    expect(await port().repository.get('acme', 'sub_a')).toEqual(sub('sub_a'));
  });

  test('versions are per tenant, and the usage record is never listed as a subscription', async () => {
    await port().usage.create(sub('sub_a'), 0);
    expect(await port().usage.create(sub('sub_a', 'globex'), 0)).toBe(true);
    expect((await port().listing.listByPartition('TENANT#acme', 10)).items.map((s) => s.id)).toEqual([
      'sub_a',
    ]);
  });
});

describePort('ReplayRegistry and ReplayLeases', implementations, (make) => {
  const port = freshEach(make);
  const running = () => port().usage.running('acme');

  test('nothing recorded at first; a start records the replay and moves the version on', async () => {
    expect(await running()).toEqual({ replays: [], version: 0 });
    expect(await port().usage.start('acme', replay('r1'), [], 0)).toBe(true);
    expect(await running()).toEqual({ replays: [replay('r1')], version: 1 });
    expect(await port().usage.start('acme', replay('r2', 'sub_2'), [], 1)).toBe(true);
    const after = await running();
    expect(after.version).toBe(2);
    expect(after.replays).toEqual(expect.arrayContaining([replay('r1'), replay('r2', 'sub_2')]));
    expect(after.replays).toHaveLength(2);
  });

  test('a start at a version that moved is refused and records nothing', async () => {
    await port().usage.start('acme', replay('r1'), [], 0);
    expect(await port().usage.start('acme', replay('r2', 'sub_2'), [], 0)).toBe(false);
    expect(await port().usage.start('acme', replay('r3', 'sub_3'), [], 7)).toBe(false);
    expect(await running()).toEqual({ replays: [replay('r1')], version: 1 });
  });

  test('of many started at once at one version, exactly one is recorded', async () => {
    await port().usage.start('acme', replay('r0', 'sub_0'), [], 0);
    const results = await Promise.all(
      ['sub_a', 'sub_b', 'sub_c'].map((s, i) => port().usage.start('acme', replay(`r${i}`, s), [], 1)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await running()).replays).toHaveLength(2);
  });

  test('a start drops the records of the expired subscriptions named, and only those', async () => {
    await port().usage.start('acme', replay('r1', 'sub_1'), [], 0);
    await port().usage.start('acme', replay('r2', 'sub_2'), [], 1);
    await port().usage.start('acme', replay('r3', 'sub_3'), ['sub_1'], 2);
    expect((await running()).replays.map((r) => r.id).sort()).toEqual(['r2', 'r3']);
  });

  test('a start replaces the subscription’s own expired record', async () => {
    await port().usage.start('acme', replay('r1', 'sub_1', -1), [], 0);
    await port().usage.start('acme', replay('r2', 'sub_1'), [], 1);
    expect((await running()).replays).toEqual([replay('r2', 'sub_1')]);
  });

  test('tenants are apart', async () => {
    await port().usage.start('acme', replay('r1'), [], 0);
    expect(await port().usage.running('globex')).toEqual({ replays: [], version: 0 });
    expect(await port().usage.start('globex', replay('g1'), [], 0)).toBe(true);
    expect(await running()).toEqual({ replays: [replay('r1')], version: 1 });
  });

  test('renewing extends the holder’s lease, and refuses another replay of the subscription', async () => {
    await port().usage.start('acme', replay('r1'), [], 0);
    expect(await port().usage.renew('acme', replay('r1', 'sub_1', 600_000))).toBe(true);
    expect(await running()).toEqual({ replays: [replay('r1', 'sub_1', 600_000)], version: 1 });
    expect(await port().usage.renew('acme', replay('r9', 'sub_1', 900_000))).toBe(false);
    expect((await running()).replays).toEqual([replay('r1', 'sub_1', 600_000)]);
  });

  test('renewing a replay with no record takes the free record, and keeps its version', async () => {
    // A job queued before replays were recorded: nothing at all for the tenant.
    expect(await port().usage.renew('acme', replay('r1'))).toBe(true);
    const first = await running();
    expect(first.replays).toEqual([replay('r1')]);
    // A record that was dropped while others are kept.
    await port().usage.start('acme', replay('r2', 'sub_2'), [], first.version);
    await port().usage.finish('acme', 'sub_1', 'r1');
    expect(await port().usage.renew('acme', replay('r1'))).toBe(true);
    expect(await running()).toEqual({
      replays: expect.arrayContaining([replay('r1'), replay('r2', 'sub_2')]),
      version: first.version + 1,
    });
  });

  test('of replays renewing at once a subscription no replay holds, exactly one takes it', async () => {
    // Nothing recorded for the tenant at all, then a record without this subscription. The renewals
    // race only when their reads land before any write: several contenders and several subscriptions
    // make that all but certain, so a renewal that overwrote a record taken meanwhile is caught.
    for (const subscriptionId of ['sub_1', 'sub_2', 'sub_3', 'sub_4', 'sub_5', 'sub_6']) {
      const results = await Promise.all(
        ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'].map((id) =>
          port().usage.renew('acme', replay(`${id}-${subscriptionId}`, subscriptionId)),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const holder = (await running()).replays.find((r) => r.subscriptionId === subscriptionId);
      expect(holder?.id).toBe(`r${results.indexOf(true) + 1}-${subscriptionId}`);
    }
  });

  test('a renewal that made the record moves the version on, so an admission read before it is retried', async () => {
    expect(await port().usage.renew('acme', replay('r1'))).toBe(true);
    expect(await port().usage.start('acme', replay('r2', 'sub_2'), [], 0)).toBe(false);
  });

  test('finishing frees the subscription only for the replay that holds it', async () => {
    await port().usage.start('acme', replay('r1'), [], 0);
    await port().usage.start('acme', replay('r2', 'sub_2'), [], 1);
    await port().usage.finish('acme', 'sub_1', 'r9');
    await port().usage.finish('acme', 'sub_3', 'r1');
    expect((await running()).replays).toHaveLength(2);
    await port().usage.finish('acme', 'sub_1', 'r1');
    expect(await running()).toEqual({ replays: [replay('r2', 'sub_2')], version: 2 });
    // Again, and for a tenant with nothing recorded: nothing happens.
    await port().usage.finish('acme', 'sub_1', 'r1');
    await port().usage.finish('globex', 'sub_1', 'r1');
    expect(await port().usage.running('globex')).toEqual({ replays: [], version: 0 });
  });

  test('subscription creations and replays keep versions of their own on one record', async () => {
    await port().usage.start('acme', replay('r1'), [], 0);
    expect(await port().usage.count('acme')).toEqual({ subscriptions: 0, version: 0 });
    expect(await port().usage.create(subscription({ id: 'sub_a' }), 0)).toBe(true);
    expect(await running()).toEqual({ replays: [replay('r1')], version: 1 });
  });
});
