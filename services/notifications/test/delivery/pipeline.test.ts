import { describe, expect, test } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { deliverTask } from '../../src/delivery/pipeline';
import { dispatchMessage } from '../../src/fan-out/dispatch';
import { pauseSubscription, resumeSubscription } from '../../src/subscriptions/lifecycle';
import { world } from '../support/world';

async function oneDelivery(w: ReturnType<typeof world>) {
  const created = await w.subscribe();
  await w.publish(w.keys.sign());
  return created;
}

describe('deliver', () => {
  test('sends a signed webhook the subscriber verifies with its secret, and records the attempt', async () => {
    const w = world();
    const { subscription, secret } = await oneDelivery(w);
    expect(await w.run()).toBe('succeeded');

    const [request] = w.requests;
    expect(request!.url).toBe('https://hooks.example.com/herald');
    const payload = new Webhook(secret!).verify(request!.body, request!.headers);
    expect(payload).toMatchObject({ type: 'order.created', data: { total: 42 } });

    const [delivery] = (await w.deliveries.listBySubscription('acme', subscription.id, 10)).items;
    expect(delivery).toMatchObject({
      id: request!.headers['webhook-id'],
      status: 'succeeded',
      attemptCount: 1,
      attempts: [{ run: 1, attempt: 1, statusCode: 200, outcome: 'succeeded', responseBody: '{"ok":true}' }],
    });
    expect(w.queues.tasks).toEqual([]);
    expect(w.bus.published).toEqual([]);
  });

  test('a receiver failing twice gets the third attempt, with the same webhook-id, on schedule', async () => {
    const w = world();
    const { secret } = await oneDelivery(w);
    w.answers.push({ statusCode: 503, durationMs: 5 }, { statusCode: 500, durationMs: 5 });

    expect(await w.run()).toBe('retrying');
    let retry = w.queues.tasks[0]!;
    expect(retry).toMatchObject({ delaySeconds: 5, lane: 'fast', task: { run: 1, attempt: 2 } });

    // Taken before its time (a delay shortened or clock skew): it waits again rather than sending.
    expect(await w.run(w.queues.take())).toBe('waiting');
    expect(w.requests).toHaveLength(1);
    w.advance(5);
    expect(await w.run()).toBe('retrying');
    retry = w.queues.tasks[0]!;
    expect(retry).toMatchObject({ delaySeconds: 300, task: { attempt: 3 } });
    w.advance(300);
    expect(await w.run()).toBe('succeeded');

    const ids = w.requests.map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(1);
    const first = w.requests[0]!;
    expect(() => new Webhook(secret!).verify(first.body, first.headers)).not.toThrow();
  });

  test('Retry-After asking for longer than the schedule is honoured', async () => {
    const w = world();
    await oneDelivery(w);
    w.answers.push({ statusCode: 429, durationMs: 5, retryAfter: '120' });
    await w.run();
    expect(w.queues.tasks[0]).toMatchObject({ delaySeconds: 120 });
  });

  test('a delay beyond 15 minutes hops through the queue in SQS-sized steps', async () => {
    const w = world();
    await oneDelivery(w);
    w.answers.push(
      { statusCode: 500, durationMs: 5 },
      { statusCode: 500, durationMs: 5 },
      { statusCode: 500, durationMs: 5 },
    );
    await w.run();
    w.advance(5);
    await w.run();
    w.advance(300);
    await w.run();
    // The fourth attempt is 3600 s away: four hops of at most 900 s.
    expect(w.queues.tasks[0]).toMatchObject({ delaySeconds: 900, task: { attempt: 4 } });
    let hops = 0;
    for (;;) {
      w.advance(w.queues.tasks[0]!.delaySeconds);
      const outcome = await w.run();
      if (outcome !== 'waiting') {
        expect(outcome).toBe('succeeded');
        break;
      }
      hops += 1;
    }
    expect(hops).toBe(3);
    expect(w.requests).toHaveLength(4);
  });

  test('after the last attempt the delivery fails and delivery.failed is published', async () => {
    const w = world({ schedule: [0, 5] });
    const { subscription } = await oneDelivery(w);
    w.answers.push(
      { statusCode: 502, durationMs: 5 },
      { durationMs: 3000, error: { class: 'timeout', message: 'slow' } },
    );
    await w.run();
    w.advance(5);
    expect(await w.run()).toBe('failed');
    const [delivery] = (await w.deliveries.listBySubscription('acme', subscription.id, 10)).items;
    expect(delivery).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^gave up after 2 attempts: timeout/),
    });
    expect(delivery!.attempts.map((a) => a.outcome)).toEqual(['retrying', 'failed']);
    expect(w.bus.published).toEqual([
      {
        detailType: 'delivery.failed',
        detail: expect.objectContaining({
          subscriptionId: subscription.id,
          tenantid: 'acme',
          eventId: 'evt-1',
        }),
      },
    ]);
  });

  test('410 Gone disables the subscription at once and says so on the bus', async () => {
    const w = world();
    const { subscription } = await oneDelivery(w);
    w.answers.push({ statusCode: 410, durationMs: 5 });
    expect(await w.run()).toBe('failed');
    expect(w.queues.tasks).toEqual([]);
    expect(await w.subscriptions.get('acme', subscription.id)).toMatchObject({
      status: 'disabled',
      disabledReason: 'the receiver answered 410 Gone',
    });
    expect(w.bus.types()).toEqual(['delivery.failed', 'subscription.disabled']);
  });

  test.each([400, 401, 404, 422, 301])('%i is not retried', async (status) => {
    const w = world();
    await oneDelivery(w);
    w.answers.push({ statusCode: status, durationMs: 5 });
    expect(await w.run()).toBe('failed');
    expect(w.queues.tasks).toEqual([]);
    expect(w.bus.types()).toEqual(['delivery.failed']);
  });

  test('a refused address at send time is not retried', async () => {
    const w = world();
    await oneDelivery(w);
    w.answers.push({
      durationMs: 1,
      error: { class: 'forbidden-address', message: 'resolves to a private address', retryable: false },
    });
    expect(await w.run()).toBe('failed');
    expect(w.queues.tasks).toEqual([]);
  });

  test('the same task twice (the queue delivers at least once) sends once', async () => {
    const w = world();
    await oneDelivery(w);
    const queued = w.queues.take();
    const copy = { ...queued, messageId: 'another-message' };
    expect(await w.run(queued)).toBe('succeeded');
    expect(await w.run(copy)).toBe('duplicate');
    expect(w.requests).toHaveLength(1);
  });

  test('the bus repeating an event makes no second delivery', async () => {
    const w = world();
    await w.subscribe();
    const envelope = w.keys.sign();
    await w.publish(envelope);
    await w.publish(envelope);
    expect(await w.run()).toBe('succeeded');
    expect(await w.run()).toBe('duplicate');
    expect(w.requests).toHaveLength(1);
  });

  test('a crash between sending and recording sends again with the same webhook-id', async () => {
    const w = world();
    await oneDelivery(w);
    const queued = w.queues.take();
    w.deliveries.failNextRecord = true;
    await expect(w.run(queued)).rejects.toThrow('DynamoDB unavailable');
    // SQS gives the same message back after its visibility timeout.
    expect(await w.run(queued)).toBe('succeeded');
    expect(w.requests).toHaveLength(2);
    expect(w.requests[0]!.headers['webhook-id']).toBe(w.requests[1]!.headers['webhook-id']);
  });

  test('a crash after recording, before queueing the retry, is finished by the redelivered message', async () => {
    const w = world();
    await oneDelivery(w);
    const queued = w.queues.take();
    w.answers.push({ statusCode: 503, durationMs: 5 });
    w.queues.failNextSend = true;
    await expect(w.run(queued)).rejects.toThrow('SQS unavailable');
    expect(await w.run(queued)).toBe('completed-earlier-attempt');
    expect(w.requests).toHaveLength(1);
    expect(w.queues.tasks).toHaveLength(1);
    expect(w.queues.tasks[0]!.task).toMatchObject({ run: 1, attempt: 2 });
  });

  test('a paused subscription receives nothing until resumed, then gets what was held', async () => {
    const w = world();
    const { subscription } = await w.subscribe();
    await pauseSubscription('acme', subscription.id, w.subscriptionDeps);
    await w.publish(w.keys.sign({ id: 'while-paused-1' }));
    await w.publish(w.keys.sign({ id: 'while-paused-2' }));
    expect(await w.run()).toBe('held');
    expect(await w.run()).toBe('held');
    expect(w.requests).toEqual([]);

    await resumeSubscription('acme', subscription.id, {
      ...w.subscriptionDeps,
      jobs: { send: (job, delay) => w.queues.sendJob(job, delay) },
      correlationId: 'corr-resume',
    });
    // The release job runs on the dispatch queue.
    const { job } = w.queues.jobs.splice(0)[0]!;
    expect(await dispatchMessage(JSON.stringify(job), w.dispatchDeps)).toMatchObject({
      job: 'release',
      tasks: 2,
    });
    expect(await w.run()).toBe('succeeded');
    expect(await w.run()).toBe('succeeded');
    expect(w.requests.map((r) => JSON.parse(r.body).id).sort()).toEqual(['while-paused-1', 'while-paused-2']);
  });

  test('deliveries to a deleted or disabled subscription are cancelled, not sent', async () => {
    const w = world();
    const { subscription } = await oneDelivery(w);
    await w.subscriptions.delete('acme', subscription.id);
    expect(await w.run()).toBe('cancelled');
    expect(w.requests).toEqual([]);
  });

  test('an envelope whose signature does not verify is never sent', async () => {
    const w = world();
    await w.subscribe();
    await w.publish(w.keys.sign());
    const queued = w.queues.take();
    queued.task.envelope = { ...queued.task.envelope!, data: { total: 1_000_000 } };
    expect(await w.run(queued)).toBe('failed');
    expect(w.requests).toEqual([]);
    expect(w.bus.published[0]).toMatchObject({
      detailType: 'delivery.failed',
      detail: { reason: 'the event failed its integrity check' },
    });
    // A security signal (RejectedEnvelopes), apart from the delivery outcomes.
    expect(w.outcomes.rejectedEnvelopes).toBe(1);
    expect(w.outcomes.counted).toEqual([]);
  });

  test('a slow receiver is marked slow and its deliveries move to the slow lane', async () => {
    const w = world();
    const { subscription } = await w.subscribe();
    w.answers.push({ statusCode: 200, durationMs: 2500 });
    await w.publish(w.keys.sign({ id: 'first' }));
    expect(await w.run()).toBe('succeeded');
    expect((await w.subscriptions.get('acme', subscription.id))!.slowSince).toBeDefined();

    // Dispatch now routes it to the slow lane...
    await w.publish(w.keys.sign({ id: 'second' }));
    expect(w.queues.tasks[0]!.lane).toBe('slow');
    // ...and a task already in the fast lane is moved there without being sent.
    const dispatched = w.queues.take();
    const stuckInFastLane = { ...dispatched, lane: 'fast' as const };
    expect(await w.run(stuckInFastLane)).toBe('forwarded');
    expect(w.queues.tasks[0]).toMatchObject({
      lane: 'slow',
      task: { forwardedFrom: stuckInFastLane.messageId },
    });
    expect(await w.run()).toBe('succeeded');
    expect(w.requests).toHaveLength(2);
    // Fast again: the mark is cleared.
    expect((await w.subscriptions.get('acme', subscription.id))!.slowSince).toBeUndefined();
  });

  test('a fast-lane attempt still unanswered after slowThresholdMs marks the subscription slow before its answer', async () => {
    const w = world({ slowThresholdMs: 20 });
    const { subscription } = await w.subscribe();
    const slowSince = async () => (await w.subscriptions.get('acme', subscription.id))!.slowSince;
    await w.publish(w.keys.sign({ id: 'first' }));
    const answer = w.holdNextAnswer();
    w.answers.push({ statusCode: 200, durationMs: 2500 });
    const first = w.run();
    for (let waited = 0; (await slowSince()) === undefined && waited < 5000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const marked = await slowSince();
    expect(marked).toBeDefined();
    // While the first attempt still waits for its answer, the next event goes to the slow lane.
    await w.publish(w.keys.sign({ id: 'second' }));
    expect(w.queues.tasks[0]!.lane).toBe('slow');
    expect(w.requests).toHaveLength(1);

    answer();
    expect(await first).toBe('succeeded');
    // Sent once, and the mark keeps the time it was first set.
    expect(w.requests).toHaveLength(1);
    expect(await slowSince()).toBe(marked);
  });

  test('an attempt answered within slowThresholdMs leaves no slow mark', async () => {
    const w = world({ slowThresholdMs: 50 });
    const { subscription } = await w.subscribe();
    await w.publish(w.keys.sign());
    const answer = w.holdNextAnswer();
    const first = w.run();
    setTimeout(answer, 5);
    expect(await first).toBe('succeeded');
    // Past the threshold now: no timer was left behind to mark it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await w.subscriptions.get('acme', subscription.id))!.slowSince).toBeUndefined();
  });

  test('sustained failure disables the subscription and publishes subscription.disabled', async () => {
    const w = world({ schedule: [0], disableAfterFailures: 3 });
    const { subscription } = await w.subscribe();
    for (let i = 0; i < 3; i++) {
      w.answers.push({ statusCode: 500, durationMs: 5 });
      await w.publish(w.keys.sign());
      await w.run();
    }
    expect(await w.subscriptions.get('acme', subscription.id)).toMatchObject({
      status: 'disabled',
      disabledReason: '3 attempts in a row failed',
    });
    expect(w.bus.types().filter((t) => t === 'subscription.disabled')).toHaveLength(1);
  });

  test('a success in between resets the failure count', async () => {
    const w = world({ schedule: [0], disableAfterFailures: 2 });
    const { subscription } = await w.subscribe();
    for (const status of [500, 200, 500]) {
      w.answers.push({ statusCode: status, durationMs: 5 });
      await w.publish(w.keys.sign());
      await w.run();
    }
    expect(await w.subscriptions.get('acme', subscription.id)).toMatchObject({
      status: 'active',
      consecutiveFailures: 1,
    });
  });

  test('failing for longer than the limit disables, whatever the count', async () => {
    const w = world({ schedule: [0], disableAfterMs: 5 * 86400_000 });
    const { subscription } = await w.subscribe();
    w.answers.push({ statusCode: 500, durationMs: 5 }, { statusCode: 500, durationMs: 5 });
    await w.publish(w.keys.sign());
    await w.run();
    w.advance(5 * 86400);
    await w.publish(w.keys.sign());
    await w.run();
    expect(await w.subscriptions.get('acme', subscription.id)).toMatchObject({
      status: 'disabled',
      disabledReason: expect.stringMatching(/^every attempt has failed since/),
    });
  });

  test('counts each attempt whose status is final, once: succeeded or failed, never retrying', async () => {
    const w = world({ schedule: [0, 5] });
    await oneDelivery(w);
    w.answers.push({ statusCode: 500, durationMs: 5 }, { statusCode: 500, durationMs: 5 });
    expect(await w.run()).toBe('retrying');
    expect(w.outcomes.counted).toEqual([]);
    w.advance(5);
    expect(await w.run()).toBe('failed');
    await w.publish(w.keys.sign());
    expect(await w.run()).toBe('succeeded');
    expect(w.outcomes.counted).toEqual(['failed', 'succeeded']);
  });

  test('a delivery that succeeds in its first run gives its latency, from its creation to that attempt', async () => {
    const w = world({ schedule: [0, 5] });
    await oneDelivery(w);
    w.answers.push({ statusCode: 500, durationMs: 5 });
    expect(await w.run()).toBe('retrying');
    w.advance(5);
    expect(await w.run()).toBe('succeeded');
    // The retry's 5 s, and the two attempts' 5 ms each on the world's clock.
    expect(w.outcomes.latencies).toEqual([5010]);
    expect(w.outcomes.rejectedEnvelopes).toBe(0);
  });

  test('a redelivery’s run gives no latency: it starts long after the delivery was created', async () => {
    const w = world();
    await oneDelivery(w);
    const queued = w.queues.take();
    expect(await w.run(queued)).toBe('succeeded');
    w.advance(3600);
    const redelivery = {
      ...queued,
      messageId: 'redeliver-msg',
      task: { ...queued.task, start: { reason: 'redeliver' as const, id: 'rd-1' } },
    };
    expect(await w.run(redelivery)).toBe('succeeded');
    expect(w.outcomes.counted).toEqual(['succeeded', 'succeeded']);
    // The first run's attempt alone (5 ms on the world's clock).
    expect(w.outcomes.latencies).toEqual([5]);
  });

  test('a delivery that fails without an attempt, or a copy of a task, counts nothing', async () => {
    const w = world();
    await w.subscribe();
    await w.publish(w.keys.sign());
    const queued = w.queues.take();
    const copy = { ...queued, messageId: 'another-message' };
    queued.task.envelope = { ...queued.task.envelope!, data: { total: 1_000_000 } };
    expect(await w.run(queued)).toBe('failed');
    expect(await w.run(copy)).toBe('duplicate');
    expect(w.outcomes.counted).toEqual([]);
  });

  test('a new run (redelivery) supersedes the retries of the old one', async () => {
    const w = world();
    await oneDelivery(w);
    const queued = w.queues.take();
    w.answers.push({ statusCode: 500, durationMs: 5 });
    await w.run(queued);
    const oldRetry = w.queues.take();
    const redelivery = {
      ...queued,
      messageId: 'redeliver-msg',
      task: { ...queued.task, start: { reason: 'redeliver' as const, id: 'rd-1' } },
    };
    expect(await w.run(redelivery)).toBe('succeeded');
    w.advance(10);
    expect(await deliverTask(oldRetry.task, oldRetry.messageId, w.deliverDeps())).toBe('duplicate');
    expect(w.requests).toHaveLength(2);
  });
});
