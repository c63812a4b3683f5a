/**
 * The daily e-mail cap in deliverEmail's pipeline, on the in-memory world with its clock: mails over
 * the tenant's cap are held (visible as such), go back on the e-mail queue until the next UTC day,
 * and are sent then; holding is no attempt and never fails or disables the subscription.
 */
import { describe, expect, test } from '@jest/globals';
import { emailChannel } from '../../src/delivery/email-channel';
import { nextUtcDay, utcDay } from '../../src/delivery/email-cap';
import { deliverTask } from '../../src/delivery/pipeline';
import type { AttemptResult, EmailMessage } from '../../src/delivery/ports';
import { toDeliveryView } from '../../src/history/deliveries-list';
import { MemoryEmailDays } from '../support/memory-limits';
import { world } from '../support/world';

async function cappedWorld(limit: number) {
  const w = world();
  const mails: EmailMessage[] = [];
  const answers: AttemptResult[] = [];
  const counter = new MemoryEmailDays();
  const channel = emailChannel({
    async send(message) {
      mails.push(message);
      return answers.shift() ?? { statusCode: 200, durationMs: 1 };
    },
  });
  const deps = () => ({ ...w.deliverDeps('email'), channel, emailCap: { counter, limit } });
  const subscribe = async (tenantId = 'acme') => {
    const { subscription } = await w.subscribe(
      { url: undefined, email: `ops@${tenantId}.example`, eventTypes: ['order.*'] } as never,
      tenantId,
    );
    // Confirmed: the cap is about mails an address agreed to.
    await w.subscriptions.update(tenantId, subscription.id, { set: { status: 'active' } });
    return subscription.id;
  };
  /** Runs the oldest queued task through deliverEmail's pipeline. */
  const run = async () => {
    const next = w.queues.take();
    expect(next.lane).toBe('email');
    return deliverTask(next.task, next.messageId, deps());
  };
  return { w, mails, answers, counter, subscribe, run };
}

/** Moves the world's clock to `ms` before the next UTC midnight, so one test sees a day change. */
function toBeforeMidnight(w: ReturnType<typeof world>, ms: number) {
  const now = w.now();
  w.advance((nextUtcDay(now).getTime() - now.getTime() - ms) / 1000);
}

describe('the daily e-mail cap in deliverEmail', () => {
  test('over the cap a mail is held until the next UTC day, visible as such, and no attempt', async () => {
    const { w, mails, counter, subscribe, run } = await cappedWorld(2);
    const id = await subscribe();
    toBeforeMidnight(w, 3 * 3_600_000);
    for (let i = 0; i < 3; i++) await w.publish(w.keys.sign({ type: 'order.created', data: { i } }));

    expect(await run()).toBe('succeeded');
    expect(await run()).toBe('succeeded');
    expect(await run()).toBe('held');
    expect(mails).toHaveLength(2);
    expect(counter.counts.get(`acme#${utcDay(w.now())}`)).toBe(2);

    const heldUntil = nextUtcDay(w.now()).toISOString();
    const [held] = [...w.deliveries.deliveries.values()].filter((d) => d.status === 'held');
    expect(held).toMatchObject({ status: 'held', reason: 'daily-email-cap', heldUntil, attemptCount: 0 });
    expect(held!.attempts).toEqual([]);
    expect(toDeliveryView(held!)).toMatchObject({ status: 'held', reason: 'daily-email-cap', heldUntil });

    // Back on the e-mail queue, due at midnight, delayed as far as SQS allows.
    expect(w.queues.tasks).toHaveLength(1);
    expect(w.queues.tasks[0]).toMatchObject({
      lane: 'email',
      delaySeconds: 900,
      task: { deliveryId: held!.id, notBefore: heldUntil, attempt: 1, run: 1 },
    });
    // Nothing counts against the subscription.
    expect(await w.subscriptions.get('acme', id)).toMatchObject({ status: 'active' });
    expect((await w.subscriptions.get('acme', id))!.consecutiveFailures ?? 0).toBe(0);
    expect(w.outcomes.counted).toEqual(['succeeded', 'succeeded']);
  });

  test('the held mail hops until midnight UTC, then is sent and counted on the new day', async () => {
    const { w, mails, counter, subscribe, run } = await cappedWorld(1);
    await subscribe();
    toBeforeMidnight(w, 3_600_000);
    await w.publish(w.keys.sign({ type: 'order.created', data: { first: true } }));
    await w.publish(w.keys.sign({ type: 'order.created', data: { second: true } }));
    const today = utcDay(w.now());
    expect(await run()).toBe('succeeded');
    expect(await run()).toBe('held');

    // Each return before midnight waits again: SQS delays stop at 15 minutes.
    let hops = 0;
    for (;;) {
      w.advance(w.queues.tasks[0]!.delaySeconds);
      const outcome = await run();
      if (outcome !== 'waiting') {
        expect(outcome).toBe('succeeded');
        break;
      }
      hops += 1;
    }
    expect(hops).toBe(3);
    expect(w.now().getTime()).toBeGreaterThanOrEqual(nextUtcDay(new Date(`${today}T12:00:00Z`)).getTime());
    expect(mails).toHaveLength(2);
    expect(mails[1]!.text).toContain('"second": true');
    const tomorrow = utcDay(w.now());
    expect(counter.counts.get(`acme#${today}`)).toBe(1);
    expect(counter.counts.get(`acme#${tomorrow}`)).toBe(1);

    const sent = [...w.deliveries.deliveries.values()].find((d) => mails[1]!.text.includes(d.eventId));
    expect(sent).toMatchObject({ status: 'succeeded', attemptCount: 1 });
    expect(sent!.heldUntil).toBeUndefined();
    expect(sent!.reason).toBeUndefined();
    expect(w.queues.tasks).toHaveLength(0);
  });

  test('at midnight a held mail meets its subscription as it is then: paused holds it, deleted cancels it', async () => {
    const { w, mails, subscribe, run } = await cappedWorld(1);
    const paused = await subscribe('acme');
    const deleted = await subscribe('globex');
    toBeforeMidnight(w, 60_000);
    for (const tenantid of ['acme', 'acme', 'globex', 'globex']) {
      await w.publish(w.keys.sign({ type: 'order.created', tenantid }));
    }
    expect([await run(), await run(), await run(), await run()]).toEqual([
      'succeeded',
      'held',
      'succeeded',
      'held',
    ]);
    await w.subscriptions.update('acme', paused, { set: { status: 'paused' } });
    await w.subscriptions.delete('globex', deleted);
    w.advance(60);
    expect([await run(), await run()]).toEqual(['held', 'cancelled']);
    expect(mails).toHaveLength(2);
    // Held for the resume now: in the index a release reads, no longer waiting for a day.
    const page = await w.deliveries.list('acme', paused, 10);
    expect(page.items).toHaveLength(1);
    expect((await w.deliveries.get('acme', page.items[0]!.id))!.heldUntil).toBeUndefined();
  });

  test('each tenant has its own cap', async () => {
    const { w, mails, subscribe, run } = await cappedWorld(1);
    await subscribe('acme');
    await subscribe('globex');
    await w.publish(w.keys.sign({ type: 'order.created', tenantid: 'acme' }));
    await w.publish(w.keys.sign({ type: 'order.created', tenantid: 'acme' }));
    await w.publish(w.keys.sign({ type: 'order.created', tenantid: 'globex' }));
    expect([await run(), await run(), await run()]).toEqual(['succeeded', 'held', 'succeeded']);
    expect(mails.map((m) => m.to)).toEqual(['ops@acme.example', 'ops@globex.example']);
  });

  test('a counted mail whose send fails stays counted; its retry counts again', async () => {
    const { w, mails, answers, counter, subscribe, run } = await cappedWorld(2);
    await subscribe();
    toBeforeMidnight(w, 3_600_000);
    await w.publish(w.keys.sign({ type: 'order.created' }));
    answers.push({ durationMs: 1, error: { class: 'throttled', message: 'TooManyRequestsException' } });
    expect(await run()).toBe('retrying');
    expect(counter.counts.get(`acme#${utcDay(w.now())}`)).toBe(1);
    w.advance(w.queues.tasks[0]!.delaySeconds);
    expect(await run()).toBe('succeeded');
    expect(counter.counts.get(`acme#${utcDay(w.now())}`)).toBe(2);
    expect(mails).toHaveLength(2);
  });

  test('a paused subscription’s mail is held for the resume, not counted', async () => {
    const { w, counter, subscribe, run } = await cappedWorld(1);
    const id = await subscribe();
    await w.subscriptions.update('acme', id, { set: { status: 'paused' } });
    await w.publish(w.keys.sign({ type: 'order.created' }));
    expect(await run()).toBe('held');
    expect(counter.counts.size).toBe(0);
    const [held] = [...w.deliveries.deliveries.values()];
    expect(held!.heldUntil).toBeUndefined();
  });
});
