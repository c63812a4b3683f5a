// What an SQS mapping asks of its queue: a batch gathered as Lambda's pollers gather one (a long poll, then
// more receives while the batching window is open), and the deletion of what the function handled.
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SqsMapping } from '../types';
import { describeError, sleep, type Log } from './common';

/** ReceiveMessage returns at most 10 messages a call (and DeleteMessageBatch takes 10); larger batches take several. */
const MAX_PER_CALL = 10;
/** While a batching window is open and the queue is momentarily empty, look again this often. */
const WINDOW_RECHECK_MS = 50;

export interface MappingQueue {
  /** The next batch; empty when the long poll found nothing or the mapping is stopping. */
  gather(): Promise<Message[]>;
  /** Deletes handled messages; a failure is logged (the messages come back after the visibility timeout). */
  remove(messages: readonly Message[]): Promise<void>;
}

export interface MappingQueueSettings {
  /** Names the mapping in the log. */
  name: string;
  waitTimeSeconds: number;
  errorBackoffMs: number;
  /** stop(): ends a long poll and a batching window at once. */
  signal: AbortSignal;
}

export function mappingQueue(
  mapping: SqsMapping,
  deps: { sqs: SQSClient; log: Log },
  settings: MappingQueueSettings,
): MappingQueue {
  const { sqs, log } = deps;
  const { name, waitTimeSeconds, errorBackoffMs, signal } = settings;
  const batchSize = Math.max(1, mapping.batchSize);
  const windowMs = mapping.maximumBatchingWindowInSeconds * 1000;

  async function receive(max: number, waitSeconds: number): Promise<Message[]> {
    try {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: mapping.queueUrl,
          MaxNumberOfMessages: Math.min(MAX_PER_CALL, max),
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: signal },
      );
      return out.Messages ?? [];
    } catch (error) {
      if (signal.aborted) return [];
      log.error(`${name}: ReceiveMessage failed (${describeError(error)}); retrying in ${errorBackoffMs} ms`);
      await sleep(errorBackoffMs, signal);
      return [];
    }
  }

  /**
   * One long poll for the first messages; then, with a batching window, keep receiving until the batch is full or
   * the window (counted from the first message) closes. A poll is only ever cut short by stop(): the emulator
   * keeps serving an abandoned long poll, and a message it hands to nobody stays invisible until its timeout.
   */
  async function gather(): Promise<Message[]> {
    const batch = await receive(batchSize, waitTimeSeconds);
    if (batch.length === 0 || windowMs === 0) return batch;
    const closesAt = Date.now() + windowMs;
    while (batch.length < batchSize && !signal.aborted) {
      const remaining = closesAt - Date.now();
      if (remaining <= 0) break;
      const waitSeconds = Math.min(20, Math.floor(remaining / 1000));
      const more = await receive(batchSize - batch.length, waitSeconds);
      batch.push(...more);
      if (more.length === 0 && waitSeconds === 0) await sleep(Math.min(remaining, WINDOW_RECHECK_MS), signal);
    }
    return batch;
  }

  async function remove(messages: readonly Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += MAX_PER_CALL) {
      const chunk = messages.slice(start, start + MAX_PER_CALL);
      try {
        const out = await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: mapping.queueUrl,
            Entries: chunk.map((message, index) => ({
              Id: `m${index}`,
              ReceiptHandle: message.ReceiptHandle,
            })),
          }),
        );
        for (const failed of out.Failed ?? [])
          log.error(`${name}: could not delete a handled message (${failed.Code}: ${failed.Message})`);
      } catch (error) {
        log.error(
          `${name}: DeleteMessageBatch failed (${describeError(error)}); the messages will be redelivered`,
        );
      }
    }
  }

  return { gather, remove };
}
