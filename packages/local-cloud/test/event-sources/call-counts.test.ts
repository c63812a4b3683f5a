/**
 * The event-source pollers' AWS calls are counted on the clients the local cloud gives them, apart
 * from anything else: a benchmark reports them beside the functions' own calls.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { sqsClient, startSqs, type TestSqs } from '@herald/shared/testing/sqs';
import { callCounts } from '../../src/event-sources/call-counts';

let sqs: TestSqs;
beforeAll(async () => {
  sqs = await startSqs();
}, 30_000);
afterAll(() => sqs?.stop(), 30_000);

test('each command of a counted client is counted by service and operation; snapshots are copies', async () => {
  const counts = callCounts();
  const poller = counts.count(sqsClient(sqs.endpoint), 'SQS');
  const other = sqsClient(sqs.endpoint);
  const { url } = sqs.queue();
  await other.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{}' }));
  expect(counts.snapshot()).toEqual({});
  const { Messages = [] } = await poller.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
  );
  const before = counts.snapshot();
  await poller.send(
    new DeleteMessageBatchCommand({
      QueueUrl: url,
      Entries: Messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle! })),
    }),
  );
  await poller.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0 }));
  expect(before).toEqual({ 'SQS.ReceiveMessage': 1 });
  expect(counts.snapshot()).toEqual({ 'SQS.ReceiveMessage': 2, 'SQS.DeleteMessageBatch': 1 });
  poller.destroy();
  other.destroy();
});
