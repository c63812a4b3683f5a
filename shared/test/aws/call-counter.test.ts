import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { countCalls, createCallCounter, takeCallCounts } from '../../src/aws/call-counter';
import { sendMessages } from '../../src/aws/sqs-send';
import { sqsClient, startSqs, type TestSqs } from '../../src/testing/sqs';

let sqs: TestSqs;
beforeAll(async () => {
  sqs = await startSqs();
}, 30_000);
afterAll(() => sqs?.stop(), 30_000);

test('each command a counted client sends is counted once, by service and operation, until taken', async () => {
  const client = countCalls(sqsClient(sqs.endpoint), 'SQS');
  const { url } = sqs.queue();
  takeCallCounts();
  await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{}' }));
  await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{}' }));
  // 25 messages: three SendMessageBatch calls.
  await sendMessages(
    client,
    url,
    Array.from({ length: 25 }, () => ({ body: '{}' })),
  );
  await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
  expect(takeCallCounts()).toEqual({
    'SQS.SendMessage': 2,
    'SQS.SendMessageBatch': 3,
    'SQS.GetQueueAttributes': 1,
  });
  expect(takeCallCounts()).toEqual({});
  client.destroy();
});

test('a client counted twice counts each call once; a call that fails is counted too', async () => {
  const client = countCalls(countCalls(sqsClient(sqs.endpoint, 1), 'SQS'), 'SQS');
  takeCallCounts();
  await expect(
    client.send(
      new SendMessageCommand({ QueueUrl: `${sqs.endpoint}/000000000000/missing`, MessageBody: '{}' }),
    ),
  ).rejects.toThrow();
  await client.send(new SendMessageCommand({ QueueUrl: sqs.queue().url, MessageBody: '{}' }));
  expect(takeCallCounts()).toEqual({ 'SQS.SendMessage': 2 });
  client.destroy();
});

test('an uncounted client is not counted', async () => {
  const client = sqsClient(sqs.endpoint);
  takeCallCounts();
  await client.send(new SendMessageCommand({ QueueUrl: sqs.queue().url, MessageBody: '{}' }));
  expect(takeCallCounts()).toEqual({});
  client.destroy();
});

test('a counter of its own counts only its clients, in snapshots that are copies, apart from the functions’ counter', async () => {
  const pollers = createCallCounter();
  const other = createCallCounter();
  const client = pollers.count(sqsClient(sqs.endpoint), 'SQS');
  const function_ = countCalls(other.count(sqsClient(sqs.endpoint), 'SQS'), 'SQS');
  const { url } = sqs.queue();
  takeCallCounts();
  await function_.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{}' }));
  expect(pollers.snapshot()).toEqual({});
  await client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0 }));
  const before = pollers.snapshot();
  await client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0 }));
  expect(before).toEqual({ 'SQS.ReceiveMessage': 1 });
  expect(pollers.snapshot()).toEqual({ 'SQS.ReceiveMessage': 2 });
  // One client counted by two counters counts in both.
  expect(other.take()).toEqual({ 'SQS.SendMessage': 1 });
  expect(takeCallCounts()).toEqual({ 'SQS.SendMessage': 1 });
  expect(other.snapshot()).toEqual({});
  client.destroy();
  function_.destroy();
});
