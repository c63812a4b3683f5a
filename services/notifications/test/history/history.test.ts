import { describe, expect, test } from '@jest/globals';
import { listDeliveries } from '../../src/history/deliveries-list';
import { redeliver } from '../../src/history/redelivery';
import { requestReplay } from '../../src/history/replay';
import { InvalidCursor } from '@herald/shared/cursor';
import { Conflict, InvalidInput, NotFound } from '../../src/problems';
import { world } from '../support/world';

describe('delivery history', () => {
  test('lists a subscription’s deliveries, newest first, with attempts, page by page', async () => {
    const w = world();
    const { subscription } = await w.subscribe();
    for (let i = 0; i < 3; i++) {
      await w.publish(w.keys.sign({ id: `e${i}` }));
      await w.run();
      w.advance(1);
    }
    const deps = { history: w.deliveries, subscriptions: w.subscriptions };
    const first = await listDeliveries('acme', subscription.id, { limit: 2 }, deps);
    expect(first.items.map((d) => d.eventId)).toEqual(['e2', 'e1']);
    expect(first.items[0]).toMatchObject({ status: 'succeeded', attempts: [{ statusCode: 200 }] });
    const second = await listDeliveries(
      'acme',
      subscription.id,
      { limit: 2, cursor: first.nextCursor! },
      deps,
    );
    expect(second.items.map((d) => d.eventId)).toEqual(['e0']);
    expect(second.nextCursor).toBeUndefined();
  });

  test('another tenant gets 404, and a cursor cannot cross tenants', async () => {
    const w = world();
    const { subscription } = await w.subscribe();
    const deps = { history: w.deliveries, subscriptions: w.subscriptions };
    await expect(listDeliveries('globex', subscription.id, {}, deps)).rejects.toBeInstanceOf(NotFound);
    const forged = Buffer.from(
      JSON.stringify([`TENANT#acme#SUB#${subscription.id}`, 'x', 'TENANT#acme', 'y']),
    ).toString('base64url');
    await expect(listDeliveries('globex', subscription.id, { cursor: forged }, deps)).rejects.toBeInstanceOf(
      InvalidCursor,
    );
  });
});

describe('redelivery', () => {
  test('queues a new run of the same delivery', async () => {
    const w = world();
    const { subscription } = await w.subscribe();
    await w.publish(w.keys.sign());
    await w.run();
    const [delivery] = (await w.deliveries.listBySubscription('acme', subscription.id, 1)).items;
    const queued = await redeliver('acme', delivery!.id, {
      history: w.deliveries,
      subscriptions: w.subscriptions,
      queue: w.queues,
      newId: () => 'rd-1',
      correlationId: 'corr-rd',
    });
    expect(queued).toEqual({ deliveryId: delivery!.id, status: 'queued' });
    expect(await w.run()).toBe('succeeded');
    expect(w.requests.map((r) => r.headers['webhook-id'])).toEqual([delivery!.id, delivery!.id]);
    const after = await w.deliveries.get('acme', delivery!.id);
    expect(after).toMatchObject({ run: 2, attemptCount: 1, startReason: 'redeliver' });
    expect(after!.attempts.map((a) => a.run)).toEqual([1, 2]);
  });

  test('is refused for another tenant’s delivery and for a disabled subscription', async () => {
    const w = world();
    const { subscription } = await w.subscribe();
    await w.publish(w.keys.sign());
    await w.run();
    const [delivery] = (await w.deliveries.listBySubscription('acme', subscription.id, 1)).items;
    const deps = {
      history: w.deliveries,
      subscriptions: w.subscriptions,
      queue: w.queues,
      newId: () => 'x',
      correlationId: 'c',
    };
    await expect(redeliver('globex', delivery!.id, deps)).rejects.toBeInstanceOf(NotFound);
    await w.subscriptions.update('acme', subscription.id, { set: { status: 'disabled' } });
    await expect(redeliver('acme', delivery!.id, deps)).rejects.toBeInstanceOf(Conflict);
  });
});

describe('replay requests', () => {
  const deps = (w: ReturnType<typeof world>) => ({
    subscriptions: w.subscriptions,
    jobs: { send: (job: Parameters<typeof w.queues.sendJob>[0]) => w.queues.sendJob(job) },
    now: w.now,
    newId: () => 'rp-1',
    correlationId: 'corr',
    retentionDays: 7,
    replays: w.usage,
    maxWindowHours: 24,
    tenantLimits: w.subscriptionDeps.tenantLimits,
  });

  test('queue a job from since to now', async () => {
    const w = world();
    const { subscription } = await w.subscribe();
    const since = new Date(w.now().getTime() - 3600_000).toISOString();
    const accepted = await requestReplay('acme', subscription.id, { since }, deps(w));
    expect(accepted).toEqual({ replayId: 'rp-1', since, until: w.now().toISOString() });
    expect(w.queues.jobs[0]!.job).toMatchObject({ job: 'replay', since, subscriptionId: subscription.id });
  });

  test.each([
    ['since in the future', () => ({ since: new Date(Date.now() + 60_000).toISOString() }), '/body/since'],
    [
      'until before since',
      () => ({
        since: new Date(Date.now() - 60_000).toISOString(),
        until: new Date(Date.now() - 120_000).toISOString(),
      }),
      '/body/until',
    ],
    [
      'since beyond retention',
      () => ({ since: new Date(Date.now() - 8 * 86400_000).toISOString() }),
      '/body/since',
    ],
  ])('%s is refused', async (_label, input, pointer) => {
    const w = world();
    const { subscription } = await w.subscribe();
    const error = await requestReplay('acme', subscription.id, input(), deps(w)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInput);
    expect((error as InvalidInput).problems[0]!.pointer).toBe(pointer);
    expect(w.queues.jobs).toEqual([]);
  });

  test('of an unknown subscription is 404', async () => {
    const w = world();
    await expect(
      // A window the world's fixed clock accepts: only the subscription is wrong.
      requestReplay(
        'acme',
        'sub_nope',
        { since: new Date(w.now().getTime() - 3600_000).toISOString() },
        deps(w),
      ),
    ).rejects.toBeInstanceOf(NotFound);
  });
});
