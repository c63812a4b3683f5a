import middy from '@middy/core';
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, type Logger } from './logger';
import { resolveCorrelationId } from './middleware/correlation';
import { CORRELATION_ATTRIBUTE, type SqsLambdaHandler } from './sqs';

export interface ConcurrentRecordContext extends Context {
  correlationId: string;
  /** A logger whose every line carries this record's correlation and message ids. */
  log: Logger;
}

export type ConcurrentRecordHandler = (record: SQSRecord, context: ConcurrentRecordContext) => Promise<void>;

export interface ConcurrentOptions {
  /** Records in flight at once; default all of the batch. */
  concurrency?: number;
  /** Extra fields for the batch summary line (e.g. the AWS calls the batch made). */
  summary?: () => Record<string, unknown>;
}

function correlationAttribute(record: SQSRecord): string | undefined {
  const attributes = record.messageAttributes ?? {};
  const name = Object.keys(attributes).find((key) => key.toLowerCase() === CORRELATION_ATTRIBUTE);
  return name === undefined ? undefined : attributes[name]?.stringValue;
}

/**
 * Like `sqsHandler`, but the records of a batch run at the same time: one slow record (a webhook
 * receiver taking seconds to answer) then costs the batch its own time, not the sum of everyone's.
 * Each record logs through its own child logger, since shared logger keys would mix between
 * records in flight together. For standard queues: a FIFO queue's order would not be kept.
 */
export function concurrentSqsHandler(
  fn: ConcurrentRecordHandler,
  options: ConcurrentOptions = {},
): SqsLambdaHandler {
  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const started = performance.now();
    const records = event?.Records ?? [];
    const failures: SQSBatchItemFailure[] = [];
    logger.resetKeys();
    if (typeof context?.awsRequestId === 'string') logger.addContext(context);

    const run = async (record: SQSRecord): Promise<void> => {
      const correlationId = resolveCorrelationId(correlationAttribute(record));
      const log = logger.createChild({
        persistentKeys: { correlation_id: correlationId, message_id: record.messageId },
      });
      try {
        await fn(record, { ...context, correlationId, log });
      } catch (error) {
        log.error('Record failed', error instanceof Error ? error : new Error(String(error)));
        failures.push({ itemIdentifier: record.messageId });
      }
    };
    const limit = Math.max(1, options.concurrency ?? records.length);
    let next = 0;
    const workers = Array.from({ length: Math.min(limit, records.length) }, async () => {
      while (next < records.length) await run(records[next++]!);
    });
    await Promise.all(workers);

    const summary = {
      records: records.length,
      failed: failures.length,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      ...options.summary?.(),
    };
    if (failures.length > 0) logger.warn('Batch completed with failures', summary);
    else logger.info('Batch completed', summary);
    return { batchItemFailures: failures };
  });
}
