/**
 * Dead-letter queues over the SQS API: what inspecting and redriving them calls (see
 * `@herald/shared/dead-letters/ports`). IAM: sqs:GetQueueUrl and sqs:GetQueueAttributes on each queue
 * located; sqs:ReceiveMessage and sqs:ChangeMessageVisibility to peek; sqs:DeleteMessage and
 * sqs:SendMessage to resend; sqs:StartMessageMoveTask (with ReceiveMessage, DeleteMessage and
 * GetQueueAttributes) on the dead-letter queue and sqs:SendMessage on the destination to move;
 * sqs:ListMessageMoveTasks to follow a move. KMS: decrypt on the queues' key, generate data keys to send.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  MoveRefused,
  type DeadLetter,
  type DeadLetterQueues,
  type LocatedQueue,
  type MoveTask,
  type MoveTaskStatus,
  type OutgoingLetter,
  type QueueAddress,
  type QueueCounts,
  type ReceiveOptions,
} from '../dead-letters/ports';
import { SQS_MAX_BATCH_ENTRIES, sendMessages } from './sqs-send';

const chunks = <T>(items: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / SQS_MAX_BATCH_ENTRIES) }, (_, i) =>
    items.slice(i * SQS_MAX_BATCH_ENTRIES, (i + 1) * SQS_MAX_BATCH_ENTRIES),
  );

function redrivePolicyOf(text: string | undefined): LocatedQueue['redrivePolicy'] {
  if (text === undefined) return undefined;
  const policy = JSON.parse(text) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  if (typeof policy.deadLetterTargetArn !== 'string') return undefined;
  return { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount: Number(policy.maxReceiveCount) };
}

function letterOf(message: {
  MessageId?: string;
  ReceiptHandle?: string;
  Body?: string;
  Attributes?: Partial<Record<string, string>>;
  MessageAttributes?: Record<string, { DataType?: string; StringValue?: string }>;
}): DeadLetter {
  const sent = Number(message.Attributes?.SentTimestamp);
  const received = Number(message.Attributes?.ApproximateReceiveCount);
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {}))
    if (value.StringValue !== undefined && !value.DataType?.startsWith('Binary'))
      attributes[name] = value.StringValue;
  return {
    messageId: message.MessageId ?? '',
    receipt: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    ...(Number.isFinite(sent) && sent > 0 ? { sentAt: new Date(sent) } : {}),
    ...(Number.isFinite(received) ? { receiveCount: received } : {}),
    attributes,
  };
}

/** SQS's codes for a move it will not start, by what the operator should hear. */
function refusal(error: unknown): MoveRefused | undefined {
  const { name, message = '' } = error as { name?: string; message?: string };
  if (name !== 'InvalidParameterValue') return undefined;
  if (/already a task running/i.test(message)) return new MoveRefused('already-running', message);
  if (/must be configured as a Dead Letter Queue/i.test(message))
    return new MoveRefused('not-a-dead-letter-queue', message);
  return undefined;
}

export class SqsDeadLetterQueues implements DeadLetterQueues {
  constructor(private readonly sqs: SQSClient) {}

  async locate(name: string): Promise<LocatedQueue> {
    const { QueueUrl: url } = await this.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    if (!url) throw new Error(`SQS gave no URL for queue ${name}`);
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'RedrivePolicy'] }),
    );
    const redrivePolicy = redrivePolicyOf(Attributes.RedrivePolicy);
    return { name, url, arn: Attributes.QueueArn ?? '', ...(redrivePolicy ? { redrivePolicy } : {}) };
  }

  async counts(queue: QueueAddress): Promise<QueueCounts> {
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue.url,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    return {
      visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
    };
  }

  async receive(queue: QueueAddress, options: ReceiveOptions): Promise<DeadLetter[]> {
    const out = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: Math.max(1, Math.min(SQS_MAX_BATCH_ENTRIES, options.max)),
        VisibilityTimeout: options.holdSeconds,
        WaitTimeSeconds: options.waitSeconds,
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
        MessageAttributeNames: ['All'],
      }),
    );
    return (out.Messages ?? []).map(letterOf);
  }

  async release(queue: QueueAddress, receipts: readonly string[]): Promise<void> {
    for (const chunk of chunks(receipts))
      await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queue.url,
          Entries: chunk.map((receipt, i) => ({
            Id: String(i),
            ReceiptHandle: receipt,
            VisibilityTimeout: 0,
          })),
        }),
      );
  }

  async delete(queue: QueueAddress, receipts: readonly string[]): Promise<void> {
    for (const chunk of chunks(receipts)) {
      const out = await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: chunk.map((receipt, i) => ({ Id: String(i), ReceiptHandle: receipt })),
        }),
      );
      // A message resent but not deleted comes back and is resent again: consumers drop the copy.
      if ((out.Failed ?? []).length > 0)
        throw new Error(`SQS did not delete ${out.Failed!.length} message(s) from ${queue.name}`);
    }
  }

  async send(queue: QueueAddress, letters: readonly OutgoingLetter[]) {
    const outcomes = await sendMessages(this.sqs, queue.url, letters);
    return outcomes.flatMap(({ index, error }) => (error ? [{ index, why: error.code }] : []));
  }

  async startMove(source: QueueAddress, destination: QueueAddress, maxMessagesPerSecond?: number) {
    try {
      const out = await this.sqs.send(
        new StartMessageMoveTaskCommand({
          SourceArn: source.arn,
          DestinationArn: destination.arn,
          ...(maxMessagesPerSecond !== undefined
            ? { MaxNumberOfMessagesPerSecond: maxMessagesPerSecond }
            : {}),
        }),
      );
      return out.TaskHandle ?? '';
    } catch (error) {
      throw refusal(error) ?? error;
    }
  }

  async listMoves(source: QueueAddress): Promise<MoveTask[]> {
    const out = await this.sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: source.arn, MaxResults: 10 }),
    );
    return (out.Results ?? []).map((task) => ({
      status: (task.Status ?? 'RUNNING') as MoveTaskStatus,
      ...(task.TaskHandle ? { handle: task.TaskHandle } : {}),
      ...(task.StartedTimestamp !== undefined ? { startedAt: new Date(task.StartedTimestamp) } : {}),
      ...(task.ApproximateNumberOfMessagesMoved !== undefined
        ? { moved: task.ApproximateNumberOfMessagesMoved }
        : {}),
      ...(task.ApproximateNumberOfMessagesToMove !== undefined
        ? { toMove: task.ApproximateNumberOfMessagesToMove }
        : {}),
      ...(task.DestinationArn ? { destinationArn: task.DestinationArn } : {}),
      ...(task.MaxNumberOfMessagesPerSecond !== undefined
        ? { maxMessagesPerSecond: task.MaxNumberOfMessagesPerSecond }
        : {}),
      ...(task.FailureReason ? { failureReason: task.FailureReason } : {}),
    }));
  }
}
