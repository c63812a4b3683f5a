import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { captureLogs, lambdaContext } from '@herald/shared/testing/http';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { webhookChannel } from '../src/channels';
import type { Lane } from '../src/delivery-task';
import { createHandler as createDeliver } from '../src/handlers/deliver';
import { createHandler as createDispatch } from '../src/handlers/dispatch';
import { memoryCipher } from './support/memory';
import { world } from './support/world';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

function record(body: string, messageId: string, queue = 'herald-test-notifications-delivery'): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${queue}`,
    awsRegion: 'us-east-1',
  };
}

describe('deliver handler', () => {
  test('runs a batch’s records side by side: a slow receiver costs the batch its own time, not everyone’s', async () => {
    const w = world();
    const slowSub = await w.subscribe({ url: 'https://slow.example.com/h' });
    const fastSub = await w.subscribe({ url: 'https://fast.example.com/h' });
    await w.publish(w.keys.sign());
    const started: Record<string, number> = {};
    const sender = {
      async post(request: { url: string }) {
        started[request.url] = Date.now();
        await new Promise((resolve) => setTimeout(resolve, request.url.includes('slow') ? 400 : 10));
        return { statusCode: 200, durationMs: request.url.includes('slow') ? 400 : 10 };
      },
    };
    const handler = createDeliver(
      (lane: Lane) => ({
        ...w.deliverDeps(lane),
        channel: webhookChannel({ sender, cipher: memoryCipher, timeoutMs: 1000 }),
      }),
      () => 'fast',
    );
    const records = w.queues.tasks.splice(0).map((q) => record(JSON.stringify(q.task), q.messageId));
    expect(records.map((r) => JSON.parse(r.body).subscriptionId)).toEqual([
      slowSub.subscription.id,
      fastSub.subscription.id,
    ]);
    const result = await handler({ Records: records } as SQSEvent, lambdaContext());
    expect(result).toEqual({ batchItemFailures: [] });
    // Run one after the other, the fast receiver would only be called once the slow one answered.
    expect(started['https://fast.example.com/h']!).toBeLessThan(started['https://slow.example.com/h']! + 400);
    for (const id of [slowSub.subscription.id, fastSub.subscription.id]) {
      const [delivery] = (await w.deliveries.listBySubscription('acme', id, 1)).items;
      expect(delivery!.status).toBe('succeeded');
    }
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({
        message: 'Batch completed',
        records: 2,
        failed: 0,
        awsCalls: expect.any(Object),
      }),
    );
  });

  test('a task that is not a task fails alone, as a batch item failure', async () => {
    const w = world();
    await w.subscribe();
    await w.publish(w.keys.sign());
    const handler = createDeliver(
      (lane) => w.deliverDeps(lane),
      () => 'fast',
    );
    const good = w.queues.tasks.splice(0)[0]!;
    const result = await handler(
      {
        Records: [record('{"v":2}', 'bad-1'), record(JSON.stringify(good.task), good.messageId)],
      } as SQSEvent,
      lambdaContext(),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad-1' }] });
    expect(w.requests).toHaveLength(1);
  });
});

describe('dispatch handler', () => {
  test('a tampered event fails (towards the DLQ) and is logged as a security event, without its payload', async () => {
    const w = world();
    await w.subscribe({ eventTypes: ['*'] });
    const envelope = { ...w.keys.sign({ data: { card: '4111111111111111' } }), type: 'order.refunded' };
    const body = JSON.stringify({
      source: 'herald.processing',
      'detail-type': 'event.stored',
      time: '2026-11-28T10:00:00Z',
      detail: envelope,
    });
    const handler = createDispatch(() => w.dispatchDeps);
    const result = await handler(
      { Records: [record(body, 'm-1', 'herald-test-notifications-dispatch')] } as SQSEvent,
      lambdaContext(),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({
        securityEvent: 'envelope.rejected',
        reason: 'bad-signature',
        messageId: 'm-1',
      }),
    );
    expect(logs.text()).not.toContain('4111111111111111');
    expect(w.queues.tasks).toEqual([]);
  });
});
