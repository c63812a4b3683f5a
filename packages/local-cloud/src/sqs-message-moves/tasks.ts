// SQS message move tasks (dead-letter queue redrive), as the SQS API reference describes
// StartMessageMoveTask, ListMessageMoveTasks and CancelMessageMoveTask: a task moves the messages of a
// dead-letter queue (one that some queue's redrive policy names) to a destination queue, by default the
// queue they were dead-lettered from; one active task per source; RUNNING, then COMPLETED, CANCELLED
// or FAILED. A moved message is a new message (new id, new sent time, receive count 0) with the same
// body and attributes. Error codes and messages are those AWS answers with.
//
// Where this differs from AWS, it says so: AWS knows each dead-lettered message's origin, fauxqs does
// not, so the default destination is the one queue whose redrive policy names the dead-letter queue,
// and a dead-letter queue named by several is refused without a DestinationArn.
import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { invalidParameter, notFound, SqsApiError } from './protocol';
import type { QueueDirectory, QueueInfo } from './queues';

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

export interface StartMoveInput {
  sourceArn: string;
  destinationArn?: string;
  maxNumberOfMessagesPerSecond?: number;
}

/** One entry of ListMessageMoveTasks' `Results`, members as the API names them. */
export interface MoveTaskEntry {
  TaskHandle?: string;
  Status: MoveTaskStatus;
  SourceArn: string;
  DestinationArn?: string;
  MaxNumberOfMessagesPerSecond?: number;
  ApproximateNumberOfMessagesMoved: number;
  ApproximateNumberOfMessagesToMove: number;
  FailureReason?: string;
  StartedTimestamp: number;
}

interface Task {
  id: string;
  handle: string;
  source: QueueInfo;
  destination: QueueInfo;
  input: StartMoveInput;
  status: MoveTaskStatus;
  moved: number;
  toMove: number;
  failureReason?: string;
  startedAt: number;
  done?: Promise<void>;
}

const MAX_RATE = 500;
/** Tasks ListMessageMoveTasks can return per source. */
const KEPT_PER_SOURCE = 10;
/** Long enough to send and delete one receive's messages. */
const HOLD_SECONDS = 30;
const NON_EXISTENT_QUEUE = 'AWS.SimpleQueueService.NonExistentQueue';

const ALREADY_RUNNING =
  'There is already a task running. Only one active task is allowed for a source queue arn at a given time.';
export const NOT_A_DEAD_LETTER_QUEUE = 'Source queue must be configured as a Dead Letter Queue.';
const missingSource = () =>
  notFound("The resource that you specified for the SourceArn parameter doesn't exist.");

export function encodeTaskHandle(taskId: string, sourceArn: string): string {
  return Buffer.from(JSON.stringify({ taskId, sourceArn })).toString('base64');
}

function decodeTaskHandle(handle: string): { taskId: string; sourceArn: string } {
  try {
    const value = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as Record<string, unknown>;
    if (typeof value.taskId === 'string' && typeof value.sourceArn === 'string')
      return { taskId: value.taskId, sourceArn: value.sourceArn };
  } catch {
    // Falls through to the error AWS answers with.
  }
  throw invalidParameter('Value for parameter TaskHandle is invalid.');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class MessageMoveTasks {
  /** By source ARN, newest first. */
  private readonly tasks = new Map<string, Task[]>();

  constructor(
    private readonly sqs: SQSClient,
    private readonly queues: QueueDirectory,
    private readonly log: (line: string) => void,
  ) {}

  async start(input: StartMoveInput): Promise<{ TaskHandle: string }> {
    const rate = input.maxNumberOfMessagesPerSecond;
    if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > MAX_RATE))
      throw invalidParameter(
        `Value ${rate} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and ${MAX_RATE}.`,
      );
    const source = await this.queues.byArn(input.sourceArn);
    if (!source) throw missingSource();
    const origins = await this.queues.sourcesOf(source.arn);
    if (origins.length === 0) throw invalidParameter(NOT_A_DEAD_LETTER_QUEUE);
    const destination = await this.destinationOf(input, origins);
    if (destination.fifo !== source.fifo)
      throw invalidParameter('The destination queue must be of the same type as the source queue.');
    if (this.active(source.arn)) throw invalidParameter(ALREADY_RUNNING);

    const id = randomUUID();
    const task: Task = {
      id,
      handle: encodeTaskHandle(id, source.arn),
      source,
      destination,
      input,
      status: 'RUNNING',
      moved: 0,
      toMove: await this.visibleMessages(source),
      startedAt: Date.now(),
    };
    const history = [task, ...(this.tasks.get(source.arn) ?? [])].slice(0, KEPT_PER_SOURCE);
    this.tasks.set(source.arn, history);
    task.done = this.run(task);
    return { TaskHandle: task.handle };
  }

  async list(sourceArn: string, maxResults = 1): Promise<{ Results: MoveTaskEntry[] }> {
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > KEPT_PER_SOURCE)
      throw invalidParameter(
        `Value ${maxResults} for parameter MaxResults is invalid. Reason: Must be between 1 and ${KEPT_PER_SOURCE}.`,
      );
    if (!(await this.queues.byArn(sourceArn))) throw missingSource();
    return { Results: (this.tasks.get(sourceArn) ?? []).slice(0, maxResults).map(entryOf) };
  }

  async cancel(handle: string): Promise<{ ApproximateNumberOfMessagesMoved: number }> {
    const { taskId, sourceArn } = decodeTaskHandle(handle);
    if (!(await this.queues.byArn(sourceArn))) throw missingSource();
    const task = this.tasks.get(sourceArn)?.find((candidate) => candidate.id === taskId);
    if (!task) throw notFound('Task does not exist.');
    if (task.status !== 'RUNNING') throw invalidParameter('Only active tasks can be cancelled.');
    task.status = 'CANCELLING';
    return { ApproximateNumberOfMessagesMoved: task.moved };
  }

  /** Cancels what still runs and waits until it stopped. */
  async stop(): Promise<void> {
    const all = [...this.tasks.values()].flat();
    for (const task of all) if (task.status === 'RUNNING') task.status = 'CANCELLING';
    await Promise.all(all.map((task) => task.done));
  }

  private active(sourceArn: string): boolean {
    return (this.tasks.get(sourceArn) ?? []).some((t) => t.status === 'RUNNING' || t.status === 'CANCELLING');
  }

  private async destinationOf(input: StartMoveInput, origins: QueueInfo[]): Promise<QueueInfo> {
    if (input.destinationArn !== undefined) {
      const destination = await this.queues.byArn(input.destinationArn);
      if (!destination)
        throw notFound("The resource that you specified for the DestinationArn parameter doesn't exist.");
      return destination;
    }
    if (origins.length > 1)
      throw new SqsApiError(
        'UnsupportedOperation',
        `The local cloud does not know which of ${origins.map((q) => q.name).join(', ')} each message ` +
          'came from (AWS does): give a DestinationArn.',
      );
    return origins[0]!;
  }

  private async visibleMessages(queue: QueueInfo): Promise<number> {
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    return Number(Attributes.ApproximateNumberOfMessages ?? 0);
  }

  private async run(task: Task): Promise<void> {
    const rate = task.input.maxNumberOfMessagesPerSecond;
    try {
      while (task.status === 'RUNNING' && task.moved < task.toMove) {
        // With a rate, the first message goes at once and the n-th no sooner than (n-1)/rate seconds later.
        const allowed =
          rate === undefined
            ? 10
            : Math.floor(((Date.now() - task.startedAt) / 1000) * rate) + 1 - task.moved;
        if (allowed <= 0) {
          await sleep(Math.min(100, (task.moved / rate!) * 1000 - (Date.now() - task.startedAt)));
          continue;
        }
        const messages = await this.receive(task, Math.min(10, allowed, task.toMove - task.moved));
        if (messages.length === 0) break;
        for (const [index, message] of messages.entries()) {
          if (task.status !== 'RUNNING' || !(await this.moveOne(task, message))) {
            await this.release(task, messages.slice(index));
            break;
          }
        }
      }
      if (task.status === 'CANCELLING') task.status = 'CANCELLED';
      else if (task.status === 'RUNNING') task.status = 'COMPLETED';
    } catch (error) {
      task.status = 'FAILED';
      task.failureReason = (error as { name?: string }).name ?? 'InternalError';
      this.log(`SQS message move task ${task.id} from ${task.source.arn} failed: ${String(error)}`);
    }
  }

  private async receive(task: Task, max: number): Promise<Message[]> {
    const out = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: task.source.url,
        MaxNumberOfMessages: max,
        VisibilityTimeout: HOLD_SECONDS,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['MessageGroupId'],
      }),
    );
    return out.Messages ?? [];
  }

  /** Sends one message on and deletes it from the source; false (and the task FAILED) when it could not. */
  private async moveOne(task: Task, message: Message): Promise<boolean> {
    try {
      await this.sqs.send(
        new SendMessageCommand({
          QueueUrl: task.destination.url,
          MessageBody: message.Body ?? '',
          MessageAttributes: attributesOf(message),
          ...(task.destination.fifo
            ? {
                MessageGroupId: message.Attributes?.MessageGroupId ?? 'default',
                MessageDeduplicationId: message.MessageId,
              }
            : {}),
        }),
      );
    } catch (error) {
      if (!(error instanceof QueueDoesNotExist)) throw error;
      task.status = 'FAILED';
      task.failureReason = NON_EXISTENT_QUEUE;
      return false;
    }
    await this.sqs.send(
      new DeleteMessageCommand({ QueueUrl: task.source.url, ReceiptHandle: message.ReceiptHandle }),
    );
    task.moved += 1;
    return true;
  }

  /** Messages received but not moved become visible again at once, as if never received by the task. */
  private async release(task: Task, messages: Message[]): Promise<void> {
    for (const message of messages) {
      await this.sqs
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: task.source.url,
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: 0,
          }),
        )
        .catch(() => undefined);
    }
  }
}

function attributesOf(message: Message): Record<string, MessageAttributeValue> | undefined {
  const entries = Object.entries(message.MessageAttributes ?? {});
  if (entries.length === 0) return undefined;
  return Object.fromEntries(
    entries.map(([name, value]) => [
      name,
      {
        DataType: value.DataType,
        ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
        ...(value.BinaryValue !== undefined ? { BinaryValue: value.BinaryValue } : {}),
      },
    ]),
  );
}

function entryOf(task: Task): MoveTaskEntry {
  return {
    ...(task.status === 'RUNNING' ? { TaskHandle: task.handle } : {}),
    Status: task.status,
    SourceArn: task.source.arn,
    ...(task.input.destinationArn !== undefined ? { DestinationArn: task.input.destinationArn } : {}),
    ...(task.input.maxNumberOfMessagesPerSecond !== undefined
      ? { MaxNumberOfMessagesPerSecond: task.input.maxNumberOfMessagesPerSecond }
      : {}),
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.toMove,
    ...(task.failureReason !== undefined && task.status === 'FAILED'
      ? { FailureReason: task.failureReason }
      : {}),
    StartedTimestamp: task.startedAt,
  };
}
