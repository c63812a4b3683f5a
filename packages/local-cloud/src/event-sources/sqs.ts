// An SQS event source mapping, as "Using Lambda with Amazon SQS" describes it: long-poll the queue, gather a
// batch (up to BatchSize, within MaximumBatchingWindowInSeconds), invoke the function synchronously, and delete
// what it handled. Nothing is deleted when the function fails: the messages come back after the queue's
// visibility timeout, and the queue's redrive policy (applied by the queue, on receive) moves them to the DLQ.
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { REGION } from '../aws';
import type { FunctionInvoker, SqsMapping } from '../types';
import { readBatchResponse } from './batch-response';
import {
  describeError,
  isDisabled,
  noopHandle,
  regionFromArn,
  sleep,
  type EventSourceHandle,
  type Log,
} from './common';
import { toSqsEvent } from './sqs-event';

export interface SqsMappingDeps {
  sqs: SQSClient;
  invoker: FunctionInvoker;
  log: Log;
}

export interface SqsMappingOptions {
  /** Long-poll wait; Lambda's pollers use the maximum, 20 s. */
  waitTimeSeconds?: number;
  /** Pause after a failed ReceiveMessage before polling again. */
  errorBackoffMs?: number;
}

/** ReceiveMessage returns at most 10 messages a call; larger batches take several calls. */
const MAX_PER_RECEIVE = 10;
/** While a batching window is open and the queue is momentarily empty, look again this often. */
const WINDOW_RECHECK_MS = 50;

export async function startSqsMapping(
  mapping: SqsMapping,
  deps: SqsMappingDeps,
  options: SqsMappingOptions = {},
): Promise<EventSourceHandle> {
  const name = `SQS ${mapping.queueArn} → ${mapping.functionName}`;
  if (isDisabled(mapping, name, deps.log)) return noopHandle;
  const { sqs, invoker, log } = deps;
  // CreateEventSourceMapping refuses a queue that does not exist; failing here says so before any polling.
  await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: mapping.queueUrl, AttributeNames: ['VisibilityTimeout'] }),
  );

  const waitTimeSeconds = Math.min(20, options.waitTimeSeconds ?? 20);
  const errorBackoffMs = options.errorBackoffMs ?? 1000;
  const batchSize = Math.max(1, mapping.batchSize);
  const windowMs = mapping.maximumBatchingWindowInSeconds * 1000;
  const awsRegion = regionFromArn(mapping.queueArn) ?? REGION;
  const controller = new AbortController();
  const { signal } = controller;

  async function receive(max: number, waitSeconds: number): Promise<Message[]> {
    try {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: mapping.queueUrl,
          MaxNumberOfMessages: Math.min(MAX_PER_RECEIVE, max),
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

  async function deleteMessages(messages: readonly Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += MAX_PER_RECEIVE) {
      const chunk = messages.slice(start, start + MAX_PER_RECEIVE);
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

  async function handle(batch: Message[]): Promise<void> {
    let result: unknown;
    try {
      result = await invoker.invoke(mapping.functionName, toSqsEvent(batch, mapping.queueArn, awsRegion));
    } catch (error) {
      log.warn(
        `${name}: invocation failed (${describeError(error)}); ${batch.length} message(s) return after the visibility timeout`,
      );
      return;
    }
    // Without ReportBatchItemFailures Lambda ignores what the function returns.
    if (!mapping.reportBatchItemFailures) return deleteMessages(batch);
    const response = readBatchResponse(result, new Set(batch.map((message) => message.MessageId!)));
    if (!response.valid) {
      log.warn(`${name}: invalid partial batch response (${response.reason}); the whole batch failed`);
      return;
    }
    const failed = new Set(response.failedIds);
    if (failed.size > 0)
      log.info(`${name}: ${failed.size} of ${batch.length} message(s) reported failed; they will be retried`);
    await deleteMessages(batch.filter((message) => !failed.has(message.MessageId!)));
  }

  const polling = (async () => {
    while (!signal.aborted) {
      // Messages already received when stop() comes are still delivered: they are in flight either way.
      try {
        const batch = await gather();
        if (batch.length > 0) await handle(batch);
      } catch (error) {
        // Not expected (gather and handle report their own failures), but a poller must not die silently.
        log.error(`${name}: ${describeError(error)}`);
        await sleep(errorBackoffMs, signal);
      }
    }
  })();

  return {
    async stop() {
      controller.abort();
      await polling;
    },
  };
}
