/**
 * Per-subject ordering when its steps run at once, in memory (ordering/subject-order.ts): dispatch
 * admitting an event while the delivery before it settles, several subjects side by side, messages
 * given back by SQS after a crash, copies of tasks. Each waiting task must be queued by one party
 * only (the one that takes its mark from waiting to queued), and each event delivered once, in its
 * subject's sequence; a crash between taking a mark and sending its task must not strand the subject.
 */
import { describe, expect, test } from '@jest/globals';
import type { DeliveryTask } from '../../src/model/delivery-task';
import type { QueuedTask } from '../support/memory';
import { MemorySubjectOrder } from '../support/memory-subject-order';
import { world } from '../support/world';

type World = ReturnType<typeof world>;

/** A seeded generator (mulberry32), so a race that fails once fails again under its seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Turns of the event loop between one round of events and the next. */
const ROUND = 20;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Every call to the order store, and every read and first record of a delivery, waits 0-3 turns
 * before and after, so that steps running at once interleave differently under each seed.
 */
function jitter(w: World, random: () => number): void {
  const pause = async () => {
    for (let i = Math.floor(random() * 4); i > 0; i--) await turn();
  };
  const wrap =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await pause();
      const out = await call(...args);
      await pause();
      return out;
    };
  const order = w.order as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of Object.getOwnPropertyNames(MemorySubjectOrder.prototype)) {
    if (name === 'constructor') continue;
    order[name] = wrap(order[name]!.bind(w.order));
  }
  w.deliveries.get = wrap(w.deliveries.get.bind(w.deliveries));
  const recordFirst = w.deliveries.recordFirst!;
  Object.defineProperty(w.deliveries, 'recordFirst', { value: wrap(recordFirst) });
}

/** The first-run tasks queued for each event (not a retry, a hop or a task waiting for its slot). */
function countQueued(w: World): Map<string, number> {
  const queued = new Map<string, number>();
  const send = w.queues.send.bind(w.queues);
  w.queues.send = async (task: DeliveryTask, options) => {
    await send(task, options);
    if (task.start?.reason === 'dispatch' && task.hops === undefined && !task.paced)
      queued.set(task.eventId, (queued.get(task.eventId) ?? 0) + 1);
  };
  return queued;
}

const idOf = (request: { body: string }) => (JSON.parse(request.body) as { id: string }).id;

function perEvent(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

const over = (counts: Map<string, number>, than = 1) =>
  [...counts].filter(([, n]) => n > than).map(([id, n]) => `${id} x${n}`);

/** Delivered event ids of each subject (`s<k>-<n>`), in the order the receiver got them. */
function bySubject(ids: readonly string[]): Map<string, number[]> {
  const subjects = new Map<string, number[]>();
  for (const id of ids) {
    const [subject, n] = id.split('-');
    subjects.set(subject!, [...(subjects.get(subject!) ?? []), Number(n)]);
  }
  return subjects;
}

interface Race {
  subjects: number;
  events: number;
  /** Chance that an SQS send fails (the step throws, its message comes back later). */
  sendFailures?: number;
  /** Chance that a finished deliver message is given back by SQS (after its visibility timeout). */
  givenBack?: number;
  /** Chance that a finished task is run again as another message (a copy), later. */
  copies?: number;
}

/**
 * Publishes every subject's events in rounds (each subject's first, then each one's second...,
 * a shuffled order within a round, as the bench does), a round about as long as a delivery, so that
 * an event reaches dispatch while the one before it settles; four pollers run the queued tasks side
 * by side. A message whose step failed, or that SQS gives back, comes back once the queue is
 * otherwise empty, as after its visibility timeout.
 */
async function race(seed: number, options: Race) {
  const w = world();
  const random = seeded(seed);
  await w.subscribe({ ordering: 'subject', rateLimit: 500 });
  const queued = countQueued(w);
  const send = w.queues.send;
  w.queues.send = async (task, sendOptions) => {
    if (random() < (options.sendFailures ?? 0)) throw new Error('SQS unavailable');
    return send(task, sendOptions);
  };
  jitter(w, random);

  const events: Array<[number, number]> = [];
  for (let s = 1; s <= options.subjects; s++) for (let n = 1; n <= options.events; n++) events.push([s, n]);
  events.sort(() => random() - 0.5);
  const later: Array<() => Promise<unknown>> = [];
  let publishing = events.length;
  let running = 0;

  const publish = async (s: number, n: number): Promise<void> => {
    try {
      await w.publish(w.keys.sign({ id: `s${s}-${n}`, subject: `s${s}` }), n);
    } catch {
      later.push(() => publish(s, n));
    }
  };
  const deliver = async (message: QueuedTask): Promise<void> => {
    running++;
    try {
      await w.run(message);
      if (random() < (options.givenBack ?? 0)) later.push(() => deliver(message));
      if (random() < (options.copies ?? 0))
        later.push(() => deliver({ ...message, messageId: `${message.messageId}-copy` }));
    } catch {
      later.push(() => deliver(message));
    } finally {
      running--;
    }
  };
  const poller = async () => {
    for (;;) {
      const next = w.queues.tasks.shift();
      if (next) {
        if (next.task.notBefore)
          w.advance(Math.max(0, (Date.parse(next.task.notBefore) - w.now().getTime()) / 1000));
        await deliver(next);
        continue;
      }
      if (publishing === 0 && running === 0) {
        const back = later.shift();
        if (!back) return;
        running++;
        await back().finally(() => running--);
        continue;
      }
      await turn();
    }
  };
  await Promise.all([
    ...events.map(async ([s, n]) => {
      for (let k = (n - 1) * ROUND + Math.floor(random() * ROUND); k > 0; k--) await turn();
      await publish(s, n);
      publishing--;
    }),
    poller(),
    poller(),
    poller(),
    poller(),
  ]);
  const delivered = w.requests.map(idOf);
  return { w, queued, delivered, webhooks: perEvent(delivered), total: events.length };
}

describe('ordering with its steps at once', () => {
  test.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])(
    'seed %i: dispatch and settles racing over 6 subjects queue each task once and deliver each event once, in sequence',
    async (seed) => {
      const { queued, webhooks, delivered, total } = await race(seed, { subjects: 6, events: 4 });
      expect({ queuedTwice: over(queued), deliveredTwice: over(webhooks) }).toEqual({
        queuedTwice: [],
        deliveredTwice: [],
      });
      expect(new Set(delivered).size).toBe(total);
      for (const [subject, ns] of bySubject(delivered))
        expect([subject, ns]).toEqual([subject, [1, 2, 3, 4]]);
    },
  );

  test.each([11, 12, 13, 14, 15, 16, 17, 18, 19, 20])(
    'seed %i: with sends failing (their messages given back), finished messages given back and copies of tasks, nothing is lost or sent twice',
    async (seed) => {
      const { queued, webhooks, delivered, total } = await race(seed, {
        subjects: 5,
        events: 4,
        sendFailures: 0.1,
        givenBack: 0.2,
        copies: 0.2,
      });
      expect({ queuedTwice: over(queued), deliveredTwice: over(webhooks) }).toEqual({
        queuedTwice: [],
        deliveredTwice: [],
      });
      expect(new Set(delivered).size).toBe(total);
      for (const [subject, ns] of bySubject(delivered))
        expect([subject, ns]).toEqual([subject, [1, 2, 3, 4]]);
    },
  );
});

/** Publishes the `sequence`-th event of `subject` (id `<subject>-<sequence>`). */
function publisher(w: World) {
  return (subject: string, sequence: number, fields: { type?: string } = {}) =>
    w.publish(w.keys.sign({ id: `${subject}-${sequence}`, subject, ...fields }), sequence);
}

/** Runs queued tasks one after another until none is left. */
async function drain(w: World, limit = 50): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < limit && w.queues.tasks.length > 0; i++) outcomes.push(await w.run());
  return outcomes;
}

describe('ordering, one race at a time', () => {
  test('an event marked while the delivery before it settles: both find it their turn, one queues it', async () => {
    const w = world();
    await w.subscribe({ ordering: 'subject' });
    const queued = countQueued(w);
    const publish = publisher(w);
    await publish('order-1', 1);
    const first = w.queues.take();
    // Dispatch of order-1-2 has written its mark; before it reads the head, order-1-1 is delivered
    // and settles: the settle moves the head and finds the mark, then dispatch finds the head moved.
    const head = w.order.head.bind(w.order);
    let settled: Promise<unknown> | undefined;
    w.order.head = async (...args) => {
      settled ??= w.run(first);
      expect(await settled).toBe('succeeded');
      return head(...args);
    };
    await publish('order-1', 2);
    expect(queued.get('order-1-2')).toBe(1);
    await drain(w);
    expect(w.requests.map(idOf)).toEqual(['order-1-1', 'order-1-2']);
  });

  test('why copies got through: two copies of a first delivery running at once both send', async () => {
    // A first delivery's claim is deferred to its record (delivery/claim.ts): both copies find no
    // delivery, both send, one records. Only copies that come after the record are dropped, so
    // ordering must queue a task once rather than count on the claim.
    const w = world();
    await w.subscribe({ ordering: 'subject' });
    await publisher(w)('order-1', 1);
    const task = w.queues.take();
    await Promise.all([w.run(task), w.run({ ...task, messageId: 'another' })]);
    expect(w.requests.map(idOf)).toEqual(['order-1-1', 'order-1-1']);
  });

  test('a copy of an ordered task after its delivery ended is dropped by its claim, also once the head moved on, and queues nothing', async () => {
    const w = world();
    const { subscription } = await w.subscribe({ ordering: 'subject' });
    const queued = countQueued(w);
    const publish = publisher(w);
    await publish('order-1', 1);
    await publish('order-1', 2);
    await publish('order-1', 3);
    const first = w.queues.take();
    expect(await w.run(first)).toBe('succeeded');
    expect(await w.run({ ...first, messageId: 'copy-1' })).toBe('duplicate');
    expect(await w.run()).toBe('succeeded');
    // The head is past order-1-1 and order-1-2; order-1-3 is queued. A copy of the first again:
    expect(await w.run({ ...first, messageId: 'copy-2' })).toBe('duplicate');
    await drain(w);
    expect(w.requests.map(idOf)).toEqual(['order-1-1', 'order-1-2', 'order-1-3']);
    expect([...queued.values()]).toEqual([1, 1, 1]);
    // Cancelled (the subscription deleted): a copy after that is dropped too.
    await publish('order-1', 4);
    w.subscriptions.items.delete(`acme|${subscription.id}`);
    const fourth = w.queues.take();
    expect(await w.run(fourth)).toBe('cancelled');
    expect(await w.run({ ...fourth, messageId: 'copy-4' })).toBe('duplicate');
    expect(w.requests).toHaveLength(3);
  });

  test('a settle repeated by another run (a redelivery of the event ending) while the next is queued queues nothing again', async () => {
    const w = world();
    await w.subscribe({ ordering: 'subject' });
    const queued = countQueued(w);
    const publish = publisher(w);
    await publish('order-1', 1);
    await publish('order-1', 2);
    const first = w.queues.take();
    expect(await w.run(first)).toBe('succeeded');
    // order-1-2 is queued, not yet run; a redelivery of order-1-1 starts a new run, which ends.
    const redelivery = { ...first.task, start: { reason: 'redeliver' as const, id: 'redeliver-1' } };
    expect(await w.run({ ...first, task: redelivery, messageId: 'redelivery' })).toBe('succeeded');
    expect(queued.get('order-1-2')).toBe(1);
    await drain(w);
    expect(w.requests.map(idOf)).toEqual(['order-1-1', 'order-1-1', 'order-1-2']);
  });

  test('a message given back after it finished sends nothing again once the next is recorded; before, one copy its claim drops', async () => {
    const w = world();
    await w.subscribe({ ordering: 'subject' });
    const queued = countQueued(w);
    const publish = publisher(w);
    for (const n of [1, 2, 3]) await publish('order-1', n);
    const first = w.queues.take();
    expect(await w.run(first)).toBe('succeeded');
    const second = w.queues.take();
    expect(await w.run(second)).toBe('succeeded');
    // order-1-2 is recorded, order-1-3 queued: the first message back finds the head past it.
    expect(await w.run(first)).toBe('completed-earlier-attempt');
    expect(queued.get('order-1-3')).toBe(1);
    // The second message back finds order-1-3 taken under its own name and not recorded: it cannot
    // tell a finished run from one stopped before the send, so it sends it again.
    expect(await w.run(second)).toBe('completed-earlier-attempt');
    expect(queued.get('order-1-3')).toBe(2);
    expect(await drain(w)).toEqual(['succeeded', 'duplicate']);
    // Once order-1-3 is recorded, the same message back sends nothing.
    expect(await w.run(second)).toBe('completed-earlier-attempt');
    expect(w.queues.tasks).toEqual([]);
    expect(w.requests.map(idOf)).toEqual(['order-1-1', 'order-1-2', 'order-1-3']);
  });

  test('a crash between taking the mark and sending its task, at dispatch: the dispatch message, given back, sends it', async () => {
    const w = world();
    await w.subscribe({ ordering: 'subject' });
    const queued = countQueued(w);
    const publish = publisher(w);
    w.queues.failNextSend = true;
    await expect(publish('order-1', 1)).rejects.toThrow('SQS unavailable');
    expect(w.queues.tasks).toEqual([]);
    // Its mark is queued under this dispatch's name; nothing else would send it.
    await publish('order-1', 2);
    expect(w.queues.tasks).toEqual([]);
    await publish('order-1', 1);
    expect(queued.get('order-1-1')).toBe(1);
    // Dispatched yet again once delivered: settled, nothing to send.
    await drain(w);
    await publish('order-1', 1);
    expect(w.queues.tasks).toEqual([]);
    expect(w.requests.map(idOf)).toEqual(['order-1-1', 'order-1-2']);
  });

  test('a crash after a skip moved the head, before the task it reached was sent: the dispatch of the skip, given back, sends it', async () => {
    const w = world();
    await w.subscribe({ ordering: 'subject', eventTypes: ['order.paid'] });
    const publish = publisher(w);
    await publish('order-1', 2, { type: 'order.paid' });
    w.queues.failNextSend = true;
    await expect(publish('order-1', 1, { type: 'order.created' })).rejects.toThrow('SQS unavailable');
    expect(w.queues.tasks).toEqual([]);
    await publish('order-1', 1, { type: 'order.created' });
    expect(w.queues.tasks.map((q) => q.task.eventId)).toEqual(['order-1-2']);
    await drain(w);
    expect(w.requests.map(idOf)).toEqual(['order-1-2']);
  });

  test('a crash between taking the mark and sending its task, at a settle: the deliver message, given back, sends it; another step does not', async () => {
    const w = world();
    await w.subscribe({ ordering: 'subject' });
    const queued = countQueued(w);
    const publish = publisher(w);
    await publish('order-1', 1);
    await publish('order-1', 2);
    const first = w.queues.take();
    w.queues.failNextSend = true;
    await expect(w.run(first)).rejects.toThrow('SQS unavailable');
    // A copy of the first event dispatched again, or a copy of its task: neither sends order-1-2.
    await publish('order-1', 1);
    expect(await w.run({ ...first, messageId: 'copy' })).toBe('duplicate');
    expect(w.queues.tasks).toEqual([]);
    // SQS gives the message back after its visibility timeout: its settle sends order-1-2, once.
    expect(await w.run(first)).toBe('completed-earlier-attempt');
    expect(queued.get('order-1-2')).toBe(1);
    await drain(w);
    expect(w.requests.map(idOf)).toEqual(['order-1-1', 'order-1-2']);
  });

  test('a delivery cancelled without an attempt whose settle was cut short: its message, given back, lets the next go', async () => {
    const w = world();
    const { subscription } = await w.subscribe({ ordering: 'subject' });
    const publish = publisher(w);
    await publish('order-1', 1);
    await publish('order-1', 2);
    const stored = w.subscriptions.items.get(`acme|${subscription.id}`)!;
    w.subscriptions.items.delete(`acme|${subscription.id}`);
    const first = w.queues.take();
    w.queues.failNextSend = true;
    await expect(w.run(first)).rejects.toThrow('SQS unavailable');
    expect((await w.deliveries.get('acme', first.task.deliveryId))!.status).toBe('cancelled');
    w.subscriptions.put(stored);
    expect(await w.run(first)).toBe('duplicate');
    expect(w.queues.tasks.map((q) => q.task.eventId)).toEqual(['order-1-2']);
    await drain(w);
    expect(w.requests.map(idOf)).toEqual(['order-1-2']);
  });
});
