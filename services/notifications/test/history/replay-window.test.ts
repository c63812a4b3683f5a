/**
 * What a replay re-delivers: the stored events whose bus time falls in its window, from `since`
 * through `until`, and nothing either side; an `until` in the future is cut to the time of the
 * request, so events stored after it are not replayed by it.
 */
import { describe, expect, test } from '@jest/globals';
import { dispatchMessage } from '../../src/fan-out/dispatch';
import { requestReplay } from '../../src/history/replay';
import { eventSortKey } from '../../src/model/table-keys';
import { world } from '../support/world';

const MINUTE = 60_000;

function replayWorld() {
  const w = world();
  const at = (offsetMs: number) => new Date(w.now().getTime() + offsetMs).toISOString();
  return {
    w,
    at,
    /** An event as dispatch keeps it, stored at `busTime`. */
    async stored(id: string, busTime: string) {
      await w.deliveries.put({
        tenantId: 'acme',
        eventKey: eventSortKey(busTime, id),
        envelope: w.keys.sign({ id, type: 'order.created' }),
        expiresAt: 0,
      });
    },
    async replay(subscriptionId: string, window: { since: string; until?: string }) {
      return requestReplay('acme', subscriptionId, window, {
        subscriptions: w.subscriptions,
        jobs: { send: (job) => w.queues.sendJob(job) },
        now: w.now,
        newId: () => 'rp-1',
        correlationId: 'corr-replay',
        retentionDays: 7,
        replays: w.usage,
        maxWindowHours: 24,
        tenantLimits: w.subscriptionDeps.tenantLimits,
      });
    },
    /** Runs the replay's job pages on the dispatch queue; the ids of the events it queued. */
    async replayedIds() {
      for (let job = w.queues.jobs.shift(); job; job = w.queues.jobs.shift()) {
        await dispatchMessage(JSON.stringify(job.job), w.dispatchDeps);
      }
      return w.queues.tasks.splice(0).map((queued) => queued.task.eventId);
    },
  };
}

describe('a replay window', () => {
  test('takes the events from since through until, and none before or after', async () => {
    const { w, at, stored, replay, replayedIds } = replayWorld();
    const { subscription } = await w.subscribe();
    const since = at(-60 * MINUTE);
    const until = at(-10 * MINUTE);
    await stored('before-since', at(-60 * MINUTE - 1));
    await stored('at-since', since);
    await stored('inside', at(-30 * MINUTE));
    // The window's end is inclusive: the event log reads every event stored at exactly `until`.
    await stored('at-until', until);
    await stored('after-until', at(-10 * MINUTE + 1));
    await stored('now', at(0));

    expect(await replay(subscription.id, { since, until })).toEqual({ replayId: 'rp-1', since, until });
    expect((await replayedIds()).sort()).toEqual(['at-since', 'at-until', 'inside']);
  });

  test('an until in the future is cut to the time of the request: later events are not replayed', async () => {
    const { w, at, stored, replay, replayedIds } = replayWorld();
    const { subscription } = await w.subscribe();
    const since = at(-10 * MINUTE);
    const requestedAt = at(0);
    await stored('earlier', at(-5 * MINUTE));
    await stored('at-request', requestedAt);

    const accepted = await replay(subscription.id, { since, until: at(60 * MINUTE) });
    expect(accepted).toEqual({ replayId: 'rp-1', since, until: requestedAt });
    expect(w.queues.jobs[0]!.job).toMatchObject({ since, until: requestedAt });

    // Stored after the request, before the until it asked for.
    await stored('after-request', at(1));
    await stored('later-still', at(30 * MINUTE));
    expect((await replayedIds()).sort()).toEqual(['at-request', 'earlier']);
  });

  test('without an until, the window ends at the time of the request', async () => {
    const { w, at, stored, replay, replayedIds } = replayWorld();
    const { subscription } = await w.subscribe();
    const since = at(-10 * MINUTE);
    await stored('earlier', at(-1));
    const accepted = await replay(subscription.id, { since });
    expect(accepted.until).toBe(at(0));
    await stored('after-request', at(1));
    expect(await replayedIds()).toEqual(['earlier']);
  });
});
