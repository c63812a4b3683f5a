/**
 * The entry point of a DynamoDB stream function that works on its batch as a whole (e.g. one
 * PutEvents call for many records) and hands back the records it could not finish, by sequence
 * number, for the stream to deliver again (the mapping needs ReportBatchItemFailures).
 */
import type { Metrics } from '../metrics';
import middy from '@middy/core';
import type { MiddyfiedHandler } from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger, type Logger } from '../logger';
import { startBatchLog } from './batch-log';
import { flushMetrics } from './flush-metrics';

export interface BatchContext extends Context {
  log: Logger;
}

export interface StreamBatchResult {
  /** Sequence numbers (itemIdentifier) of records to hand back to the stream. */
  failed: string[];
  /** Fields for the batch summary line. */
  summary?: Record<string, unknown>;
}

export type StreamLambdaHandler = MiddyfiedHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>;

/** A batch that throws fails as a whole: the stream delivers all of it again. */
export function streamBatchHandler(
  fn: (records: DynamoDBRecord[], context: BatchContext) => Promise<StreamBatchResult>,
  options: {
    metrics?: Metrics;
    /** Extra fields on the summary line, after the batch's own (e.g. the AWS calls it made). */
    summary?: () => Record<string, unknown>;
  } = {},
): StreamLambdaHandler {
  return middy(async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
    const batchLog = startBatchLog(context);
    const records = event?.Records ?? [];
    try {
      const result = await fn(records, { ...context, log: logger });
      batchLog.summarise({
        records: records.length,
        failed: result.failed.length,
        ...result.summary,
        ...options.summary?.(),
      });
      return { batchItemFailures: result.failed.map((itemIdentifier) => ({ itemIdentifier })) };
    } finally {
      flushMetrics(options.metrics);
    }
  });
}
