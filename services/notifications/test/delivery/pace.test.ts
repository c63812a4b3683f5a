/**
 * The per-subscription rate limit: the slot arithmetic and the wait decision as pure functions, then
 * deliver keeping a subscription to its rate. Deliveries over the rate wait their turn (in the
 * function when it is a moment away, on the queue otherwise): nothing is dropped, and the wait is no
 * attempt, no hop, no slow answer and no failure.
 */
import { describe, expect, test } from '@jest/globals';
import { coalescedSlots } from '../../src/adapters/coalesced-ports';
import { MAX_IN_PROCESS_WAIT_MS, paceDecision, reserveSlot } from '../../src/delivery/pace';
import { deliverTask } from '../../src/delivery/pipeline';
import type { Channel, DeliverDeps } from '../../src/delivery/ports';
import { effectiveRate, rateLimitProblem, slotInterval } from '../../src/model/rate-limit';
import type { QueuedTask } from '../support/memory';
import { world } from '../support/world';

const T = Date.parse('2026-11-28T10:00:00.000Z');

describe('a reservation (GCRA: the next free slot)', () => {
  test.each([
    ['never reserved', undefined, 1000, { slot: 1000, nextFree: 1500 }],
    ['the last slot has passed', 400, 1000, { slot: 1000, nextFree: 1500 }],
    ['the next free slot is now', 1000, 1000, { slot: 1000, nextFree: 1500 }],
    ['slots are taken ahead', 3000, 1000, { slot: 3000, nextFree: 3500 }],
  ])('%s', (_label, nextFree, now, expected) => {
    expect(reserveSlot(nextFree, now, 500)).toEqual(expected);
  });

  test('a burst reserves slots one interval apart from the first', () => {
    let nextFree: number | undefined;
    const slots = Array.from({ length: 5 }, () => {
      const reserved = reserveSlot(nextFree, T, 250);
      nextFree = reserved.nextFree;
      return reserved.slot - T;
    });
    expect(slots).toEqual([0, 250, 500, 750, 1000]);
  });
});

describe('waiting for a slot', () => {
  test('a slot now or past goes at once', () => {
    expect(paceDecision(T, T)).toEqual({ kind: 'go' });
    expect(paceDecision(T - 5000, T)).toEqual({ kind: 'go' });
  });

  test('a slot up to a second away is waited for in the function', () => {
    expect(paceDecision(T + 1, T)).toEqual({ kind: 'sleep', ms: 1 });
    expect(paceDecision(T + MAX_IN_PROCESS_WAIT_MS, T)).toEqual({ kind: 'sleep', ms: 1000 });
  });

  test('a later slot is waited for on the queue, back a little before it (whole seconds, up to SQS’s 15 minutes)', () => {
    expect(paceDecision(T + 1001, T)).toEqual({
      kind: 'queue',
      notBefore: new Date(T + 1001).toISOString(),
      delaySeconds: 1,
    });
    expect(paceDecision(T + 2999, T)).toMatchObject({ delaySeconds: 2 });
    expect(paceDecision(T + 3600_000, T)).toMatchObject({ kind: 'queue', delaySeconds: 900 });
  });
});

describe('the rate of a subscription', () => {
  const limits = { default: 50, max: 500 };
  test('its own, or the stage default, never above the stage maximum', () => {
    expect(effectiveRate(2, limits)).toBe(2);
    expect(effectiveRate(undefined, limits)).toBe(50);
    expect(effectiveRate(1000, limits)).toBe(500);
  });

  test('an interval rounded up, so the rate is never exceeded', () => {
    expect(slotInterval(2)).toBe(500);
    expect(slotInterval(3)).toBe(334);
    expect(slotInterval(1000)).toBe(1);
  });

  test('more than the stage maximum is refused, naming it', () => {
    expect(rateLimitProblem(500, limits)).toBeUndefined();
    expect(rateLimitProblem(501, limits)).toBe(
      "must be at most 500 deliveries per second (the stage's maximum)",
    );
  });
});

/** A world whose receiver notes when each webhook was sent, by the world's clock. */
function pacedWorld(rateLimit: number, config: Parameters<typeof world>[0] = {}) {
  const w = world(config);
  const sent: number[] = [];
  const channel: Channel = {
    async attempt() {
      sent.push(w.now().getTime());
      return { statusCode: 200, durationMs: 5 };
    },
  };
  const deps = (queued: QueuedTask): DeliverDeps => ({
    ...w.deliverDeps(queued.lane === 'email' ? 'email' : queued.lane),
    channel,
  });
  /** Runs every queued task, each no sooner than SQS would hand it over (the clock moves to it). */
  async function drain(): Promise<string[]> {
    const outcomes: string[] = [];
    while (w.queues.tasks.length > 0) {
      const next = w.queues.take();
      const due = next.task.notBefore ? Date.parse(next.task.notBefore) : 0;
      if (due > w.now().getTime()) w.advance((due - w.now().getTime()) / 1000);
      outcomes.push(await deliverTask(next.task, next.messageId, deps(next)));
    }
    return outcomes;
  }
  return { w, sent, deps, drain, subscribe: () => w.subscribe({ rateLimit }) };
}

describe('deliver at a subscription’s rate', () => {
  test('a burst of 10 at 2/s: all delivered, one every 500 ms, each in one attempt, nothing failed', async () => {
    // One failure would disable it, and an answer of a second would mark it slow.
    const { w, sent, drain, subscribe } = pacedWorld(2, { disableAfterFailures: 1, slowThresholdMs: 1000 });
    const { subscription } = await subscribe();
    for (let i = 0; i < 10; i++) await w.publish(w.keys.sign({ type: 'order.created' }));
    const outcomes = await drain();

    expect(sent).toHaveLength(10);
    const gaps = sent.slice(1).map((time, i) => time - sent[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(500);
    expect(sent.at(-1)! - sent[0]!).toBeGreaterThanOrEqual(4500);
    expect(outcomes).toEqual(Array(10).fill('succeeded'));

    const deliveries = [...w.deliveries.deliveries.values()];
    expect(deliveries).toHaveLength(10);
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({ status: 'succeeded', attemptCount: 1, run: 1 });
      expect(delivery.attempts).toEqual([expect.objectContaining({ attempt: 1, outcome: 'succeeded' })]);
    }
    expect(w.outcomes.counted).toEqual(Array(10).fill('succeeded'));
    // No failure, no slow mark: waiting is not the receiver's doing.
    const after = await w.subscriptions.get('acme', subscription.id);
    expect(after).toMatchObject({ status: 'active' });
    expect(after?.consecutiveFailures ?? 0).toBe(0);
    expect(after?.slowSince).toBeUndefined();
  });

  test('a paced task comes back as the same attempt, holding its slot, on the lane it left', async () => {
    const { w, sent, deps, subscribe } = pacedWorld(1);
    const { subscription } = await subscribe();
    await w.publish(w.keys.sign());
    const queued = w.queues.take();
    // Slots are taken 2.5 s ahead (other deliveries to it are under way).
    const slot = w.now().getTime() + 2500;
    await w.subscriptions.update('acme', subscription.id, { set: { rateSlotAt: slot } });
    expect(await deliverTask(queued.task, queued.messageId, deps(queued))).toBe('paced');

    const paced = w.queues.take();
    expect(paced.task).toMatchObject({
      paced: true,
      run: 1,
      attempt: 1,
      hops: 0,
      forwardedFrom: queued.messageId,
      notBefore: new Date(slot).toISOString(),
    });
    expect(paced.task.start).toBeUndefined();
    expect(paced).toMatchObject({ lane: 'fast', delaySeconds: 2 });
    expect(sent).toEqual([]);
    const delivery = await w.deliveries.get('acme', queued.task.deliveryId);
    expect(delivery).toMatchObject({ status: 'pending', attemptCount: 0, attempts: [] });

    // Back half a second before its slot (while the first message's claim still holds): it waits the
    // rest in the function, and is sent at its slot without reserving another.
    w.advance(2);
    expect(await deliverTask(paced.task, paced.messageId, deps(paced))).toBe('succeeded');
    expect(sent).toEqual([slot]);
    expect((await w.subscriptions.get('acme', subscription.id))?.rateSlotAt).toBe(slot + 1000);
    expect(await w.deliveries.get('acme', queued.task.deliveryId)).toMatchObject({
      status: 'succeeded',
      attemptCount: 1,
    });
  });

  test('deliveries running side by side each take a slot of their own', async () => {
    const { w, deps, subscribe } = pacedWorld(2);
    await subscribe();
    for (let i = 0; i < 10; i++) await w.publish(w.keys.sign());
    const batch = w.queues.tasks.splice(0);
    // Side by side, the waits in the function overlap: the clock stands still for them.
    const frozen = (q: QueuedTask) => ({ ...deps(q), sleep: async () => undefined });
    const outcomes = await Promise.all(batch.map((q) => deliverTask(q.task, q.messageId, frozen(q))));
    // The slots within a second are waited for in the function, the others on the queue.
    expect(outcomes.filter((o) => o === 'succeeded')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'paced')).toHaveLength(7);
    const slots = w.queues.tasks.map((q) => Date.parse(q.task.notBefore!)).sort((a, b) => a - b);
    expect(new Set(slots).size).toBe(slots.length);
    expect(slots.slice(1).every((slot, i) => slot - slots[i]! >= 500)).toBe(true);
  });

  test('a wait beyond 15 minutes hops through the queue without counting toward the hop limit', async () => {
    const { w, deps, subscribe } = pacedWorld(1);
    const { subscription } = await subscribe();
    await w.publish(w.keys.sign());
    const queued = w.queues.take();
    // Slots are taken an hour ahead (a long backlog).
    await w.subscriptions.update('acme', subscription.id, {
      set: { rateSlotAt: w.now().getTime() + 3600_000 },
    });
    expect(await deliverTask(queued.task, queued.messageId, deps(queued))).toBe('paced');
    let task = w.queues.take();
    expect(task.delaySeconds).toBe(900);
    for (let round = 0; round < 3; round++) {
      w.advance(900);
      // At the hop limit already: a wait for a slot is never what breaks it.
      const atLimit = { ...task, task: { ...task.task, hops: 200 } };
      expect(await deliverTask(atLimit.task, atLimit.messageId, deps(atLimit))).toBe('waiting');
      task = w.queues.take();
      expect(task.task.hops).toBe(200);
    }
    w.advance(900);
    expect(await deliverTask(task.task, task.messageId, deps(task))).toBe('succeeded');
  });

  test('a retry after a failed attempt reserves a slot of its own, like any attempt', async () => {
    const { w, subscribe } = pacedWorld(1);
    const { subscription } = await subscribe();
    w.answers.push({ statusCode: 503, durationMs: 5 });
    await w.publish(w.keys.sign());
    expect(await w.run()).toBe('retrying');
    const retry = w.queues.take();
    expect(retry.task.paced).toBeUndefined();
    const before = (await w.subscriptions.get('acme', subscription.id))!.rateSlotAt!;
    w.advance(10);
    expect(await w.run(retry)).toBe('succeeded');
    expect((await w.subscriptions.get('acme', subscription.id))!.rateSlotAt).toBeGreaterThan(before);
  });

  test('a subscription deleted while its delivery reserved a slot is cancelled, nothing sent', async () => {
    const { w, sent, deps, subscribe } = pacedWorld(2);
    await subscribe();
    await w.publish(w.keys.sign());
    const queued = w.queues.take();
    const gone = { ...deps(queued), slots: { reserve: async () => undefined } };
    expect(await deliverTask(queued.task, queued.messageId, gone)).toBe('cancelled');
    expect(sent).toEqual([]);
    expect(await w.deliveries.get('acme', queued.task.deliveryId)).toMatchObject({ status: 'cancelled' });
  });

  test('a subscription made before rate limits gets the stage default; one above the maximum is cut to it', async () => {
    const { w, deps } = pacedWorld(2);
    const { subscription } = await w.subscribe();
    await w.subscriptions.update('acme', subscription.id, { set: {}, remove: ['rateLimit'] });
    for (let i = 0; i < 3; i++) await w.publish(w.keys.sign());
    let reservedInterval = 0;
    const spy = (queued: QueuedTask): DeliverDeps => ({
      ...deps(queued),
      slots: {
        reserve: async (tenant, id, at) => {
          reservedInterval = at.intervalMs;
          return w.slots.reserve(tenant, id, at);
        },
      },
    });
    const first = w.queues.take();
    await deliverTask(first.task, first.messageId, spy(first));
    expect(reservedInterval).toBe(20); // the world's default, 50/s
    await w.subscriptions.update('acme', subscription.id, { set: { rateLimit: 5000 } });
    const second = w.queues.take();
    await deliverTask(second.task, second.messageId, spy(second));
    expect(reservedInterval).toBe(2); // cut to the maximum, 500/s
  });

  test('a paused subscription’s held deliveries reserve no slot: its next free slot stays where it was', async () => {
    const { w, deps, subscribe } = pacedWorld(2);
    const { subscription } = await subscribe();
    await w.subscriptions.update('acme', subscription.id, { set: { status: 'paused' } });
    for (let i = 0; i < 5; i++) await w.publish(w.keys.sign());
    for (let i = 0; i < 5; i++) {
      const queued = w.queues.take();
      expect(await deliverTask(queued.task, queued.messageId, deps(queued))).toBe('held');
    }
    expect((await w.subscriptions.get('acme', subscription.id))!.rateSlotAt).toBeUndefined();
  });

  test('the tasks of one batch reserve their slots together, in one reservation, each its own slot', async () => {
    const { w, sent, deps, subscribe } = pacedWorld(2);
    await subscribe();
    for (let i = 0; i < 4; i++) await w.publish(w.keys.sign());
    const counts: number[] = [];
    const batched = coalescedSlots(
      {
        reserve: (tenant, id, at) => {
          counts.push(at.count ?? 1);
          return w.slots.reserve(tenant, id, at);
        },
      },
      0,
    );
    const queued = w.queues.tasks.splice(0);
    const outcomes = await Promise.all(
      queued.map((task) => deliverTask(task.task, task.messageId, { ...deps(task), slots: batched })),
    );
    expect(counts).toEqual([4]);
    // Slots 500 ms apart: two within the second waited for here, the others back on the queue.
    expect(outcomes.filter((outcome) => outcome === 'succeeded')).toHaveLength(sent.length);
    expect(outcomes.filter((outcome) => outcome === 'paced').length).toBeGreaterThan(0);
    const slots = w.queues.tasks.map((q) => Date.parse(q.task.notBefore!));
    expect(new Set(slots).size).toBe(slots.length);
  });
});
