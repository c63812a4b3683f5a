import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { captureLogs, lambdaContext } from '@herald/shared/testing/http';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createDeliveryMetrics, outcomeCounter } from '../../src/adapters/delivery-metrics';
import { emailChannel } from '../../src/delivery/email-channel';
import { webhookChannel } from '../../src/delivery/webhook-channel';
import { createHandler as createDeliverEmail } from '../../src/handlers/deliver-email';
import { createHandler as createDeliver } from '../../src/handlers/deliver';
import { createHandler as createDispatch } from '../../src/handlers/dispatch';
import type { Lane } from '../../src/model/lanes';
import { memoryCipher } from '../support/memory';
import { world } from '../support/world';

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
    // Each receiver answers once both requests are under way (or after a second, so that run one
    // after the other the batch still ends): only side by side are both ever in flight at once.
    let inFlight = 0;
    let bothInFlight = false;
    let release: () => void = () => undefined;
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    const sender = {
      async post(request: { url: string }) {
        inFlight += 1;
        if (inFlight === 2) {
          bothInFlight = true;
          release();
        }
        await Promise.race([bothStarted, new Promise((resolve) => setTimeout(resolve, 1000))]);
        inFlight -= 1;
        return { statusCode: 200, durationMs: request.url.includes('slow') ? 400 : 10 };
      },
    };
    const handler = createDeliver(
      (lane: Lane) => ({
        ...w.deliverDeps(lane),
        channel: webhookChannel({ sender, cipher: memoryCipher, timeoutMs: 1000, maxTimeoutMs: 20_000 }),
      }),
      () => 'fast',
      createDeliveryMetrics(),
    );
    const records = w.queues.tasks.splice(0).map((q) => record(JSON.stringify(q.task), q.messageId));
    expect(records.map((r) => JSON.parse(r.body).subscriptionId)).toEqual([
      slowSub.subscription.id,
      fastSub.subscription.id,
    ]);
    const result = await handler({ Records: records } as SQSEvent, lambdaContext());
    expect(result).toEqual({ batchItemFailures: [] });
    // Run one after the other, the fast receiver would only be called once the slow one answered.
    expect(bothInFlight).toBe(true);
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
      createDeliveryMetrics(),
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

/** The EMF lines the batch wrote, as CloudWatch reads them. */
function metricLines(): Array<Record<string, unknown>> {
  return logs
    .text()
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('delivery metrics', () => {
  test('deliver counts each finished attempt once per batch, in Herald/Notifications without dimensions', async () => {
    const w = world();
    await w.subscribe({ url: 'https://ok.example.com/h' });
    await w.subscribe({ url: 'https://gone.example.com/h' });
    await w.subscribe({ url: 'https://busy.example.com/h' });
    await w.publish(w.keys.sign());
    const sender = {
      async post(request: { url: string }) {
        const statusCode = request.url.includes('ok') ? 200 : request.url.includes('gone') ? 410 : 503;
        return { statusCode, durationMs: 5 };
      },
    };
    const metrics = createDeliveryMetrics();
    const handler = createDeliver(
      (lane: Lane) => ({
        ...w.deliverDeps(lane),
        channel: webhookChannel({ sender, cipher: memoryCipher, timeoutMs: 1000, maxTimeoutMs: 20_000 }),
        outcomes: outcomeCounter(metrics),
      }),
      () => 'fast',
      metrics,
    );
    const records = w.queues.tasks.splice(0).map((q) => record(JSON.stringify(q.task), q.messageId));
    expect(await handler({ Records: records } as SQSEvent, lambdaContext())).toEqual({
      batchItemFailures: [],
    });

    const [line, ...others] = metricLines();
    expect(others).toEqual([]);
    expect(line).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: 'Herald/Notifications',
            Dimensions: [[]],
            Metrics: expect.arrayContaining([
              { Name: 'DeliveriesSucceeded', Unit: 'Count' },
              { Name: 'DeliveriesFailed', Unit: 'Count' },
              { Name: 'DeliveryLatency', Unit: 'Milliseconds' },
            ]),
          },
        ],
      },
      // The 503 is retrying: neither succeeded nor failed.
      DeliveriesSucceeded: 1,
      DeliveriesFailed: 1,
      // The one delivered, from its creation (the world's clock stands still).
      DeliveryLatency: 0,
    });
    expect(
      (line!._aws as { CloudWatchMetrics: Array<{ Metrics: unknown[] }> }).CloudWatchMetrics[0]!.Metrics,
    ).toHaveLength(3);
  });

  test('deliverEmail counts into the same metrics', async () => {
    const w = world();
    const { subscription } = await w.subscribe({ url: undefined, email: 'ops@example.com' });
    // The address confirmed (double opt-in): a pending one is sent nothing.
    await w.subscriptions.update('acme', subscription.id, { set: { status: 'active' } });
    await w.publish(w.keys.sign());
    const metrics = createDeliveryMetrics();
    const sent: string[] = [];
    const handler = createDeliverEmail(
      () => ({
        ...w.deliverDeps('email'),
        channel: emailChannel({
          async send(message) {
            sent.push(message.to);
            return { statusCode: 200, durationMs: 5 };
          },
        }),
        outcomes: outcomeCounter(metrics),
      }),
      metrics,
    );
    const records = w.queues.tasks.splice(0).map((q) => record(JSON.stringify(q.task), q.messageId));
    expect(await handler({ Records: records } as SQSEvent, lambdaContext())).toEqual({
      batchItemFailures: [],
    });
    expect(sent).toEqual(['ops@example.com']);
    expect(metricLines()).toEqual([
      expect.objectContaining({
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            {
              Namespace: 'Herald/Notifications',
              Dimensions: [[]],
              Metrics: [
                { Name: 'DeliveriesSucceeded', Unit: 'Count' },
                { Name: 'DeliveryLatency', Unit: 'Milliseconds' },
              ],
            },
          ],
        }),
        DeliveriesSucceeded: 1,
        DeliveryLatency: 0,
      }),
    ]);
  });

  test('a batch that finishes nothing writes no metrics line', async () => {
    const w = world();
    await w.subscribe();
    await w.publish(w.keys.sign());
    w.answers.push({ statusCode: 500, durationMs: 5 });
    const metrics = createDeliveryMetrics();
    const handler = createDeliver(
      (lane) => ({ ...w.deliverDeps(lane), outcomes: outcomeCounter(metrics) }),
      () => 'fast',
      metrics,
    );
    const records = w.queues.tasks.splice(0).map((q) => record(JSON.stringify(q.task), q.messageId));
    await handler({ Records: records } as SQSEvent, lambdaContext());
    expect(metricLines()).toEqual([]);
  });
});

describe('dispatch handler', () => {
  test('logs each event under the correlation id its envelope carries (the bus → queue hop has no attributes)', async () => {
    const w = world();
    await w.subscribe({ eventTypes: ['*'] });
    const envelope = w.keys.sign({ id: 'evt-corr' });
    const body = JSON.stringify({
      source: 'herald.processing',
      'detail-type': 'event.stored',
      time: '2026-11-28T10:00:00Z',
      detail: envelope,
    });
    const handler = createDispatch(() => w.dispatchDeps);
    await handler(
      { Records: [record(body, 'm-1', 'herald-test-notifications-dispatch')] } as SQSEvent,
      lambdaContext(),
    );
    expect(logs.lines().find((line) => line.message === 'Event fanned out')).toMatchObject({
      eventId: 'evt-corr',
      correlation_id: envelope.correlationid,
    });
  });

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
    // A security signal, counted at once: RejectedEnvelopes in namespace Herald, by service.
    expect(metricLines()).toEqual([
      expect.objectContaining({
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            {
              Namespace: 'Herald',
              Dimensions: [['service']],
              Metrics: [{ Name: 'RejectedEnvelopes', Unit: 'Count' }],
            },
          ],
        }),
        RejectedEnvelopes: 1,
      }),
    ]);
  });
});
