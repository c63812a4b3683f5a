/**
 * Per-subject ordering through dispatch and deliver, in memory (ordering/subject-order.ts): an
 * ordered subscription gets a subject's events one at a time in their sequence, whatever order they
 * reach dispatch in and whichever of them it does not take; a failing event holds its successors
 * through its retries and lets them go once it fails for good; a paused subscription holds them all
 * until resumed; another subject, events without a subject and unordered subscriptions never wait.
 */
import { describe, expect, test } from '@jest/globals';
import { dispatchMessage } from '../../src/fan-out/dispatch';
import { orderLine } from '../../src/ordering/subject-order';
import { pauseSubscription, resumeSubscription } from '../../src/subscriptions/lifecycle';
import { updateSubscription } from '../../src/subscriptions/update';
import { world } from '../support/world';

type World = ReturnType<typeof world>;

const idOf = (request: { body: string }) => (JSON.parse(request.body) as { id: string }).id;
const delivered = (w: World) => w.requests.map(idOf);
const queuedIds = (w: World) => w.queues.tasks.map((queued) => queued.task.eventId);

/** Runs queued tasks until none is left (moving the clock past each retry's delay), at most `limit`. */
async function drain(w: World, limit = 50): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < limit && w.queues.tasks.length > 0; i++) {
    const next = w.queues.tasks[0]!;
    if (next.task.notBefore)
      w.advance(Math.max(0, (Date.parse(next.task.notBefore) - w.now().getTime()) / 1000 + 1));
    outcomes.push(await w.run());
  }
  return outcomes;
}

/** Publishes the `sequence`-th event of `subject` (id `<subject>-<sequence>`). */
function publisher(w: World) {
  return (subject: string, sequence: number, fields: { type?: string } = {}) =>
    w.publish(w.keys.sign({ id: `${subject}-${sequence}`, subject, ...fields }), sequence);
}

describe('a subscription ordered by subject', () => {
  test("delivers a subject's events one at a time, in sequence", async () => {
    const w = world();
    await w.subscribe({ ordering: 'subject' });
    const publish = publisher(w);
    for (const n of [1, 2, 3]) await publish('order-1', n);
    // Only the first is queued; each one's success lets the next go.
    expect(queuedIds(w)).toEqual(['order-1-1']);
    expect(await drain(w)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(delivered(w)).toEqual(['order-1-1', 'order-1-2', 'order-1-3']);
  });

  test('events reaching dispatch out of order are delivered in sequence', async () => {
    const w = world();
    await w.subscribe({ ordering: 'subject' });
    const publish = publisher(w);
    // Sequence 1 has not reached dispatch yet when 3 and 2 do: nothing goes.
    await publish('order-1', 3);
    await publish('order-1', 2);
    await publish('order-1', 1);
    await publish('order-1', 4);
    await drain(w);
    expect(delivered(w)).toEqual(['order-1-1', 'order-1-2', 'order-1-3', 'order-1-4']);
  });

  test('a subject older than the ordering: its first event since starts the line, events stored before go at once', async () => {
    const w = world();
    const before = new Date(w.now().getTime() - 60_000).toISOString();
    const old = w.keys.sign({ id: 'order-1-4', subject: 'order-1' });
    await w.subscribe({ ordering: 'subject' });
    // Stored a minute before the subscription turned ordering on (its bus time): not ordered.
    w.advance(-120);
    await w.publish(old, 4, before);
    w.advance(120);
    const publish = (n: number, previous?: string) =>
      w.publish(w.keys.sign({ id: `order-1-${n}`, subject: 'order-1' }), n, previous);
    // 6 comes first and waits for 5, whose previous event (4) was stored before ordering began.
    await publish(6);
    expect(queuedIds(w)).toEqual(['order-1-4']);
    await publish(5, before);
    await drain(w);
    expect(delivered(w)).toEqual(['order-1-4', 'order-1-5', 'order-1-6']);
  });

  test('another subject goes on while one waits, and so do events without a subject', async () => {
    const w = world();
    await w.subscribe({ ordering: 'subject' });
    const publish = publisher(w);
    await publish('order-1', 2);
    await publish('order-2', 1);
    await publish('order-2', 2);
    await w.publish(w.keys.sign({ id: 'no-subject' }));
    await drain(w);
    expect(delivered(w)).toEqual(['order-2-1', 'no-subject', 'order-2-2']);
  });

  test('events of the subject it does not take are gaps it moves past, whatever order they come in', async () => {
    const w = world();
    // Sequences count every event of the subject; this subscription takes only order.paid.
    await w.subscribe({ ordering: 'subject', eventTypes: ['order.paid'] });
    const publish = publisher(w);
    await publish('order-1', 4, { type: 'order.paid' });
    await publish('order-1', 2, { type: 'order.paid' });
    await publish('order-1', 3, { type: 'order.created' });
    await drain(w);
    // Sequence 1 is not there yet: 2 waits for it.
    expect(delivered(w)).toEqual([]);
    await publish('order-1', 1, { type: 'order.created' });
    await drain(w);
    expect(delivered(w)).toEqual(['order-1-2', 'order-1-4']);
  });

  test('a failing event holds the next through its retries, which go once it succeeds', async () => {
    const w = world();
    await w.subscribe({ ordering: 'subject' });
    const publish = publisher(w);
    await publish('order-1', 1);
    await publish('order-1', 2);
    await publish('order-2', 1);
    w.answers.push({ statusCode: 503, durationMs: 5 });
    expect(await w.run()).toBe('retrying');
    // Its retry is queued; order-1-2 is not, order-2-1 is.
    expect(queuedIds(w)).toEqual(['order-2-1', 'order-1-1']);
    await drain(w);
    expect(delivered(w)).toEqual(['order-1-1', 'order-2-1', 'order-1-1', 'order-1-2']);
  });

  test('an event whose retries are exhausted lets the next go', async () => {
    const w = world({ schedule: [0, 5] });
    await w.subscribe({ ordering: 'subject' });
    const publish = publisher(w);
    await publish('order-1', 1);
    await publish('order-1', 2);
    w.answers.push({ statusCode: 500, durationMs: 5 }, { statusCode: 500, durationMs: 5 });
    expect(await drain(w)).toEqual(['retrying', 'failed', 'succeeded']);
    expect(delivered(w)).toEqual(['order-1-1', 'order-1-1', 'order-1-2']);
    expect(w.bus.published.map((p) => p.detailType)).toContain('delivery.failed');
  });

  test('pausing holds them all; resuming releases the held one, then the rest in turn', async () => {
    const w = world();
    const { subscription } = await w.subscribe({ ordering: 'subject' });
    const publish = publisher(w);
    await pauseSubscription('acme', subscription.id, w.subscriptionDeps);
    for (const n of [1, 2, 3]) await publish('order-1', n);
    expect(await drain(w)).toEqual(['held']);
    expect(delivered(w)).toEqual([]);
    await resumeSubscription('acme', subscription.id, {
      ...w.subscriptionDeps,
      jobs: { send: (job, delay) => w.queues.sendJob(job, delay) },
      correlationId: 'corr-resume',
    });
    const { job } = w.queues.jobs.splice(0)[0]!;
    await dispatchMessage(JSON.stringify(job), w.dispatchDeps);
    await drain(w);
    expect(delivered(w)).toEqual(['order-1-1', 'order-1-2', 'order-1-3']);
  });

  test('disabled (here after a 410), it holds the rest instead of cancelling them; resuming releases them in turn', async () => {
    const w = world({ schedule: [0, 5] });
    const { subscription } = await w.subscribe({ ordering: 'subject' });
    const publish = publisher(w);
    await publish('order-1', 1);
    await publish('order-1', 2);
    w.answers.push({ statusCode: 410, durationMs: 5 });
    // The next task is queued only once the subscription is disabled, so it cannot slip out first.
    const statusWhenQueued: string[] = [];
    const send = w.queues.send.bind(w.queues);
    w.queues.send = async (task, options) => {
      statusWhenQueued.push((await w.subscriptions.get('acme', subscription.id))!.status);
      return send(task, options);
    };
    // The 410 fails order-1-1 for good and disables the subscription; order-1-2 goes, and is held.
    expect(await drain(w)).toEqual(['failed', 'held']);
    expect(statusWhenQueued[0]).toBe('disabled');
    expect((await w.subscriptions.get('acme', subscription.id))!.status).toBe('disabled');
    // Dispatched while disabled: it waits its turn rather than being dropped.
    await publish('order-1', 3);
    expect(await drain(w)).toEqual([]);
    await resumeSubscription('acme', subscription.id, {
      ...w.subscriptionDeps,
      jobs: { send: (job, delay) => w.queues.sendJob(job, delay) },
      correlationId: 'corr-resume',
    });
    const { job } = w.queues.jobs.splice(0)[0]!;
    await dispatchMessage(JSON.stringify(job), w.dispatchDeps);
    await drain(w);
    expect(delivered(w)).toEqual(['order-1-1', 'order-1-2', 'order-1-3']);
  });

  test('an unordered subscription, disabled, still gets nothing: its deliveries are cancelled as before', async () => {
    const w = world({ schedule: [0, 5] });
    const { subscription } = await w.subscribe();
    await w.publish(w.keys.sign({ id: 'gone-1', subject: 'order-1' }), 1);
    await w.publish(w.keys.sign({ id: 'gone-2', subject: 'order-1' }), 2);
    w.answers.push({ statusCode: 410, durationMs: 5 });
    expect(await drain(w)).toEqual(['failed', 'cancelled']);
    expect((await w.subscriptions.get('acme', subscription.id))!.status).toBe('disabled');
    await w.publish(w.keys.sign({ id: 'gone-3', subject: 'order-1' }), 3);
    expect(w.queues.tasks).toEqual([]);
  });

  test('copies of events (at-least-once bus and queues) deliver each once, in order', async () => {
    const w = world();
    await w.subscribe({ ordering: 'subject' });
    const publish = publisher(w);
    await publish('order-1', 2);
    await publish('order-1', 1);
    await publish('order-1', 2);
    await publish('order-1', 1);
    // A copy of the first task, as SQS may deliver it twice.
    w.queues.tasks.push({ ...w.queues.tasks[0]!, messageId: 'copy' });
    await drain(w);
    await publish('order-1', 1);
    await drain(w);
    expect(delivered(w)).toEqual(['order-1-1', 'order-1-2']);
  });

  test('a crash after a delivery settles and before the next is queued is finished by the redelivered message', async () => {
    const w = world();
    await w.subscribe({ ordering: 'subject' });
    const publish = publisher(w);
    await publish('order-1', 1);
    await publish('order-1', 2);
    const first = w.queues.take();
    w.queues.failNextSend = true;
    await expect(w.run(first)).rejects.toThrow('SQS unavailable');
    expect(queuedIds(w)).toEqual([]);
    // SQS gives the message back; its follow-ups run again.
    expect(await w.run(first)).toBe('completed-earlier-attempt');
    await drain(w);
    expect(delivered(w)).toEqual(['order-1-1', 'order-1-2']);
  });

  test('an unordered subscription beside it gets every event at once, and nothing is marked for it', async () => {
    const w = world();
    const { subscription: ordered } = await w.subscribe({ ordering: 'subject' });
    const { subscription: unordered } = await w.subscribe();
    const publish = publisher(w);
    for (const n of [3, 1, 2]) await publish('order-1', n);
    const forUnordered = w.queues.tasks.filter((q) => q.task.subscriptionId === unordered.id);
    expect(forUnordered.map((q) => q.task.eventId)).toEqual(['order-1-3', 'order-1-1', 'order-1-2']);
    expect(forUnordered.every((q) => q.task.order === undefined)).toBe(true);
    expect([...w.order.marks.keys()].every((key) => key.includes(ordered.id))).toBe(true);
  });

  test('shown as ordering: subject; PATCH turns it off and on, on again starting new lines', async () => {
    const w = world();
    const { subscription } = await w.subscribe({ ordering: 'subject' });
    expect(subscription.ordering).toBe('subject');
    const since = (await w.subscriptions.get('acme', subscription.id))!.orderedSince!;
    const patch = (ordering: 'none' | 'subject') =>
      updateSubscription('acme', subscription.id, { ordering }, w.subscriptionDeps);
    // On while on: nothing changes.
    expect((await patch('subject')).ordering).toBe('subject');
    expect((await w.subscriptions.get('acme', subscription.id))!.orderedSince).toBe(since);
    expect(await patch('none')).not.toHaveProperty('ordering');
    expect((await w.subscriptions.get('acme', subscription.id))!.orderedSince).toBeUndefined();
    w.advance(1);
    await patch('subject');
    const again = (await w.subscriptions.get('acme', subscription.id))!.orderedSince!;
    expect(again).not.toBe(since);
    expect(orderLine(again, 'order-1')).not.toBe(orderLine(since, 'order-1'));
    expect((await w.subscribe()).subscription).not.toHaveProperty('ordering');
  });
});
