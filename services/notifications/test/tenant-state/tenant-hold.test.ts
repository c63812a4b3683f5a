/**
 * A suspended tenant's deliveries, on the in-memory world: held exactly as a paused subscription's
 * (the same hold, the same release job), whatever brings the task (dispatch, a retry, a redelivery,
 * a replay, an ordered subject's next event); released on resume, in order, each once; held for good
 * when the tenant is deleted; the latest status change wins whatever order the events come in.
 */
import { describe, expect, test } from '@jest/globals';
import { dispatchMessage } from '../../src/fan-out/dispatch';
import { redeliver } from '../../src/history/redelivery';
import { pauseSubscription, resumeSubscription } from '../../src/subscriptions/lifecycle';
import { applyTenantStatus } from '../../src/tenant-state/apply';
import type { TenantStatusStamp } from '../../src/tenant-state/ports';
import { MemoryTenantState } from '../support/memory';
import { world } from '../support/world';

function tenantWorld() {
  const w = world();
  const store = new MemoryTenantState(w.subscriptions, w.usage);
  let ids = 0;
  const deps = {
    store,
    jobs: { send: (job: never, delay?: number) => w.queues.sendJob(job, delay) },
    newId: () => `job-${++ids}`,
  };
  const status = (stamp: TenantStatusStamp, tenantId = 'acme') =>
    applyTenantStatus(tenantId, stamp, 'corr-tenant', deps as never);
  /** Runs every release job queued, as the dispatch queue's poller would. */
  const runJobs = async () => {
    let tasks = 0;
    for (const { job } of w.queues.jobs.splice(0)) {
      tasks += ((await dispatchMessage(JSON.stringify(job), w.dispatchDeps)) as { tasks: number }).tasks;
    }
    return tasks;
  };
  const received = () => w.requests.map((request) => JSON.parse(request.body).id as string);
  return { w, store, status, runJobs, received };
}

const T1 = '2026-12-01T10:00:00.000Z';
const T2 = '2026-12-01T10:05:00.000Z';
const T3 = '2026-12-01T10:10:00.000Z';

describe("a suspended tenant's deliveries", () => {
  test('are held, not sent; a resume releases them in order, each once, even when the resume comes twice', async () => {
    const { w, status, runJobs, received } = tenantWorld();
    const { subscription } = await w.subscribe();
    expect(await status({ status: 'suspended', at: T1 })).toMatchObject({ stamped: 1, released: 0 });

    for (const id of ['e1', 'e2', 'e3']) await w.publish(w.keys.sign({ id }));
    // A second apart: the held index gives them back by when each delivery was made (held).
    for (let i = 0; i < 3; i++) {
      expect(await w.run()).toBe('held');
      w.advance(1);
    }
    expect(w.requests).toEqual([]);
    const held = (await w.deliveries.listBySubscription('acme', subscription.id, 10)).items;
    expect(held.map((d) => d.status)).toEqual(['held', 'held', 'held']);

    // The resume, and the same event again (the bus and the queue deliver at least once).
    expect(await status({ status: 'active', at: T2 })).toMatchObject({ stamped: 1, released: 1 });
    expect(await status({ status: 'active', at: T2 })).toMatchObject({ stamped: 1, released: 1 });
    expect(await runJobs()).toBe(6); // two release jobs, each paging the three held
    const outcomes: string[] = [];
    while (w.queues.tasks.length > 0) outcomes.push(await w.run());
    expect(outcomes.filter((o) => o === 'succeeded')).toHaveLength(3);
    expect(outcomes.filter((o) => o !== 'succeeded').every((o) => o === 'duplicate')).toBe(true);
    expect(received()).toEqual(['e1', 'e2', 'e3']);
  });

  test('a retry and a redelivery of a suspended tenant wait too', async () => {
    const { w, status, runJobs, received } = tenantWorld();
    const { subscription } = await w.subscribe();
    await w.publish(w.keys.sign({ id: 'failing' }));
    await w.publish(w.keys.sign({ id: 'done' }));
    w.answers.push({ statusCode: 503, durationMs: 5 });
    expect(await w.run()).toBe('retrying');
    expect(await w.run()).toBe('succeeded');

    await status({ status: 'suspended', at: T1 });
    w.advance(5);
    expect(await w.run()).toBe('held'); // the retry
    const done = (await w.deliveries.listBySubscription('acme', subscription.id, 10)).items.find(
      (d) => d.eventId === 'done',
    )!;
    await redeliver('acme', done.id, {
      history: w.deliveries,
      subscriptions: w.subscriptions,
      queue: w.queues,
      newId: () => 'redelivery-1',
      correlationId: 'corr-redeliver',
    });
    expect(await w.run()).toBe('held');
    expect(received()).toEqual(['failing', 'done']);

    await status({ status: 'active', at: T2 });
    expect(await runJobs()).toBe(2);
    expect([await w.run(), await w.run()]).toEqual(['succeeded', 'succeeded']);
    expect(received().sort()).toEqual(['done', 'done', 'failing', 'failing']);
  });

  test("a subscription its owner paused stays held after the tenant's resume, until its own", async () => {
    const { w, status, runJobs, received } = tenantWorld();
    const { subscription } = await w.subscribe();
    await pauseSubscription('acme', subscription.id, w.subscriptionDeps);
    await status({ status: 'suspended', at: T1 });
    await w.publish(w.keys.sign({ id: 'e1' }));
    expect(await w.run()).toBe('held');

    expect(await status({ status: 'active', at: T2 })).toMatchObject({ released: 0 });
    expect(await runJobs()).toBe(0);
    await resumeSubscription('acme', subscription.id, {
      ...w.subscriptionDeps,
      jobs: { send: (job, delay) => w.queues.sendJob(job, delay) },
      correlationId: 'corr-resume',
    });
    expect(await runJobs()).toBe(1);
    expect(await w.run()).toBe('succeeded');
    expect(received()).toEqual(['e1']);
  });

  test('a resume that arrives before the suspension it follows wins; a deleted tenant stays held for good', async () => {
    const { w, status, received } = tenantWorld();
    const { subscription } = await w.subscribe();
    // Resumed at T2 comes first, the suspension of T1 after it: the tenant is active.
    await status({ status: 'active', at: T2 });
    expect(await status({ status: 'suspended', at: T1 })).toMatchObject({ stamped: 0 });
    await w.publish(w.keys.sign({ id: 'e1' }));
    expect(await w.run()).toBe('succeeded');

    await status({ status: 'deleted', at: T3 });
    // A late resume (of any time) never undoes a deletion.
    expect(await status({ status: 'active', at: '2026-12-02T00:00:00.000Z' })).toMatchObject({ stamped: 0 });
    await w.publish(w.keys.sign({ id: 'e2' }));
    expect(await w.run()).toBe('held');
    expect(received()).toEqual(['e1']);
    expect(await w.subscriptions.get('acme', subscription.id)).toMatchObject({
      status: 'active',
      tenantStatus: 'deleted',
    });
  });

  test("an ordered subscription's subject waits whole and goes on in sequence after the resume", async () => {
    const { w, status, runJobs, received } = tenantWorld();
    await w.subscribe({ ordering: 'subject' });
    await status({ status: 'suspended', at: T1 });
    for (const n of [1, 2, 3]) await w.publish(w.keys.sign({ id: `order-${n}`, subject: 'order' }), n);
    expect(await w.run()).toBe('held');
    expect(w.queues.tasks).toEqual([]);
    await status({ status: 'active', at: T2 });
    expect(await runJobs()).toBe(1);
    while (w.queues.tasks.length > 0) await w.run();
    expect(received()).toEqual(['order-1', 'order-2', 'order-3']);
  });

  test('a subscription created while the authorizer still lets the tenant in carries its hold', async () => {
    const { w, status, runJobs, received } = tenantWorld();
    await status({ status: 'suspended', at: T1 });
    // Counted before the suspension was stamped, created after: the creation counts again.
    const count = w.usage.count.bind(w.usage);
    let first = true;
    w.usage.count = async (tenantId) => {
      const counted = await count(tenantId);
      if (!first) return counted;
      first = false;
      const { tenant: _stamped, ...before } = counted;
      return before;
    };
    const { subscription } = await w.subscribe();
    expect(await w.subscriptions.get('acme', subscription.id)).toMatchObject({
      tenantStatus: 'suspended',
      tenantStatusAt: T1,
    });
    await w.publish(w.keys.sign({ id: 'e1' }));
    expect(await w.run()).toBe('held');
    await status({ status: 'active', at: T2 });
    expect(await runJobs()).toBe(1);
    expect(await w.run()).toBe('succeeded');
    expect(received()).toEqual(['e1']);
  });

  test("a deletion that arrives after the tenant's erasure leaves nothing naming the tenant", async () => {
    const { w, status } = tenantWorld();
    // The tenant's data is gone already (the same tenant.deleted started its erasure).
    expect(await status({ status: 'deleted', at: T3 })).toEqual({
      tenantId: 'acme',
      status: 'deleted',
      stamped: 0,
      released: 0,
    });
    expect(w.usage.usage.has('acme')).toBe(false);
  });

  test("another tenant's deliveries go on", async () => {
    const { w, status, received } = tenantWorld();
    await w.subscribe({}, 'acme');
    await w.subscribe({}, 'globex');
    await status({ status: 'suspended', at: T1 }, 'acme');
    await w.publish(w.keys.sign({ id: 'acme-1' }));
    await w.publish(w.keys.sign({ id: 'globex-1', tenantid: 'globex' }));
    expect([await w.run(), await w.run()].sort()).toEqual(['held', 'succeeded']);
    expect(received()).toEqual(['globex-1']);
  });
});
