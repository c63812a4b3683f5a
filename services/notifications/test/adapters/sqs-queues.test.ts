import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { queued, startSqs, type TestSqs } from '@herald/shared/testing/sqs';
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
});
