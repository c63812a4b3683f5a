/**
 * A replay's dry run: the number of stored events of the window that the replay would send (its
 * filters, its window), with the replay's checks, and no replay started or counted.
 */
import { describe, expect, test } from '@jest/globals';
import { dispatchMessage } from '../../src/fan-out/dispatch';
import { previewReplay, requestReplay } from '../../src/history/replay';
import { eventSortKey } from '../../src/model/table-keys';
import { InvalidInput, NotFound } from '../../src/problems';
import { world } from '../support/world';

const MINUTE = 60_000;

function previewWorld() {
  const w = world();
  const at = (offsetMs: number) => new Date(w.now().getTime() + offsetMs).toISOString();
  const deps = {
    subscriptions: w.subscriptions,
    events: w.deliveries,
    now: w.now,
    retentionDays: 7,
    maxWindowHours: 24,
  };
  return {
    w,
    at,
    deps,
    async stored(id: string, type: string, busTime: string, tenantId = 'acme') {
      await w.deliveries.put({
        tenantId,
        eventKey: eventSortKey(busTime, id),
        envelope: w.keys.sign({ id, type, tenantid: tenantId }),
        expiresAt: 0,
      });
    },
  };
}

describe("a replay's dry run", () => {
  test('counts exactly the events the replay then sends: in the window, matching the filters', async () => {
    const { w, at, deps, stored } = previewWorld();
    const { subscription } = await w.subscribe({ eventTypes: ['order.*'] });
    await stored('before', 'order.created', at(-61 * MINUTE));
    await stored('a', 'order.created', at(-60 * MINUTE));
    await stored('b', 'order.paid', at(-30 * MINUTE));
    await stored('c', 'invoice.sent', at(-30 * MINUTE));
    await stored('d', 'order.created', at(-10 * MINUTE));
    await stored('after', 'order.created', at(-9 * MINUTE));
    await stored('theirs', 'order.created', at(-30 * MINUTE), 'globex');
    const window = { since: at(-60 * MINUTE), until: at(-10 * MINUTE) };

    const preview = await previewReplay('acme', subscription.id, { ...window, dryRun: true }, deps);
    expect(preview).toEqual({ dryRun: true, events: 3, since: window.since, until: window.until });
    expect(w.queues.jobs).toHaveLength(0);
    expect((await w.usage.running('acme')).replays).toEqual([]);

    await requestReplay('acme', subscription.id, window, {
      subscriptions: w.subscriptions,
      jobs: { send: (job) => w.queues.sendJob(job) },
      now: w.now,
      newId: () => 'rp-1',
      correlationId: 'c',
      retentionDays: 7,
      replays: w.usage,
      maxWindowHours: 24,
      tenantLimits: w.subscriptionDeps.tenantLimits,
    });
    for (let job = w.queues.jobs.shift(); job; job = w.queues.jobs.shift())
      await dispatchMessage(JSON.stringify(job.job), w.dispatchDeps);
    expect(w.queues.tasks.map((queued) => queued.task.eventId).sort()).toEqual(['a', 'b', 'd']);
  });

  test("a subscription to everything counts every event of the window but Herald's own; until defaults to now", async () => {
    const { w, at, deps, stored } = previewWorld();
    const { subscription } = await w.subscribe({ eventTypes: ['*'] });
    await stored('a', 'order.created', at(-5 * MINUTE));
    await stored('b', 'invoice.sent', at(-1 * MINUTE));
    // `*` never matches operational events: a replay would not send this one.
    await stored('c', 'herald.subscription.disabled', at(-2 * MINUTE));
    const preview = await previewReplay(
      'acme',
      subscription.id,
      { since: at(-6 * MINUTE), dryRun: true },
      deps,
    );
    expect(preview).toMatchObject({ events: 2, until: at(0) });
  });

  test("the replay's checks: the window and the subscription", async () => {
    const { w, at, deps } = previewWorld();
    const { subscription } = await w.subscribe();
    await expect(
      previewReplay('acme', subscription.id, { since: at(-25 * 3600_000), dryRun: true }, deps),
    ).rejects.toThrow(InvalidInput);
    await expect(
      previewReplay('acme', subscription.id, { since: at(MINUTE), dryRun: true }, deps),
    ).rejects.toThrow(InvalidInput);
    await expect(
      previewReplay('globex', subscription.id, { since: at(-MINUTE), dryRun: true }, deps),
    ).rejects.toThrow(NotFound);
  });
});
