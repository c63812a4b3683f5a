/**
 * What inspecting and redriving dead-letter queues needs of SQS (implemented over the SDK by
 * `@herald/shared/aws/dead-letter-queues`), and of a service that knows how to send back what a
 * dead-letter queue without a source queue holds.
 */

/** A queue as the SQS API addresses it. */
export interface QueueAddress {
  name: string;
  url: string;
  arn: string;
}

export interface LocatedQueue extends QueueAddress {
  /** The queue's redrive policy, when it has one: where its dead letters go and after how many receives. */
  redrivePolicy?: { deadLetterTargetArn: string; maxReceiveCount: number };
}

export interface QueueCounts {
  /** ApproximateNumberOfMessages: waiting to be received. */
  visible: number;
  /** ApproximateNumberOfMessagesNotVisible: received, neither deleted nor back yet. */
  inFlight: number;
  /** ApproximateNumberOfMessagesDelayed. */
  delayed: number;
}

/** One message received from a dead-letter queue (and held until released or deleted). */
export interface DeadLetter {
  messageId: string;
  receipt: string;
  body: string;
  sentAt?: Date;
  receiveCount?: number;
  /** The message's String attributes (others are left out). */
  attributes: Readonly<Record<string, string>>;
}

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

/** A message move task (SQS dead-letter queue redrive), as ListMessageMoveTasks reports it. */
export interface MoveTask {
  status: MoveTaskStatus;
  /** Only while it runs: what CancelMessageMoveTask takes. */
  handle?: string;
  startedAt?: Date;
  moved?: number;
  toMove?: number;
  destinationArn?: string;
  maxMessagesPerSecond?: number;
  failureReason?: string;
}

/** SQS refused to start a move, for a reason the operator can act on. */
export class MoveRefused extends Error {
  override readonly name = 'MoveRefused';
  constructor(
    readonly why: 'already-running' | 'not-a-dead-letter-queue',
    message: string,
  ) {
    super(message);
  }
}

export interface ReceiveOptions {
  max: number;
  /** How long the received messages stay invisible to anyone else. */
  holdSeconds: number;
  waitSeconds: number;
}

export interface OutgoingLetter {
  body: string;
  correlationId?: string;
}

export interface DeadLetterQueues {
  /** The queue's URL, ARN and redrive policy, by name. */
  locate(name: string): Promise<LocatedQueue>;
  counts(queue: QueueAddress): Promise<QueueCounts>;
  receive(queue: QueueAddress, options: ReceiveOptions): Promise<DeadLetter[]>;
  /** Makes held messages visible again at once. */
  release(queue: QueueAddress, receipts: readonly string[]): Promise<void>;
  delete(queue: QueueAddress, receipts: readonly string[]): Promise<void>;
  /** Sends each letter; the index of every one SQS did not take, with why. */
  send(
    queue: QueueAddress,
    letters: readonly OutgoingLetter[],
  ): Promise<Array<{ index: number; why: string }>>;
  /** StartMessageMoveTask; the task's handle. Throws MoveRefused when SQS refuses for a known reason. */
  startMove(source: QueueAddress, destination: QueueAddress, maxMessagesPerSecond?: number): Promise<string>;
  /** The queue's most recent move tasks, newest first. */
  listMoves(source: QueueAddress): Promise<MoveTask[]>;
}

/** Sent back, or left in the dead-letter queue and why. */
export type ResendOutcome = { resent: true } | { resent: false; reason: string };

/**
 * Redrive for a dead-letter queue that no SQS queue feeds (a Lambda destination's, a bus's, a rule's),
 * which SQS's message-move API does not take: the service sends back what each message stands for.
 */
export interface Resender {
  /** One outcome per message, in order. Throws when nothing could be tried (the target is down). */
  resend(letters: readonly DeadLetter[]): Promise<ResendOutcome[]>;
}
