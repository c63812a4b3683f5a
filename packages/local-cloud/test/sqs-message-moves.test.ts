// Dead-letter queue redrive on the local cloud's SQS, through the real AWS SDK: fauxqs behind the front
// that answers StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask and
// ListDeadLetterSourceQueues, with the behaviour and the errors AWS has (see src/sqs-message-moves/).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { SqsDeadLetterQueues } from '@herald/shared/aws/dead-letter-queues';
import { MoveRefused } from '@herald/shared/dead-letters/ports';
import type { FauxqsServer } from 'fauxqs';
import { clientConfig, queueArn, queueUrl } from '../src/aws';
import type { SqsFront } from '../src/sqs-message-moves';
import { encodeTaskHandle } from '../src/sqs-message-moves/tasks';
import { uniqueName, waitFor } from './event-sources/helpers';
import { startFauxqsBehindFront, type FauxqsBehindFront } from './support/fauxqs-behind-front';

let sqsServers: FauxqsBehindFront;
let fauxqs: FauxqsServer;
let front: SqsFront;
let sqs: SQSClient;

beforeAll(async () => {
  sqsServers = await startFauxqsBehindFront();
  ({ fauxqs, front } = sqsServers);
  sqs = new SQSClient({ ...clientConfig(front.endpoint), useQueueUrlAsEndpoint: false, maxAttempts: 1 });
}, 30_000);

afterAll(async () => {
  sqs?.destroy();
  await sqsServers?.stop();
}, 30_000);

async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return name;
}

/** A source queue whose redrive policy sends a message to a new DLQ on its second receive. */
async function pipe(): Promise<{ source: string; dlq: string }> {
  const dlq = await createQueue(uniqueName('dlq'));
  const source = await createQueue(uniqueName('source'), {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(dlq), maxReceiveCount: 1 }),
  });
  return { source, dlq };
}

async function visible(queue: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl(queue),
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages);
}

/** Sends `bodies` to `source` and fails each until the redrive policy has moved it to `dlq`. */
async function deadLetter(source: string, dlq: string, bodies: string[]): Promise<void> {
  for (const body of bodies)
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl(source),
        MessageBody: body,
        MessageAttributes: { correlationid: { DataType: 'String', StringValue: `corr-${body}` } },
      }),
    );
  while ((await visible(dlq)) < bodies.length)
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl(source),
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
      }),
    );
}

async function receiveAll(queue: string, expected: number): Promise<Message[]> {
  const messages: Message[] = [];
  await waitFor(`${expected} message(s) in ${queue}`, async () => {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl(queue),
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    messages.push(...(out.Messages ?? []));
    return messages.length >= expected;
  });
  return messages;
}

const tasksOf = async (queue: string, max = 10) =>
  (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: queueArn(queue), MaxResults: max })))
    .Results ?? [];

async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

describe('requests the front does not answer itself', () => {
  test('reach fauxqs unchanged, and queue URLs name the front’s port', async () => {
    const name = uniqueName('plain');
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    expect(QueueUrl).toBe(`http://sqs.us-east-1.127.0.0.1:${front.port}/000000000000/${name}`);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'through the front' }));
    expect((await receiveAll(name, 1)).map((m) => m.Body)).toEqual(['through the front']);
  });
});

describe('StartMessageMoveTask', () => {
  test('without a destination moves every message back to its source queue, as new messages', async () => {
    const { source, dlq } = await pipe();
    await deadLetter(source, dlq, ['one', 'two']);
    const deadIds = fauxqs.inspectQueue(dlq)!.messages.ready.map((m) => m.messageId);
    expect(deadIds).toHaveLength(2);

    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: queueArn(dlq) }));
    expect(JSON.parse(Buffer.from(TaskHandle!, 'base64').toString())).toEqual({
      taskId: expect.any(String),
      sourceArn: queueArn(dlq),
    });

    const moved = await receiveAll(source, 2);
    expect(moved.map((m) => m.Body).sort()).toEqual(['one', 'two']);
    for (const message of moved) {
      expect(message.MessageAttributes?.correlationid?.StringValue).toBe(`corr-${message.Body}`);
      expect(message.Attributes?.ApproximateReceiveCount).toBe('1');
      expect(deadIds).not.toContain(message.MessageId);
    }
    await waitFor('the task to complete', async () => (await tasksOf(dlq))[0]?.Status === 'COMPLETED');
    expect(await tasksOf(dlq)).toEqual([
      {
        Status: 'COMPLETED',
        SourceArn: queueArn(dlq),
        ApproximateNumberOfMessagesMoved: 2,
        ApproximateNumberOfMessagesToMove: 2,
        StartedTimestamp: expect.any(Number),
      },
    ]);
    expect(await visible(dlq)).toBe(0);
  });

  test('to a destination at a set rate: one task at a time, cancelled where it stands', async () => {
    const { source, dlq } = await pipe();
    const destination = await createQueue(uniqueName('destination'));
    // At one a second, more messages than the test may run seconds: the task is still under way
    // whenever the test looks, however slow the machine.
    const count = 60;
    const bodies = Array.from({ length: count }, (_, i) => `m${i}`);
    await deadLetter(source, dlq, bodies);

    const { TaskHandle } = await sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: queueArn(dlq),
        DestinationArn: queueArn(destination),
        MaxNumberOfMessagesPerSecond: 1,
      }),
    );
    const [running] = await tasksOf(dlq);
    expect(running).toEqual({
      TaskHandle,
      Status: 'RUNNING',
      SourceArn: queueArn(dlq),
      DestinationArn: queueArn(destination),
      MaxNumberOfMessagesPerSecond: 1,
      ApproximateNumberOfMessagesMoved: expect.any(Number),
      ApproximateNumberOfMessagesToMove: count,
      StartedTimestamp: expect.any(Number),
    });
    expect(await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: queueArn(dlq) })))).toEqual({
      name: 'InvalidParameterValue',
      message:
        'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
      status: 400,
    });

    const { ApproximateNumberOfMessagesMoved } = await sqs.send(
      new CancelMessageMoveTaskCommand({ TaskHandle }),
    );
    await waitFor('the task to be cancelled', async () => (await tasksOf(dlq))[0]?.Status === 'CANCELLED');
    const [cancelled] = await tasksOf(dlq);
    expect(cancelled!.TaskHandle).toBeUndefined();
    const movedCount = cancelled!.ApproximateNumberOfMessagesMoved!;
    expect(movedCount).toBeGreaterThanOrEqual(ApproximateNumberOfMessagesMoved!);
    // Cancelled where it stood: the rest are still where they were.
    expect(movedCount).toBeLessThan(count);
    expect((await receiveAll(destination, movedCount)).length).toBe(movedCount);
    expect(await visible(dlq)).toBe(count - movedCount);
    expect(await failure(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Only active tasks can be cancelled.',
    });
  }, 30_000);

  test('fails when the destination disappears', async () => {
    const { source, dlq } = await pipe();
    const destination = await createQueue(uniqueName('doomed'));
    await deadLetter(source, dlq, ['a', 'b', 'c', 'd', 'e']);
    await sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: queueArn(dlq),
        DestinationArn: queueArn(destination),
        MaxNumberOfMessagesPerSecond: 1,
      }),
    );
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl(destination) }));
    await waitFor('the task to fail', async () => (await tasksOf(dlq))[0]?.Status === 'FAILED', 15_000);
    expect((await tasksOf(dlq))[0]).toMatchObject({
      FailureReason: 'AWS.SimpleQueueService.NonExistentQueue',
    });
    expect(await visible(dlq)).toBeGreaterThan(0);
  }, 30_000);

  test('refuses what AWS refuses, with its codes and messages', async () => {
    const { dlq } = await pipe();
    const plain = await createQueue(uniqueName('plain'));
    expect(
      await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: queueArn('no-such-queue') }))),
    ).toEqual({
      name: 'ResourceNotFoundException',
      message: "The resource that you specified for the SourceArn parameter doesn't exist.",
      status: 404,
    });
    expect(
      await failure(
        sqs.send(
          new StartMessageMoveTaskCommand({ SourceArn: queueArn(plain), DestinationArn: queueArn(dlq) }),
        ),
      ),
    ).toEqual({
      name: 'InvalidParameterValue',
      message: 'Source queue must be configured as a Dead Letter Queue.',
      status: 400,
    });
    expect(
      await failure(
        sqs.send(
          new StartMessageMoveTaskCommand({ SourceArn: queueArn(dlq), DestinationArn: queueArn('nowhere') }),
        ),
      ),
    ).toEqual({
      name: 'ResourceNotFoundException',
      message: "The resource that you specified for the DestinationArn parameter doesn't exist.",
      status: 404,
    });
    for (const rate of [0, 501])
      expect(
        await failure(
          sqs.send(
            new StartMessageMoveTaskCommand({ SourceArn: queueArn(dlq), MaxNumberOfMessagesPerSecond: rate }),
          ),
        ),
      ).toMatchObject({ name: 'InvalidParameterValue', status: 400 });
  });

  test('without a destination, refuses a dead-letter queue that several queues name', async () => {
    const { dlq } = await pipe();
    await createQueue(uniqueName('second-source'), {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(dlq), maxReceiveCount: 3 }),
    });
    expect(
      await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: queueArn(dlq) }))),
    ).toMatchObject({
      name: 'UnsupportedOperation',
      message: expect.stringContaining('give a DestinationArn'),
    });
  });
});

describe('ListMessageMoveTasks and CancelMessageMoveTask', () => {
  test('answer for what exists, and refuse the rest as AWS does', async () => {
    const { dlq } = await pipe();
    expect(await tasksOf(dlq)).toEqual([]);
    expect(await failure(tasksOf('no-such-queue'))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await failure(tasksOf(dlq, 11))).toMatchObject({ name: 'InvalidParameterValue' });
    expect(await failure(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'foobared' })))).toEqual({
      name: 'InvalidParameterValue',
      message: 'Value for parameter TaskHandle is invalid.',
      status: 400,
    });
    const unknownTask = encodeTaskHandle('10f57157-fc38-4da9-a113-4de7e12d05aa', queueArn(dlq));
    expect(await failure(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: unknownTask })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Task does not exist.',
      status: 404,
    });
    const unknownSource = encodeTaskHandle('10f57157-fc38-4da9-a113-4de7e12d05dd', queueArn('gone'));
    expect(await failure(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: unknownSource })))).toEqual({
      name: 'ResourceNotFoundException',
      message: "The resource that you specified for the SourceArn parameter doesn't exist.",
      status: 404,
    });
  });
});

describe('ListDeadLetterSourceQueues', () => {
  test('names the queues whose redrive policy targets the queue', async () => {
    const { source, dlq } = await pipe();
    const out = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: queueUrl(dlq) }));
    expect(out.queueUrls).toEqual([`http://sqs.us-east-1.127.0.0.1:${front.port}/000000000000/${source}`]);
    const none = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: queueUrl(source) }));
    expect(none.queueUrls).toEqual([]);
    expect(
      await failure(sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: queueUrl('no-such-queue') }))),
    ).toMatchObject({ name: 'QueueDoesNotExist' });
  });
});

describe('Herald’s SQS adapter on it', () => {
  test('starts and follows a move, and says why SQS refused one', async () => {
    const queues = new SqsDeadLetterQueues(sqs);
    const { source, dlq } = await pipe();
    await deadLetter(source, dlq, ['a', 'b', 'c', 'd', 'e']);
    const [from, to] = await Promise.all([queues.locate(dlq), queues.locate(source)]);
    const handle = await queues.startMove(from, to, 1);
    expect((await queues.listMoves(from))[0]).toMatchObject({
      status: 'RUNNING',
      handle,
      toMove: 5,
      destinationArn: to.arn,
      maxMessagesPerSecond: 1,
      startedAt: expect.any(Date),
    });
    await expect(queues.startMove(from, to)).rejects.toEqual(expect.any(MoveRefused));
    await expect(queues.startMove(from, to)).rejects.toMatchObject({ why: 'already-running' });
    await expect(queues.startMove(to, from)).rejects.toMatchObject({ why: 'not-a-dead-letter-queue' });
    await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: handle }));
    await waitFor(
      'the cancelled move',
      async () => (await queues.listMoves(from))[0]?.status === 'CANCELLED',
    );
  });
});
