// The SQS event source mapping against the real emulator (fauxqs) through the real SDK: the event Lambda
// builds, deletion on success, partial batch responses, whole-batch retries, the queue's redrive to a DLQ,
// batching windows and stopping.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { clientConfig, queueArn, queueUrl } from '../../src/aws';
import { startEmulators } from '../../src/emulators';
import type { Emulators } from '../../src/emulators';
import type { EventSourceHandle } from '../../src/event-sources/common';
import { startSqsMapping } from '../../src/event-sources/sqs';
import { FunctionError } from '../../src/types';
import type { SqsMapping } from '../../src/types';
import {
  delay,
  EMULATOR_TEST_MS,
  EMULATORS_START_MS,
  EMULATORS_STOP_MS,
  MemoryLog,
  settlesBefore,
  TestInvoker,
  uniqueName,
  waitFor,
} from './helpers';

// The emulators answer slowly on a busy machine: any test here may take that long.
jest.setTimeout(EMULATOR_TEST_MS);

let emulators: Emulators;
let sqs: SQSClient;
const running: EventSourceHandle[] = [];

beforeAll(async () => {
  emulators = await startEmulators('auto');
  sqs = new SQSClient({ ...clientConfig(emulators.endpoints.sqs), useQueueUrlAsEndpoint: false });
}, EMULATORS_START_MS);

afterAll(async () => {
  await Promise.all(running.map((handle) => handle.stop()));
  sqs?.destroy();
  await emulators?.stop();
}, EMULATORS_STOP_MS);

/** The mapping's long-poll wait (Lambda's pollers use the maximum, 20 s). */
const LONG_POLL_MS = 20_000;
/**
 * A batching window longer than any test may run: a batch that fills closes it at once, so a test
 * sees one batch unless the mapping splits it, never because the machine was slow to send.
 */
const WINDOW_LONGER_THAN_A_TEST_SECONDS = 120;

async function createQueue(attributes: Record<string, string> = {}): Promise<string> {
  const name = uniqueName('q');
  await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return name;
}

function mapping(queue: string, overrides: Partial<SqsMapping> = {}): SqsMapping {
  return {
    kind: 'sqs',
    functionName: 'consume',
    queueArn: queueArn(queue),
    queueUrl: queueUrl(queue),
    batchSize: 10,
    maximumBatchingWindowInSeconds: 0,
    reportBatchItemFailures: false,
    enabled: true,
    ...overrides,
  };
}

async function start(sqsMapping: SqsMapping, invoker: TestInvoker, log = new MemoryLog()) {
  const handle = await startSqsMapping(sqsMapping, { sqs, invoker, log }, { errorBackoffMs: 50 });
  running.push(handle);
  return handle;
}

async function stop(handle: EventSourceHandle) {
  running.splice(running.indexOf(handle), 1);
  await handle.stop();
}

async function sendBodies(queue: string, bodies: string[]): Promise<void> {
  for (let start = 0; start < bodies.length; start += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl(queue),
        Entries: bodies
          .slice(start, start + 10)
          .map((body, index) => ({ Id: `e${index}`, MessageBody: body })),
      }),
    );
  }
}

/** Visible plus in-flight messages: zero once everything handled has been deleted. */
async function messagesLeft(queue: string): Promise<number> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl(queue),
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(out.Attributes?.ApproximateNumberOfMessages) +
    Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
}

const bodiesOf = (records: SQSRecord[]) => records.map((record) => record.body);

describe('the event', () => {
  test('is Lambda’s SQS event, and the handled message is deleted', async () => {
    const queue = await createQueue();
    const invoker = new TestInvoker();
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl(queue),
        MessageBody: '{"hello":"world"}',
        MessageAttributes: {
          tenant: { DataType: 'String', StringValue: 't-1' },
          attempt: { DataType: 'Number', StringValue: '3' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from('1100') },
        },
      }),
    );
    const before = Date.now();
    await start(mapping(queue), invoker);
    await waitFor('the invocation', () => invoker.invocations.length === 1);
    const { functionName, payload, type } = invoker.invocations[0]!;
    expect(functionName).toBe('consume');
    expect(type).toBe('RequestResponse');
    const records = (payload as { Records: SQSRecord[] }).Records;
    expect(records).toHaveLength(1);
    const record = records[0]!;
    expect(record).toEqual({
      messageId: sent.MessageId,
      receiptHandle: expect.any(String),
      body: '{"hello":"world"}',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
      },
      messageAttributes: {
        tenant: { stringValue: 't-1', stringListValues: [], binaryListValues: [], dataType: 'String' },
        attempt: { stringValue: '3', stringListValues: [], binaryListValues: [], dataType: 'Number' },
        blob: { binaryValue: 'MTEwMA==', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
      md5OfBody: createHash('md5').update('{"hello":"world"}').digest('hex'),
      md5OfMessageAttributes: sent.MD5OfMessageAttributes,
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn(queue),
      awsRegion: 'us-east-1',
    });
    expect(Number(record.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(before - 1000);
    // The event is JSON, as Lambda's is.
    expect(JSON.parse(JSON.stringify(payload))).toEqual(payload);
    await waitFor('the message to be deleted', async () => (await messagesLeft(queue)) === 0);
  });

  test('a disabled mapping does not poll', async () => {
    const queue = await createQueue();
    await sendBodies(queue, ['idle']);
    const invoker = new TestInvoker();
    const log = new MemoryLog();
    await start(mapping(queue, { enabled: false }), invoker, log);
    await delay(300);
    expect(invoker.invocations).toHaveLength(0);
    expect(log.lines.join('\n')).toMatch(/disabled/);
  });

  test('a queue that does not exist fails the start', async () => {
    await expect(
      startSqsMapping(mapping('no-such-queue'), { sqs, invoker: new TestInvoker(), log: new MemoryLog() }),
    ).rejects.toThrow();
  });
});

describe('failures', () => {
  test('a partial batch response retries only the failed messages', async () => {
    const queue = await createQueue({ VisibilityTimeout: '1' });
    await sendBodies(queue, ['ok-1', 'bad-2', 'ok-3', 'bad-4', 'ok-5']);
    const invoker = new TestInvoker();
    const failedOnce = new Set<string>();
    invoker.handler = (payload) => {
      const failures = (payload as { Records: SQSRecord[] }).Records.filter(
        (record) => record.body.startsWith('bad') && !failedOnce.has(record.body),
      );
      for (const record of failures) failedOnce.add(record.body);
      return { batchItemFailures: failures.map((record) => ({ itemIdentifier: record.messageId })) };
    };
    await start(mapping(queue, { reportBatchItemFailures: true }), invoker);
    await waitFor('the failed messages to come back', () => invoker.invocations.length >= 2);
    await waitFor('the queue to empty', async () => (await messagesLeft(queue)) === 0);

    const batches = invoker.batches<SQSRecord>('consume');
    expect(bodiesOf(batches[0]!).sort()).toEqual(['bad-2', 'bad-4', 'ok-1', 'ok-3', 'ok-5']);
    const retried = batches.slice(1).flat();
    expect(bodiesOf(retried).sort()).toEqual(['bad-2', 'bad-4']);
    for (const record of retried) expect(record.attributes.ApproximateReceiveCount).toBe('2');
  });

  test('a function error returns the whole batch to the queue', async () => {
    const queue = await createQueue({ VisibilityTimeout: '1' });
    await sendBodies(queue, ['a', 'b', 'c']);
    const invoker = new TestInvoker();
    invoker.handler = () => {
      if (invoker.invocations.length === 1) throw new FunctionError('consume', 'Error', 'boom');
    };
    // reportBatchItemFailures does not matter when the function throws.
    await start(mapping(queue, { reportBatchItemFailures: true }), invoker);
    await waitFor('the queue to empty', async () => (await messagesLeft(queue)) === 0);

    const batches = invoker.batches<SQSRecord>('consume');
    expect(bodiesOf(batches[0]!).sort()).toEqual(['a', 'b', 'c']);
    const again = batches.slice(1).flat();
    expect(bodiesOf(again).sort()).toEqual(['a', 'b', 'c']);
    for (const record of again) expect(record.attributes.ApproximateReceiveCount).toBe('2');
  });

  test.each([
    ['an itemIdentifier not in the batch', { batchItemFailures: [{ itemIdentifier: 'not-a-message-id' }] }],
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a bad key name', { batchItemFailures: [{ itemId: 'x' }] }],
    ['a response that is not an object', 'ok'],
  ])('%s fails the whole batch', async (_case, response) => {
    const queue = await createQueue({ VisibilityTimeout: '1' });
    await sendBodies(queue, ['x', 'y']);
    const invoker = new TestInvoker();
    const log = new MemoryLog();
    invoker.handler = () => (invoker.invocations.length === 1 ? response : undefined);
    await start(mapping(queue, { reportBatchItemFailures: true }), invoker, log);
    await waitFor('the queue to empty', async () => (await messagesLeft(queue)) === 0);
    expect(bodiesOf(invoker.batches<SQSRecord>('consume').slice(1).flat()).sort()).toEqual(['x', 'y']);
    expect(log.lines.join('\n')).toMatch(/invalid partial batch response/);
  });

  test('an empty or null batchItemFailures is complete success', async () => {
    const queue = await createQueue({ VisibilityTimeout: '1' });
    await sendBodies(queue, ['p', 'q']);
    const invoker = new TestInvoker();
    invoker.handler = () => (invoker.invocations.length === 1 ? { batchItemFailures: [] } : null);
    await start(mapping(queue, { reportBatchItemFailures: true }), invoker);
    await waitFor('the queue to empty', async () => (await messagesLeft(queue)) === 0);
    await delay(1200);
    expect(invoker.invocations).toHaveLength(1);
  });

  test('a message that fails maxReceiveCount times is moved to the DLQ', async () => {
    const dlq = await createQueue();
    const queue = await createQueue({
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(dlq), maxReceiveCount: 2 }),
    });
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: 'poison' }));
    const invoker = new TestInvoker();
    invoker.handler = () => {
      throw new FunctionError('consume', 'Error', 'cannot handle this');
    };
    await start(mapping(queue), invoker);
    await emulators.fauxqs.spy.waitForMessage(
      { service: 'sqs', queueName: queue, status: 'dlq' },
      undefined,
      10_000,
    );

    const receiveCounts = invoker
      .batches<SQSRecord>('consume')
      .flat()
      .map((record) => record.attributes.ApproximateReceiveCount);
    expect(receiveCounts).toEqual(['1', '2']);
    const inDlq = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl(dlq), WaitTimeSeconds: 1 }));
    expect(inDlq.Messages?.map((message) => [message.MessageId, message.Body])).toEqual([
      [sent.MessageId, 'poison'],
    ]);
    expect(await messagesLeft(queue)).toBe(0);
  });
});

describe('delivery', () => {
  test('every message is handled exactly once', async () => {
    // A short visibility timeout: a message left undeleted comes back and is handled twice.
    const queue = await createQueue({ VisibilityTimeout: '1' });
    const bodies = Array.from({ length: 50 }, (_, index) => `message-${index}`);
    const invoker = new TestInvoker();
    await start(mapping(queue), invoker);
    await sendBodies(queue, bodies);
    // Empty counts messages in flight too: each was deleted after its invocation, so none comes back.
    await waitFor('the queue to empty', async () => (await messagesLeft(queue)) === 0);

    const records = invoker.batches<SQSRecord>('consume').flat();
    const perMessage = new Map<string, number>();
    for (const record of records)
      perMessage.set(record.messageId, (perMessage.get(record.messageId) ?? 0) + 1);
    expect(perMessage.size).toBe(50);
    expect([...perMessage.values()].every((count) => count === 1)).toBe(true);
    expect(bodiesOf(records).sort()).toEqual([...bodies].sort());
    for (const batch of invoker.batches('consume')) expect(batch.length).toBeLessThanOrEqual(10);
  });

  test('a batching window gathers messages that arrive one by one into one invocation', async () => {
    const queue = await createQueue();
    const invoker = new TestInvoker();
    await start(
      mapping(queue, { batchSize: 5, maximumBatchingWindowInSeconds: WINDOW_LONGER_THAN_A_TEST_SECONDS }),
      invoker,
    );
    for (let index = 0; index < 5; index++) {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: `w${index}` }));
      await delay(60);
    }
    await waitFor('the queue to empty', async () => (await messagesLeft(queue)) === 0);
    expect(invoker.batches<SQSRecord>('consume').map(bodiesOf)).toEqual([['w0', 'w1', 'w2', 'w3', 'w4']]);
  });

  test('a batch larger than 10 takes several receives', async () => {
    const queue = await createQueue();
    const bodies = Array.from({ length: 25 }, (_, index) => `big-${index}`);
    await sendBodies(queue, bodies);
    const invoker = new TestInvoker();
    await start(
      mapping(queue, { batchSize: 25, maximumBatchingWindowInSeconds: WINDOW_LONGER_THAN_A_TEST_SECONDS }),
      invoker,
    );
    await waitFor('the queue to empty', async () => (await messagesLeft(queue)) === 0);
    const batches = invoker.batches<SQSRecord>('consume');
    expect(batches).toHaveLength(1);
    expect(bodiesOf(batches[0]!).sort()).toEqual([...bodies].sort());
  });

  test('without a window, messages go as soon as a receive returns them', async () => {
    const queue = await createQueue();
    const invoker = new TestInvoker();
    await start(mapping(queue, { batchSize: 10 }), invoker);
    // The second is sent only once the first was handed over alone: nothing waits for a batch to fill.
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: 'alone' }));
    await waitFor('the first invocation', () => invoker.invocations.length === 1);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: 'next' }));
    await waitFor('the second invocation', () => invoker.invocations.length === 2);
    expect(invoker.batches<SQSRecord>('consume').map(bodiesOf)).toEqual([['alone'], ['next']]);
  });
});

describe('stop', () => {
  test('ends a long poll at once, rather than when it would have returned', async () => {
    const queue = await createQueue();
    const handle = await start(mapping(queue), new TestInvoker());
    await delay(100);
    expect(await settlesBefore(stop(handle), LONG_POLL_MS)).toBe(true);
  }, 40_000);

  test('waits for the invocation under way, whose messages are then deleted', async () => {
    const queue = await createQueue();
    const invoker = new TestInvoker();
    let finished = false;
    invoker.handler = async () => {
      await delay(300);
      finished = true;
    };
    const handle = await start(mapping(queue), invoker);
    await sendBodies(queue, ['slow']);
    await waitFor('the invocation to start', () => invoker.invocations.length === 1);
    await stop(handle);
    expect(finished).toBe(true);
    expect(await messagesLeft(queue)).toBe(0);
  });
});
