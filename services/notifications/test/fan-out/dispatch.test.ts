import { describe, expect, test } from '@jest/globals';
import { dispatchMessage, RejectedEvent } from '../../src/fan-out/dispatch';
import { JOB_PAGE_SIZE } from '../../src/fan-out/jobs';
import { INLINE_ENVELOPE_BYTES } from '../../src/fan-out/start-task';
import { deliveryId } from '../../src/model/table-keys';
import { pauseSubscription } from '../../src/subscriptions/lifecycle';
import { world } from '../support/world';

function busEvent(detail: unknown, overrides: Record<string, unknown> = {}) {
  return JSON.stringify({
    version: '0',
    id: 'bus-1',
    source: 'herald.processing',
    'detail-type': 'event.stored',
    account: '000000000000',
    time: '2026-11-28T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
    ...overrides,
  });
}

describe('dispatch', () => {
  test('one task per matching subscription of the event’s tenant, each on its lane', async () => {
    const w = world();
    const orders = await w.subscribe({ eventTypes: ['order.*'] });
    const exact = await w.subscribe({ eventTypes: ['order.created'] });
    await w.subscribe({ eventTypes: ['invoice.*'] });
    const email = await w.subscribe({ url: undefined, email: 'ops@example.com', eventTypes: ['*'] });
    await w.subscribe({ eventTypes: ['order.*'] }, 'globex');
    const disabled = await w.subscribe({ eventTypes: ['order.*'] });
    await w.subscriptions.update('acme', disabled.subscription.id, { set: { status: 'disabled' } });
    const paused = await w.subscribe({ eventTypes: ['order.*'] });
    await pauseSubscription('acme', paused.subscription.id, w.subscriptionDeps);

    const envelope = w.keys.sign({ type: 'order.created' });
    expect(await w.publish(envelope)).toMatchObject({ kind: 'event', tenantId: 'acme', tasks: 4 });
    const bySubscription = Object.fromEntries(w.queues.tasks.map((q) => [q.task.subscriptionId, q]));
    expect(Object.keys(bySubscription).sort()).toEqual(
      [orders, exact, email, paused].map((s) => s.subscription.id).sort(),
    );
    expect(bySubscription[email.subscription.id]!.lane).toBe('email');
    expect(bySubscription[orders.subscription.id]).toMatchObject({
      lane: 'fast',
      task: {
        attempt: 1,
        start: { reason: 'dispatch' },
        deliveryId: deliveryId('acme', orders.subscription.id, envelope.id),
        correlationId: envelope.correlationid,
        envelope,
      },
    });
  });

  test('the event is kept for replay, keyed by the time the bus carried it', async () => {
    const w = world();
    const envelope = w.keys.sign();
    await dispatchMessage(busEvent(envelope), w.dispatchDeps);
    expect([...w.deliveries.events.values()]).toEqual([
      expect.objectContaining({
        tenantId: 'acme',
        eventKey: `EVT#2026-11-28T10:00:00.000Z#${envelope.id}`,
        envelope,
      }),
    ]);
  });

  test('a large envelope travels by reference', async () => {
    const w = world();
    await w.subscribe();
    await w.publish(w.keys.sign({ data: { blob: 'x'.repeat(INLINE_ENVELOPE_BYTES) } }));
    expect(w.queues.tasks[0]!.task.envelope).toBeUndefined();
    expect(await w.run()).toBe('succeeded');
  });

  test.each([
    [
      'a tampered envelope',
      (e: Record<string, unknown>) => busEvent({ ...e, data: { total: 1 } }),
      'bad-signature',
    ],
    [
      'an unsigned envelope',
      (e: Record<string, unknown>) => busEvent({ ...e, signature: undefined }),
      'schema',
    ],
    [
      'another source',
      (e: Record<string, unknown>) => busEvent(e, { source: 'someone.else' }),
      'wrong-source',
    ],
    [
      'another detail type',
      (e: Record<string, unknown>) => busEvent(e, { 'detail-type': 'delivery.failed' }),
      'wrong-source',
    ],
    [
      'a detail type dispatch does not read, from its own source',
      (e: Record<string, unknown>) =>
        busEvent(
          { subscriptionId: 's', tenantid: 'acme', eventId: e.id, reason: 'r', time: '2026-11-28T10:00:00Z' },
          { source: 'herald.notifications', 'detail-type': 'delivery.failed' },
        ),
      'unknown-detail-type',
    ],
    ['not JSON', () => '{nope', 'malformed'],
  ])('%s is rejected before anything is stored or sent', async (_label, make, reason) => {
    const w = world();
    await w.subscribe({ eventTypes: ['*'] });
    const error = await dispatchMessage(make(w.keys.sign() as never), w.dispatchDeps).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RejectedEvent);
    expect((error as RejectedEvent).reason).toBe(reason);
    expect(w.queues.tasks).toEqual([]);
    expect(w.deliveries.events.size).toBe(0);
  });

  test('an envelope signed by another key under a trusted key id is rejected', async () => {
    const w = world();
    const stranger = (await import('../support/memory')).envelopeKeys();
    const error = await dispatchMessage(busEvent(stranger.sign()), w.dispatchDeps).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'bad-signature' });
  });

  test('a replay job pages through stored events, queueing the matching ones and the next page', async () => {
    const w = world();
    const { subscription } = await w.subscribe({ eventTypes: ['order.*'] });
    for (let i = 0; i < JOB_PAGE_SIZE + 5; i++) {
      await w.deliveries.put({
        tenantId: 'acme',
        eventKey: `EVT#2026-11-28T10:${String(i % 60).padStart(2, '0')}:00.${String(i).padStart(3, '0')}Z#e${i}`,
        envelope: w.keys.sign({ id: `e${i}`, type: i % 2 === 0 ? 'order.created' : 'invoice.paid' }),
        expiresAt: 0,
      });
    }
    const job = {
      v: 1 as const,
      job: 'replay' as const,
      id: 'rp-1',
      tenantId: 'acme',
      subscriptionId: subscription.id,
      since: '2026-11-28T00:00:00.000Z',
      until: '2026-11-29T00:00:00.000Z',
      correlationId: 'corr-rp',
    };
    const first = await dispatchMessage(JSON.stringify(job), w.dispatchDeps);
    expect(first).toMatchObject({ kind: 'job', more: true });
    const [next] = w.queues.jobs.splice(0);
    expect(next!.job).toMatchObject({ job: 'replay', id: 'rp-1', cursor: expect.any(Object) });
    const second = await dispatchMessage(JSON.stringify(next!.job), w.dispatchDeps);
    expect(second).toMatchObject({ more: false });
    expect(w.queues.tasks).toHaveLength(53);
    expect(w.queues.tasks.every((q) => q.task.eventType === 'order.created')).toBe(true);
    expect(w.queues.tasks[0]!.task.start).toEqual({ reason: 'replay', id: 'rp-1' });
  });

  test('a replay for a deleted or disabled subscription queues nothing', async () => {
    const w = world();
    const job = {
      v: 1,
      job: 'replay',
      id: 'rp-2',
      tenantId: 'acme',
      subscriptionId: 'sub_gone',
      since: '2026-11-28T00:00:00.000Z',
      until: '2026-11-29T00:00:00.000Z',
      correlationId: 'c',
    };
    expect(await dispatchMessage(JSON.stringify(job), w.dispatchDeps)).toMatchObject({
      tasks: 0,
      more: false,
    });
  });
});
