/**
 * A subscription's content filter through the service: written (create, PATCH, 422 with the
 * filter's pointer), shown, applied by dispatch, by a replay and by a replay's dry run, and tried
 * on stored events by test-filter.
 */
import { describe, expect, test } from '@jest/globals';
import { dispatchMessage } from '../../src/fan-out/dispatch';
import { previewReplay, requestReplay } from '../../src/history/replay';
import { testFilter } from '../../src/history/test-filter';
import { eventSortKey } from '../../src/model/table-keys';
import { InvalidInput } from '../../src/problems';
import { getSubscription } from '../../src/subscriptions/lifecycle';
import { listSubscriptions } from '../../src/subscriptions/list';
import { updateSubscription } from '../../src/subscriptions/update';
import { world } from '../support/world';

const BIG = { data: { total: [{ numeric: ['>', 100] }] } };
const MINUTE = 60_000;

async function problemsOf(work: Promise<unknown>) {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInput);
  return (error as InvalidInput).problems;
}

describe('writing a filter', () => {
  test('created with its subscription, stored as text, shown as the object in get and list', async () => {
    const w = world();
    const { subscription } = await w.subscribe({ filter: BIG });
    expect(subscription.filter).toEqual(BIG);
    const stored = (await w.subscriptions.get('acme', subscription.id))!;
    expect(stored.filterJson).toBe(JSON.stringify(BIG));
    expect(await getSubscription('acme', subscription.id, w.subscriptions)).toMatchObject({ filter: BIG });
    const page = await listSubscriptions('acme', {}, w.subscriptions);
    expect(page.items[0]).toMatchObject({ filter: BIG });
    expect(page.items[0]).not.toHaveProperty('filterJson');
  });

  test('a refused filter is a 422 naming its place inside /body/filter, and nothing is stored', async () => {
    const w = world();
    const problems = await problemsOf(
      w.subscribe({ filter: { data: { total: [{ numeric: ['>', 'x'] }] } } }),
    );
    expect(problems).toEqual([{ pointer: '/body/filter/data/total/0', message: expect.any(String) }]);
    expect(w.subscriptions.items.size).toBe(0);
  });

  test('PATCH: a filter replaces the filter, null removes it, absence keeps it', async () => {
    const w = world();
    const { subscription } = await w.subscribe({ filter: BIG });
    const patch = (body: Parameters<typeof updateSubscription>[2]) =>
      updateSubscription('acme', subscription.id, body, w.subscriptionDeps);
    const small = { data: { total: [{ numeric: ['<', 10] }] } };
    expect((await patch({ filter: small })).filter).toEqual(small);
    expect((await patch({ description: 'kept' })).filter).toEqual(small);
    const removed = await patch({ filter: null });
    expect(removed).not.toHaveProperty('filter');
    expect((await w.subscriptions.get('acme', subscription.id))!).not.toHaveProperty('filterJson');
    const problems = await problemsOf(patch({ filter: { $or: [{ type: ['a.b'] }] } }));
    expect(problems).toEqual([{ pointer: '/body/filter/$or', message: expect.stringMatching(/at least 2/) }]);
  });
});

describe('applying a filter', () => {
  test('dispatch queues a task only for the events the filter matches', async () => {
    const w = world();
    const { subscription: big } = await w.subscribe({ filter: BIG });
    const { subscription: all } = await w.subscribe();
    expect(await w.publish(w.keys.sign({ data: { total: 250 } }))).toMatchObject({ tasks: 2 });
    expect(await w.publish(w.keys.sign({ data: { total: 50 } }))).toMatchObject({ tasks: 1 });
    expect(await w.publish(w.keys.sign({ data: { amount: 500 } }))).toMatchObject({ tasks: 1 });
    const reached = w.queues.tasks.map((queued) => queued.task.subscriptionId);
    expect(reached.filter((id) => id === big.id)).toHaveLength(1);
    expect(reached.filter((id) => id === all.id)).toHaveLength(3);
  });

  test('a filter changed by PATCH applies from the next event', async () => {
    const w = world();
    const { subscription } = await w.subscribe({ filter: BIG });
    expect(await w.publish(w.keys.sign({ data: { total: 50 } }))).toMatchObject({ tasks: 0 });
    await updateSubscription('acme', subscription.id, { filter: null }, w.subscriptionDeps);
    expect(await w.publish(w.keys.sign({ data: { total: 50 } }))).toMatchObject({ tasks: 1 });
  });

  test('a replay and its dry run send and count only the events the filter matches', async () => {
    const w = world();
    const at = (offsetMs: number) => new Date(w.now().getTime() + offsetMs).toISOString();
    const { subscription } = await w.subscribe({ eventTypes: ['*'], filter: BIG });
    const totals = { a: 250, b: 50, c: 101, d: 100 };
    for (const [id, total] of Object.entries(totals))
      await w.deliveries.put({
        tenantId: 'acme',
        eventKey: eventSortKey(at(-30 * MINUTE), id),
        envelope: w.keys.sign({ id, data: { total } }),
        expiresAt: 0,
      });
    const window = { since: at(-60 * MINUTE) };
    const deps = {
      subscriptions: w.subscriptions,
      events: w.deliveries,
      now: w.now,
      retentionDays: 7,
      maxWindowHours: 24,
    };
    expect(await previewReplay('acme', subscription.id, { ...window, dryRun: true }, deps)).toMatchObject({
      events: 2,
    });
    await requestReplay('acme', subscription.id, window, {
      ...deps,
      jobs: { send: (job) => w.queues.sendJob(job) },
      newId: () => 'rp-1',
      correlationId: 'c',
      replays: w.usage,
      tenantLimits: w.subscriptionDeps.tenantLimits,
    });
    for (let job = w.queues.jobs.shift(); job; job = w.queues.jobs.shift())
      await dispatchMessage(JSON.stringify(job.job), w.dispatchDeps);
    expect(w.queues.tasks.map((queued) => queued.task.eventId).sort()).toEqual(['a', 'c']);
  });
});

describe('test-filter', () => {
  function stored() {
    const w = world();
    const at = (offsetMs: number) => new Date(w.now().getTime() + offsetMs).toISOString();
    const put = (id: string, type: string, total: number, offsetMs: number, tenantId = 'acme') =>
      w.deliveries.put({
        tenantId,
        eventKey: eventSortKey(at(offsetMs), id),
        envelope: w.keys.sign({ id, type, data: { total }, tenantid: tenantId }),
        expiresAt: 0,
      });
    const deps = {
      events: w.deliveries,
      now: w.now,
      retentionDays: 7,
    };
    return { w, at, put, deps };
  }

  test("answers the tenant's newest stored events the filter and event types match, newest first", async () => {
    const { at, put, deps } = stored();
    await put('old', 'order.created', 500, -3 * 60 * MINUTE);
    await put('a', 'order.created', 250, -30 * MINUTE);
    await put('b', 'order.created', 50, -20 * MINUTE);
    await put('c', 'invoice.sent', 900, -10 * MINUTE);
    await put('theirs', 'order.created', 999, -5 * MINUTE, 'globex');

    const all = await testFilter('acme', { filter: BIG }, deps);
    expect(all).toEqual({
      matched: [
        { id: 'c', type: 'invoice.sent', time: at(-10 * MINUTE) },
        { id: 'a', type: 'order.created', time: at(-30 * MINUTE) },
        { id: 'old', type: 'order.created', time: at(-3 * 60 * MINUTE) },
      ],
      examined: 4,
      truncated: false,
    });
    const orders = await testFilter(
      'acme',
      { filter: BIG, eventTypes: ['order.*'], since: at(-60 * MINUTE) },
      deps,
    );
    expect(orders).toEqual({
      matched: [{ id: 'a', type: 'order.created', time: at(-30 * MINUTE) }],
      examined: 3,
      truncated: false,
    });
    expect(await testFilter('acme', { filter: BIG, limit: 2 }, deps)).toMatchObject({
      matched: [{ id: 'c' }],
      examined: 2,
      truncated: true,
    });
  });

  test('a refused filter, event type or future since is a 422', async () => {
    const { at, deps } = stored();
    const problems = await problemsOf(
      testFilter('acme', { filter: { type: 'x' }, eventTypes: ['Order'], since: at(MINUTE) }, deps),
    );
    expect(problems.map((p) => p.pointer)).toEqual([
      '/body/filter/type',
      '/body/eventTypes/0',
      '/body/since',
    ]);
  });
});
