// An SQS event source mapping, as "Using Lambda with Amazon SQS" describes it: long-poll the queue, gather a
// batch (up to BatchSize, within MaximumBatchingWindowInSeconds), invoke the function synchronously, and delete
// what it handled. Nothing is deleted when the function fails: the messages come back after the queue's
// visibility timeout, and the queue's redrive policy (applied by the queue, on receive) moves them to the DLQ.
//
// Batches are handled concurrently, as Lambda's pollers handle them: up to the mapping's MaximumConcurrency,
// within the local cap (concurrency.ts). One receive loop gathers a batch only when a slot is free, hands it to
// a handler and goes back for the next, so a slow function holds up its own batch, not the queue. A FIFO queue
// keeps each message group in order by itself: it returns no message of a group while one is in flight.
import { GetQueueAttributesCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
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
import { DEFAULT_LOCAL_CONCURRENCY, mappingConcurrency, Slots } from './concurrency';
import { toSqsEvent } from './sqs-event';
import { mappingQueue } from './sqs-queue';

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
  /** The local cap on batches in flight per mapping (default 3); MaximumConcurrency applies within it. */
  localConcurrency?: number;
}

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

  const errorBackoffMs = options.errorBackoffMs ?? 1000;
  const awsRegion = regionFromArn(mapping.queueArn) ?? REGION;
  const controller = new AbortController();
  const { signal } = controller;
  const queue = mappingQueue(
    mapping,
    { sqs, log },
    { name, waitTimeSeconds: Math.min(20, options.waitTimeSeconds ?? 20), errorBackoffMs, signal },
  );
  const slots = new Slots(
    mappingConcurrency(mapping.maximumConcurrency, options.localConcurrency ?? DEFAULT_LOCAL_CONCURRENCY),
  );

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
    if (!mapping.reportBatchItemFailures) return queue.remove(batch);
    const response = readBatchResponse(result, new Set(batch.map((message) => message.MessageId!)));
    if (!response.valid) {
      log.warn(`${name}: invalid partial batch response (${response.reason}); the whole batch failed`);
      return;
    }
    const failed = new Set(response.failedIds);
    if (failed.size > 0)
      log.info(`${name}: ${failed.size} of ${batch.length} message(s) reported failed; they will be retried`);
    await queue.remove(batch.filter((message) => !failed.has(message.MessageId!)));
  }

  // Not expected (handle and the queue report their own failures), but a poller must not die silently.
  const unexpected = (error: unknown) => log.error(`${name}: ${describeError(error)}`);

  const polling = (async () => {
    while (await slots.take(signal)) {
      // Messages already received when stop() comes are still delivered: they are in flight either way.
      let batch: Message[] = [];
      try {
        batch = await queue.gather();
      } catch (error) {
        unexpected(error);
        await sleep(errorBackoffMs, signal);
      }
      if (batch.length === 0) slots.give();
      else slots.run(() => handle(batch).catch(unexpected));
    }
  })();

  return {
    async stop() {
      controller.abort();
      await polling;
      await slots.drained();
    },
  };
}
