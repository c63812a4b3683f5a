import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { countCalls, takeCallCounts } from '@herald/shared/aws/call-counter';
import { queued, sqsClient, startSqs, type TestSqs } from '@herald/shared/testing/sqs';
import { SqsQueues } from '../../src/adapters/sqs-queues';
import type { DeliveryTask, DispatchJob } from '../../src/model/delivery-task';

let sqs: TestSqs;
beforeAll(async () => {
  sqs = await startSqs();
}, 30_000);
afterAll(() => sqs?.stop(), 30_000);

const task = (tenantId: string, n: number): DeliveryTask => ({
  v: 1,
  tenantId,
  subscriptionId: 'sub-1',
  kind: 'webhook',
  deliveryId: `d${n}`,
  eventId: `e${n}`,
  eventType: 'order.created',
  eventKey: `EVENT#${n}`,
  correlationId: `c${n}`,
  attempt: 1,
});

describe('SqsQueues', () => {
  // fauxqs shows a FIFO queue's group ids (a standard queue's are carried by the local cloud's front).
  const fifo = () => sqs.queue({ FifoQueue: 'true', ContentBasedDeduplication: 'true' });

  test('tasks and jobs go with their tenant as message group, so each queue is a fair queue', async () => {
    const [fast, slow, dispatch] = [fifo(), fifo(), fifo()];
    const queues = new SqsQueues(sqs.client, { fast: fast.url, slow: slow.url, dispatch: dispatch.url });
    await queues.sendTasks([
      { task: task('acme', 1), lane: 'fast' },
      { task: task('globex', 2), lane: 'fast' },
    ]);
    await queues.send(task('initech', 3), { lane: 'slow' });
    const job: DispatchJob = {
      v: 1,
      job: 'release',
      id: 'j1',
      tenantId: 'umbrella',
      subscriptionId: 'sub-1',
      correlationId: 'c4',
    };
    await queues.sendJob(job);
    expect(queued(sqs, fast.name).map((m) => m.messageGroupId)).toEqual(['acme', 'globex']);
    expect(queued(sqs, slow.name).map((m) => m.messageGroupId)).toEqual(['initech']);
    expect(queued(sqs, dispatch.name).map((m) => m.messageGroupId)).toEqual(['umbrella']);
  });

  test('the task groups of many records go ten to a call; a group with a task SQS refuses fails alone', async () => {
    const [fast, slow] = [sqs.queue(), sqs.queue()];
    const client = countCalls(sqsClient(sqs.endpoint), 'SQS');
    const queues = new SqsQueues(client, { fast: fast.url, slow: slow.url });
    const group = (from: number, count: number, lane: 'fast' | 'slow' = 'fast') =>
      Array.from({ length: count }, (_, i) => ({ task: task('acme', from + i), lane }));
    // A task larger than the queue takes (256 KiB) is never sent.
    const huge = { task: { ...task('acme', 99), eventType: 'x'.repeat(300_000) }, lane: 'fast' as const };
    takeCallCounts();
    const errors = await queues.sendTaskGroups([
      group(0, 7),
      [huge, ...group(7, 1)],
      group(8, 6),
      group(20, 3, 'slow'),
    ]);
    expect(errors.map((error) => error?.message)).toEqual([
      undefined,
      'SQS refused 1 of 2 message(s): MessageTooLong',
      undefined,
      undefined,
    ]);
    // 14 fast tasks in two calls, 3 slow in one.
    expect(takeCallCounts()).toEqual({ 'SQS.SendMessageBatch': 3 });
    expect(queued(sqs, fast.name)).toHaveLength(14);
    expect(queued(sqs, slow.name)).toHaveLength(3);
    client.destroy();
  });
});
