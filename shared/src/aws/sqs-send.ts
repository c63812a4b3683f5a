/**
 * Sending to SQS within AWS's real limits. Per message: the target queue's MaximumMessageSize
 * (Herald's queues set 262,144 bytes). Per SendMessageBatch call: at most 10 entries and 1 MiB in
 * all. A message's attributes count toward both, name, data type and value.
 *
 * Bodies are JSON text, and are sent as queueSafeJson makes them (characters some SQS refuses as
 * JSON escapes, see queue-body.ts): so every producer's messages travel whatever strings they hold,
 * and sizes are counted on what is sent.
 */
import {
  SendMessageBatchCommand,
  SendMessageCommand,
  type MessageAttributeValue,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { CORRELATION_ATTRIBUTE } from '../correlation';
import { queueSafeJson } from './queue-body';

export const SQS_MAX_BATCH_ENTRIES = 10;
export const SQS_MAX_BATCH_BYTES = 1_048_576;
export const DEFAULT_MAX_MESSAGE_BYTES = 262_144;
/** The code of a message never sent because it is larger than the queue takes. */
export const MESSAGE_TOO_LONG = 'MessageTooLong';

export interface OutgoingMessage {
  /** JSON text (see queue-body.ts for how it is sent). */
  body: string;
  /** Sent as the `correlationid` String attribute. */
  correlationId?: string;
  delaySeconds?: number;
  /**
   * Sent as MessageGroupId: on a standard queue, the tenant the message belongs to, which makes it
   * an SQS fair queue (a tenant with a backlog no longer holds up the others' messages); on a FIFO
   * queue, its ordering group. Not counted in the message's size.
   */
  groupId?: string;
}

export interface SendOptions {
  /** The target queue's MaximumMessageSize; default 262,144. */
  maxMessageBytes?: number;
}

const STRING = 'String';

function attributesOf(message: OutgoingMessage): Record<string, MessageAttributeValue> | undefined {
  if (message.correlationId === undefined) return undefined;
  return { [CORRELATION_ATTRIBUTE]: { DataType: STRING, StringValue: message.correlationId } };
}

/** Bytes SQS counts for a message as sent: body plus each attribute's name, data type and value. */
export function messageBytes(message: OutgoingMessage): number {
  let bytes = Buffer.byteLength(queueSafeJson(message.body));
  for (const [name, value] of Object.entries(attributesOf(message) ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType!);
    bytes += Buffer.byteLength(value.StringValue ?? '');
  }
  return bytes;
}

/** Splits into SendMessageBatch calls within the limits, order kept. */
export function toSendBatches<T>(items: readonly T[], sizeOf: (item: T) => number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (
      current.length === SQS_MAX_BATCH_ENTRIES ||
      (current.length > 0 && bytes + size > SQS_MAX_BATCH_BYTES)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export interface SendError {
  code: string;
  senderFault: boolean;
  /**
   * Whether sending the message again may work. An entry SQS refused as the sender's fault (its
   * content, its size) is refused every time; a call that failed as a whole (after the SDK's own
   * retries: throttling, the network, a service error) may work later.
   */
  retryable: boolean;
  message?: string;
}

export interface SendOutcome {
  index: number;
  error?: SendError;
}

const entryOf = (message: OutgoingMessage, id: string): SendMessageBatchRequestEntry => {
  const attributes = attributesOf(message);
  return {
    Id: id,
    MessageBody: queueSafeJson(message.body),
    ...(attributes ? { MessageAttributes: attributes } : {}),
    ...(message.delaySeconds === undefined ? {} : { DelaySeconds: message.delaySeconds }),
    ...(message.groupId === undefined ? {} : { MessageGroupId: message.groupId }),
  };
};

/** A call that failed as a whole (after the SDK's own retries) fails each of its entries. */
function callError(error: unknown): SendError {
  const { name, message, $fault } = error as { name?: string; message?: string; $fault?: string };
  return {
    code: name || 'Error',
    senderFault: $fault === 'client',
    retryable: true,
    ...(message ? { message } : {}),
  };
}

interface Pending {
  index: number;
  message: OutgoingMessage;
  bytes: number;
}

/** One SendMessageBatch call; the errors of its refused entries by input index. */
async function sendBatch(sqs: SQSClient, queueUrl: string, batch: readonly Pending[]) {
  const errors = new Map<number, SendError & { refused: boolean }>();
  try {
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map(({ message }, position) => entryOf(message, String(position))),
      }),
    );
    for (const entry of out.Failed ?? []) {
      const item = batch[Number(entry.Id)];
      if (item === undefined) continue;
      errors.set(item.index, {
        code: entry.Code ?? 'Unknown',
        senderFault: entry.SenderFault ?? false,
        retryable: !(entry.SenderFault ?? false),
        ...(entry.Message ? { message: entry.Message } : {}),
        refused: true,
      });
    }
  } catch (error) {
    for (const item of batch) errors.set(item.index, { ...callError(error), refused: false });
  }
  return errors;
}

/** Sends every message (batched), retrying entries SQS refused with senderFault=false once;
 *  returns one outcome per input message, in order. Never throws for per-entry refusals.
 *  A message larger than `maxMessageBytes` is not sent (code MessageTooLong); a call that fails as
 *  a whole fails its entries with the call's error name as code. */
export async function sendMessages(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly OutgoingMessage[],
  options: SendOptions = {},
): Promise<SendOutcome[]> {
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const outcomes: SendOutcome[] = messages.map((_, index) => ({ index }));
  let pending: Pending[] = [];
  messages.forEach((message, index) => {
    const bytes = messageBytes(message);
    if (bytes <= maxMessageBytes) pending.push({ index, message, bytes });
    else
      outcomes[index]!.error = {
        code: MESSAGE_TOO_LONG,
        senderFault: true,
        retryable: false,
        message: `${bytes} bytes with its attributes; the queue takes at most ${maxMessageBytes}`,
      };
  });
  for (let round = 1; round <= 2 && pending.length > 0; round++) {
    const batches = toSendBatches(pending, (item) => item.bytes);
    const results = await Promise.all(batches.map((batch) => sendBatch(sqs, queueUrl, batch)));
    const errors = new Map(results.flatMap((result) => [...result]));
    const retry: Pending[] = [];
    for (const item of pending) {
      const error = errors.get(item.index);
      const outcome = outcomes[item.index]!;
      if (error === undefined) {
        delete outcome.error;
        continue;
      }
      const { refused, ...sendError } = error;
      outcome.error = sendError;
      if (refused && !sendError.senderFault) retry.push(item);
    }
    pending = retry;
  }
  return outcomes;
}

/** Like sendMessages but throws unless every message was accepted. */
export async function sendAllMessages(...args: Parameters<typeof sendMessages>): Promise<void> {
  const failed = (await sendMessages(...args)).filter((outcome) => outcome.error);
  if (failed.length > 0) {
    const codes = [...new Set(failed.map((outcome) => outcome.error!.code))].join(', ');
    throw new Error(`SQS refused ${failed.length} of ${args[2].length} message(s): ${codes}`);
  }
}

/** One message (SendMessage). */
export async function sendMessage(sqs: SQSClient, queueUrl: string, message: OutgoingMessage): Promise<void> {
  const { Id: _id, ...entry } = entryOf(message, '0');
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, ...entry }));
}
