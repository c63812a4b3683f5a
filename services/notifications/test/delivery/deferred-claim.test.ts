/**
 * A first delivery's claim deferred to its record (delivery/claim.ts): one write per first attempt
 * instead of two, with what that changes stated as tests beside what it keeps.
 */
import { describe, expect, test } from '@jest/globals';
import { deliverTask } from '../../src/delivery/pipeline';
import type { DeliverDeps, DeliveryStore } from '../../src/delivery/ports';
import type { DeliveryRecord } from '../../src/model/delivery';
import { pauseSubscription } from '../../src/subscriptions/lifecycle';
import { world } from '../support/world';

type Write = 'claim' | 'record' | 'recordFirst' | 'hold';

/** The world's store, with every write it is asked for noted in order. */
function countingDeps(w: ReturnType<typeof world>, writes: Write[]): DeliverDeps {
  const store = w.deliveries;
  const counted: DeliveryStore = {
    claim: (task, claim) => (writes.push('claim'), store.claim(task, claim)),
    get: (tenantId, id) => store.get(tenantId, id),
    record: (delivery, update, messageId) => (
      writes.push('record'),
      store.record(delivery, update, messageId)
    ),
    hold: (delivery, messageId, now) => (writes.push('hold'), store.hold(delivery, messageId, now)),
    ...(store.recordFirst
      ? {
          recordFirst: (
            delivery: DeliveryRecord,
            update: Parameters<DeliveryStore['record']>[1],
            id: string,
          ) => (writes.push('recordFirst'), store.recordFirst!(delivery, update, id)),
        }
      : {}),
  };
  return { ...w.deliverDeps(), store: counted };
}

async function firstTask(
  w: ReturnType<typeof world>,
  input: Parameters<ReturnType<typeof world>['subscribe']>[0] = {},
) {
  const created = await w.subscribe(input);
  await w.publish(w.keys.sign());
  return { created, queued: w.queues.take() };
}

describe('a first delivery claimed by its record', () => {
  test('is sent before anything is written to it, then created with its attempt in one write', async () => {
    const w = world();
    const { created, queued } = await firstTask(w);
    const writes: Write[] = [];
    const deps = countingDeps(w, writes);
    let storedAtSend: DeliveryRecord | undefined | 'unseen' = 'unseen';
    const channel = deps.channel;
    deps.channel = {
      attempt: async (input) => {
        storedAtSend = await w.deliveries.get(input.delivery.tenantId, input.delivery.id);
        return channel.attempt(input);
      },
    };

    expect(await deliverTask(queued.task, queued.messageId, deps)).toBe('succeeded');
    expect(writes).toEqual(['recordFirst']);
    // In flight, the delivery is not in the history yet: it appears with its first attempt.
    expect(storedAtSend).toBeUndefined();
    const [delivery] = (await w.deliveries.listBySubscription('acme', created.subscription.id, 10)).items;
    expect(delivery).toMatchObject({
      id: queued.task.deliveryId,
      status: 'succeeded',
      run: 1,
      attemptCount: 1,
      startReason: 'dispatch',
      startId: queued.task.start!.id,
      claimMessageId: queued.messageId,
      attempts: [{ run: 1, attempt: 1, statusCode: 200, outcome: 'succeeded' }],
    });
    expect(delivery!.claimUntil).toBeUndefined();
    expect(Date.parse(delivery!.createdAt)).toBeLessThanOrEqual(Date.parse(delivery!.attempts[0]!.at));
  });

  test('a store without recordFirst claims first: two writes, the delivery pending while in flight', async () => {
    const w = world();
    w.deliveries.deferFirstClaims = false;
    const { queued } = await firstTask(w);
    const writes: Write[] = [];
    const deps = countingDeps(w, writes);
    let statusAtSend: string | undefined;
    const channel = deps.channel;
    deps.channel = {
      attempt: async (input) => {
        statusAtSend = (await w.deliveries.get(input.delivery.tenantId, input.delivery.id))?.status;
        return channel.attempt(input);
      },
    };
    expect(await deliverTask(queued.task, queued.messageId, deps)).toBe('succeeded');
    expect(writes).toEqual(['claim', 'record']);
    expect(statusAtSend).toBe('pending');
  });

  test('a retry after a deferred first attempt claims and records as before', async () => {
    const w = world();
    const { queued } = await firstTask(w);
    w.answers.push({ statusCode: 503, durationMs: 5 });
    expect(await w.run(queued)).toBe('retrying');
    const writes: Write[] = [];
    const retry = w.queues.take();
    expect(retry.task).toMatchObject({ run: 1, attempt: 2 });
    w.advance(5);
    expect(await deliverTask(retry.task, retry.messageId, countingDeps(w, writes))).toBe('succeeded');
    expect(writes).toEqual(['claim', 'record']);
    expect(await w.deliveries.get('acme', queued.task.deliveryId)).toMatchObject({
      status: 'succeeded',
      attemptCount: 2,
    });
  });

  test('a copy that arrives after the record is dropped without a send', async () => {
    const w = world();
    const { queued } = await firstTask(w);
    expect(await w.run(queued)).toBe('succeeded');
    expect(await w.run({ ...queued, messageId: 'a-copy' })).toBe('duplicate');
    // The same message again (its function stopped after recording): nothing more to send.
    expect(await w.run(queued)).toBe('completed-earlier-attempt');
    expect(w.requests).toHaveLength(1);
  });

  test('two copies at the same moment may both send, with the same webhook-id; one attempt is recorded', async () => {
    const w = world();
    const { queued } = await firstTask(w);
    const outcomes = await Promise.all([w.run(queued), w.run({ ...queued, messageId: 'a-copy' })]);
    expect(outcomes.sort()).toEqual(['duplicate', 'succeeded']);
    expect(w.requests).toHaveLength(2);
    expect(w.requests[0]!.headers['webhook-id']).toBe(w.requests[1]!.headers['webhook-id']);
    expect((await w.deliveries.get('acme', queued.task.deliveryId))!.attempts).toHaveLength(1);
  });

  test('with the claim written first, two copies at the same moment send once', async () => {
    const w = world();
    w.deliveries.deferFirstClaims = false;
    const { queued } = await firstTask(w);
    const outcomes = await Promise.all([w.run(queued), w.run({ ...queued, messageId: 'a-copy' })]);
    expect(outcomes.sort()).toEqual(['duplicate', 'succeeded']);
    expect(w.requests).toHaveLength(1);
  });

  test('one held for a paused subscription is claimed, then held', async () => {
    const w = world();
    const { subscription } = await w.subscribe();
    await pauseSubscription('acme', subscription.id, w.subscriptionDeps);
    await w.publish(w.keys.sign());
    const queued = w.queues.take();
    const writes: Write[] = [];
    expect(await deliverTask(queued.task, queued.messageId, countingDeps(w, writes))).toBe('held');
    expect(writes).toEqual(['claim', 'hold']);
    expect(await w.deliveries.get('acme', queued.task.deliveryId)).toMatchObject({ status: 'held' });
  });

  test('one cancelled for a deleted subscription is claimed, then recorded cancelled', async () => {
    const w = world();
    const { created, queued } = await firstTask(w);
    await w.subscriptions.delete('acme', created.subscription.id);
    const writes: Write[] = [];
    expect(await deliverTask(queued.task, queued.messageId, countingDeps(w, writes))).toBe('cancelled');
    expect(writes).toEqual(['claim', 'record']);
    expect(await w.deliveries.get('acme', queued.task.deliveryId)).toMatchObject({ status: 'cancelled' });
  });

  test('one waiting for its slot is claimed before it goes round the queue, and keeps its claim', async () => {
    const w = world();
    const { created, queued } = await firstTask(w, { rateLimit: 1 });
    // Other deliveries took the next five slots.
    await w.slots.reserve('acme', created.subscription.id, {
      now: w.now().getTime(),
      intervalMs: 1000,
      count: 5,
    });
    const writes: Write[] = [];
    expect(await deliverTask(queued.task, queued.messageId, countingDeps(w, writes))).toBe('paced');
    expect(writes).toEqual(['claim']);
    expect(await w.deliveries.get('acme', queued.task.deliveryId)).toMatchObject({
      status: 'pending',
      claimMessageId: queued.messageId,
    });
    // A copy of the task cannot take the delivery meanwhile; the paced task does, at its slot.
    expect(await w.run({ ...queued, messageId: 'a-copy' })).toBe('duplicate');
    w.advance(5);
    expect(await w.run()).toBe('succeeded');
    expect(w.requests).toHaveLength(1);
  });

  /**
   * A write DynamoDB applied but whose answer was lost is sent again by the SDK, and the retry finds
   * the item the first one wrote: the store answers as if another message had won. Both writes of a
   * deferred first delivery must see through that, or the task is dropped as a copy of itself.
   */
  function answersLost(w: ReturnType<typeof world>): DeliverDeps {
    const store = w.deliveries;
    const deps = w.deliverDeps();
    return {
      ...deps,
      store: {
        claim: async (task, claim) => (await store.claim(task, claim), store.claim(task, claim)),
        get: (tenantId, id) => store.get(tenantId, id),
        record: (delivery, update, messageId) => store.record(delivery, update, messageId),
        hold: (delivery, messageId, now) => store.hold(delivery, messageId, now),
        recordFirst: async (delivery, update, messageId) => (
          await store.recordFirst!(delivery, update, messageId),
          store.recordFirst!(delivery, update, messageId)
        ),
      },
    };
  }

  test('a claim applied but answered as lost is still this message’s: the paced task goes round', async () => {
    const w = world();
    const { created, queued } = await firstTask(w, { rateLimit: 1 });
    await w.slots.reserve('acme', created.subscription.id, {
      now: w.now().getTime(),
      intervalMs: 1000,
      count: 5,
    });
    expect(await deliverTask(queued.task, queued.messageId, answersLost(w))).toBe('paced');
    w.advance(5);
    expect(await w.run()).toBe('succeeded');
    expect(w.requests).toHaveLength(1);
  });

  test('a first record applied but answered as lost is still recorded: its retry is queued', async () => {
    const w = world();
    const { queued } = await firstTask(w);
    w.answers.push({ statusCode: 503, durationMs: 5 });
    expect(await deliverTask(queued.task, queued.messageId, answersLost(w))).toBe('retrying');
    expect(await w.deliveries.get('acme', queued.task.deliveryId)).toMatchObject({
      status: 'pending',
      attemptCount: 1,
    });
    w.advance(5);
    expect(await w.run()).toBe('succeeded');
    expect(w.requests).toHaveLength(2);
  });

  test('one whose envelope fails verification is claimed and recorded failed, never sent', async () => {
    const w = world();
    await w.subscribe();
    const envelope = w.keys.sign();
    await w.publish(envelope);
    const queued = w.queues.take();
    queued.task.envelope = { ...queued.task.envelope!, data: { total: 1_000_000 } };
    const writes: Write[] = [];
    expect(await deliverTask(queued.task, queued.messageId, countingDeps(w, writes))).toBe('failed');
    expect(writes).toEqual(['claim', 'record']);
    expect(w.requests).toEqual([]);
  });
});
