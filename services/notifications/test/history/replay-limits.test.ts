/**
 * Replays held in bounds: one running per subscription (a second gets the running one's id), a
 * limited number running per tenant, a window no longer than the stage allows. A replay runs from
 * its request until its job has queued its last page; a job that dies stops counting when its lease
 * ends, and a job whose subscription's record another replay has taken stops.
 */
import { describe, expect, test } from '@jest/globals';
import { dispatchMessage } from '../../src/fan-out/dispatch';
import { JOB_PAGE_SIZE } from '../../src/fan-out/jobs';
import { requestReplay, type ReplayDeps } from '../../src/history/replay';
import { REPLAY_LEASE_MS } from '../../src/model/replays';
import { eventSortKey } from '../../src/model/table-keys';
import { InvalidInput, QuotaExceeded, ReplayRunning } from '../../src/problems';
import { world } from '../support/world';

const HOUR = 3600_000;

function replayWorld(overrides: Partial<ReplayDeps> = {}) {
  const w = world();
  let ids = 0;
  const deps = (): ReplayDeps => ({
    subscriptions: w.subscriptions,
    replays: w.usage,
    jobs: { send: (job) => w.queues.sendJob(job) },
    now: w.now,
    newId: () => `rp-${++ids}`,
    correlationId: 'corr-replay',
    retentionDays: 7,
    maxWindowHours: 24,
    tenantLimits: { subscriptions: 100, concurrentReplays: 2 },
    ...overrides,
  });
  const since = () => new Date(w.now().getTime() - HOUR).toISOString();
  return {
    w,
    replay: (subscriptionId: string, window: { since: string; until?: string } = { since: since() }) =>
      requestReplay('acme', subscriptionId, window, deps()),
    refusal: (subscriptionId: string, window: { since: string; until?: string } = { since: since() }) =>
      requestReplay('acme', subscriptionId, window, deps()).then(
        () => undefined,
        (error: unknown) => error,
      ),
    /** Runs the job pages queued on the dispatch queue, the ones they queue included. */
    async runJobs() {
      const results = [];
      for (let job = w.queues.jobs.shift(); job; job = w.queues.jobs.shift()) {
        results.push(await dispatchMessage(JSON.stringify(job.job), w.dispatchDeps));
      }
      return results;
    },
    async stored(count: number) {
      for (let i = 0; i < count; i++) {
        const at = new Date(w.now().getTime() - 30 * 60_000 + i).toISOString();
        await w.deliveries.put({
          tenantId: 'acme',
          eventKey: eventSortKey(at, `evt-${i}`),
          envelope: w.keys.sign({ id: `evt-${i}` }),
          expiresAt: 0,
        });
      }
    },
  };
}

describe('one replay of a subscription at a time', () => {
  test('a second while the first runs is refused with the running one’s id; nothing more is queued', async () => {
    const { w, replay, refusal } = replayWorld();
    const { subscription } = await w.subscribe();
    expect(await replay(subscription.id)).toMatchObject({ replayId: 'rp-1' });
    const error = await refusal(subscription.id);
    expect(error).toBeInstanceOf(ReplayRunning);
    expect(error).toMatchObject({ replayId: 'rp-1' });
    expect(w.queues.jobs).toHaveLength(1);
  });

  test('it runs until its job has queued its last page, then another may start', async () => {
    const { w, replay, refusal, runJobs, stored } = replayWorld();
    const { subscription } = await w.subscribe();
    await stored(JOB_PAGE_SIZE + 5);
    await replay(subscription.id);
    // The first page: tasks queued, the job for the next page too; still running.
    const first = w.queues.jobs.shift()!;
    expect(await dispatchMessage(JSON.stringify(first.job), w.dispatchDeps)).toMatchObject({ more: true });
    expect(await refusal(subscription.id)).toBeInstanceOf(ReplayRunning);
    // The last page frees it.
    expect(await runJobs()).toEqual([expect.objectContaining({ more: false, tasks: 5 })]);
    expect(w.queues.tasks).toHaveLength(JOB_PAGE_SIZE + 5);
    await expect(replay(subscription.id)).resolves.toMatchObject({ replayId: expect.any(String) });
  });

  test('each page renews the lease, so a long replay keeps running', async () => {
    const { w, replay, refusal, stored } = replayWorld();
    const { subscription } = await w.subscribe();
    await stored(JOB_PAGE_SIZE * 2 + 1);
    await replay(subscription.id);
    for (let page = 0; page < 2; page++) {
      w.advance(REPLAY_LEASE_MS / 1000 - 60);
      const job = w.queues.jobs.shift()!;
      await dispatchMessage(JSON.stringify(job.job), w.dispatchDeps);
      expect(await refusal(subscription.id)).toBeInstanceOf(ReplayRunning);
    }
  });

  test('a job that dies stops counting when its lease ends; if it comes back, it has been superseded', async () => {
    const { w, replay, refusal, runJobs } = replayWorld();
    const { subscription } = await w.subscribe();
    await replay(subscription.id);
    const dead = w.queues.jobs.shift()!;
    w.advance(REPLAY_LEASE_MS / 1000 - 1);
    expect(await refusal(subscription.id)).toBeInstanceOf(ReplayRunning);
    w.advance(2);
    const { replayId } = await replay(subscription.id);
    // The dead job redriven: it stops, and the new replay still holds the subscription.
    expect(await dispatchMessage(JSON.stringify(dead.job), w.dispatchDeps)).toEqual({
      kind: 'job',
      job: 'replay',
      tenantId: 'acme',
      tasks: 0,
      more: false,
      superseded: true,
    });
    expect(await refusal(subscription.id)).toMatchObject({ replayId });
    await runJobs();
    await expect(replay(subscription.id)).resolves.toBeDefined();
  });

  test('a job for a subscription deleted or disabled meanwhile frees it', async () => {
    const { w, replay, runJobs } = replayWorld();
    const { subscription: deleted } = await w.subscribe();
    const { subscription: disabled } = await w.subscribe();
    await replay(deleted.id);
    await replay(disabled.id);
    await w.subscriptions.delete('acme', deleted.id);
    await w.subscriptions.update('acme', disabled.id, { set: { status: 'disabled' } });
    await runJobs();
    expect((await w.usage.running('acme')).replays).toEqual([]);
  });

  test('a job that could not be queued frees the subscription at once', async () => {
    const { w } = replayWorld();
    const { subscription } = await w.subscribe();
    const failing = replayWorld({
      subscriptions: w.subscriptions,
      replays: w.usage,
      jobs: {
        send: async () => {
          throw new Error('SQS unavailable');
        },
      },
    });
    await expect(failing.replay(subscription.id)).rejects.toThrow('SQS unavailable');
    expect((await w.usage.running('acme')).replays).toEqual([]);
  });
});

describe('replays running per tenant', () => {
  test('one past the limit is refused (quota-exceeded), naming the limit and how many run', async () => {
    const { w, replay, refusal, runJobs } = replayWorld();
    const subs = [];
    for (let i = 0; i < 3; i++) subs.push((await w.subscribe()).subscription.id);
    await replay(subs[0]!);
    await replay(subs[1]!);
    const error = await refusal(subs[2]!);
    expect(error).toBeInstanceOf(QuotaExceeded);
    expect(error).toMatchObject({ quota: 'concurrentReplays', limit: 2, current: 2 });
    // Another tenant is not held back by acme's.
    const { subscription: theirs } = await w.subscribe({}, 'globex');
    await expect(
      requestReplay(
        'globex',
        theirs.id,
        { since: new Date(w.now().getTime() - HOUR).toISOString() },
        {
          subscriptions: w.subscriptions,
          replays: w.usage,
          jobs: { send: (job) => w.queues.sendJob(job) },
          now: w.now,
          newId: () => 'rp-globex',
          correlationId: 'corr',
          retentionDays: 7,
          maxWindowHours: 24,
          tenantLimits: { subscriptions: 100, concurrentReplays: 2 },
        },
      ),
    ).resolves.toMatchObject({ replayId: 'rp-globex' });
    await runJobs();
    await expect(replay(subs[2]!)).resolves.toBeDefined();
  });

  test('replays past their lease do not count, and their records are dropped', async () => {
    const { w, replay } = replayWorld();
    const subs = [];
    for (let i = 0; i < 3; i++) subs.push((await w.subscribe()).subscription.id);
    await replay(subs[0]!);
    w.advance(REPLAY_LEASE_MS / 2000);
    await replay(subs[1]!);
    // The first one's lease has ended, the second's has not.
    w.advance(REPLAY_LEASE_MS / 2000 + 1);
    await replay(subs[2]!);
    expect((await w.usage.running('acme')).replays.map((r) => r.subscriptionId)).toEqual([subs[1], subs[2]]);
  });

  test('of many requested at once, only as many as the limit start', async () => {
    const { w, replay } = replayWorld();
    const subs = [];
    for (let i = 0; i < 5; i++) subs.push((await w.subscribe()).subscription.id);
    const results = await Promise.allSettled(subs.map((id) => replay(id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason),
    ).toEqual(Array(3).fill(expect.objectContaining({ name: 'QuotaExceeded', limit: 2 })));
    expect(w.queues.jobs).toHaveLength(2);
  });
});

describe('a replay window', () => {
  test('up to maxReplayWindowHours is accepted', async () => {
    const { w, replay } = replayWorld();
    const { subscription } = await w.subscribe();
    const since = new Date(w.now().getTime() - 24 * HOUR).toISOString();
    await expect(replay(subscription.id, { since })).resolves.toMatchObject({ since });
  });

  test.each([
    ['since too long ago', () => ({ since: -25 * HOUR }), '/body/since'],
    ['since to until too long', () => ({ since: -30 * HOUR, until: -1 * HOUR }), '/body/until'],
    [
      'until in the future is cut to now first',
      () => ({ since: -25 * HOUR, until: 5 * HOUR }),
      '/body/until',
    ],
  ])('longer is refused, naming the limit (%s)', async (_label, window, pointer) => {
    const { w, refusal } = replayWorld();
    const { subscription } = await w.subscribe();
    const at = (offset: number) => new Date(w.now().getTime() + offset).toISOString();
    const { since, until } = window() as { since: number; until?: number };
    const error = await refusal(subscription.id, {
      since: at(since),
      ...(until === undefined ? {} : { until: at(until) }),
    });
    expect(error).toBeInstanceOf(InvalidInput);
    expect((error as InvalidInput).problems).toEqual([
      { pointer, message: expect.stringContaining('at most 24 hour(s)') },
    ]);
    expect(w.queues.jobs).toEqual([]);
    expect((await w.usage.running('acme')).replays).toEqual([]);
  });

  test('a window within the limit that ends in the future is accepted', async () => {
    const { w, replay } = replayWorld();
    const { subscription } = await w.subscribe();
    const at = (offset: number) => new Date(w.now().getTime() + offset).toISOString();
    await expect(
      replay(subscription.id, { since: at(-23 * HOUR), until: at(5 * HOUR) }),
    ).resolves.toBeDefined();
  });
});
