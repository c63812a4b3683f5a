/**
 * The entry point of an SQS-triggered function that handles its batch record by record, with a
 * partial batch response (the event source mapping needs ReportBatchItemFailures): a record whose
 * handler throws is reported failed, and SQS redelivers only it.
 *
 * The batch is run here rather than by Powertools Batch (8.5 KB of every queue consumer's bundle,
 * for its processors' classes, stores and parsers), which answered the same: in parallel, the
 * records that failed in the order they failed; in order, the same, a FIFO group's later records
 * failed unprocessed once one of its records fails; every record failing is still a partial
 * response, and a batch without a list of records is refused.
 */
import type { Metrics } from '../metrics';
import middy from '@middy/core';
import type { MiddyfiedHandler } from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { correlationOf, resolveCorrelationId } from '../correlation';
import { logger, type Logger } from '../logger';
import { startBatchLog, toError } from './batch-log';
import { flushMetrics } from './flush-metrics';

export interface RecordContext extends Context {
  correlationId: string;
  /** Logger whose every line carries this record's correlation_id and message_id. */
  log: Logger;
}

/** Handles one record; throwing marks only that record failed. */
export type SqsRecordHandler = (record: SQSRecord, context: RecordContext) => Promise<void>;

export interface SqsBatchOptions {
  /** Run a batch's records at the same time (standard queues). Default false: in order, and on a
   *  FIFO queue a failed record also fails the rest of its message group. */
  parallel?: boolean;
  /** Extra fields on the one "Batch completed" summary line. */
  summary?: () => Record<string, unknown>;
  /** Flushed (publishStoredMetrics) after each batch. */
  metrics?: Metrics;
  /**
   * The record's correlation id when its `correlationid` attribute has none: a message the bus put
   * on the queue carries no attributes, only the event, so the caller reads it from the body.
   */
  correlationInBody?: (body: string) => string | undefined;
}

export type SqsLambdaHandler = MiddyfiedHandler<SQSEvent, SQSBatchResponse>;

const keysOf = (record: SQSRecord, inBody?: SqsBatchOptions['correlationInBody']) => ({
  correlation_id: resolveCorrelationId(correlationOf(record) ?? bodyCorrelation(record, inBody)),
  message_id: record.messageId,
});

/** A body the function cannot read is its own failure to report, not the entry's: no id then. */
function bodyCorrelation(record: SQSRecord, inBody: SqsBatchOptions['correlationInBody']) {
  try {
    return inBody?.(record.body);
  } catch {
    return undefined;
  }
}

/**
 * In order, one record at a time. Records without a message group (standard queues) are independent;
 * on a FIFO queue the later records of a failed record's group are failed unprocessed, since they
 * must not overtake it, while other groups go on. The ids of the records that failed, in order.
 */
async function inOrder(
  records: readonly SQSRecord[],
  run: (record: SQSRecord) => Promise<void>,
  correlationInBody: SqsBatchOptions['correlationInBody'],
): Promise<string[]> {
  const failed: string[] = [];
  const failedGroups = new Set<string>();
  for (const record of records) {
    const group = record.attributes?.MessageGroupId;
    if (group !== undefined && failedGroups.has(group)) {
      logger.appendKeys(keysOf(record, correlationInBody));
      logger.warn('Record skipped: an earlier record of its message group failed', {
        messageGroupId: group,
      });
      failed.push(record.messageId);
      continue;
    }
    try {
      await run(record);
    } catch {
      if (group) failedGroups.add(group);
      failed.push(record.messageId);
    }
  }
  return failed;
}

/** Every record at once; the ids of those that failed, in the order they failed. */
async function inParallel(
  records: readonly SQSRecord[],
  run: (record: SQSRecord) => Promise<void>,
): Promise<string[]> {
  const failed: string[] = [];
  await Promise.all(records.map((record) => run(record).catch(() => failed.push(record.messageId))));
  return failed;
}

/**
 * Runs `fn` on each record of the batch and answers with the records that failed. In order, the
 * shared logger carries the record's keys; in parallel each record logs through its own child
 * logger, since shared keys would mix between records in flight together. One slow record then
 * costs the batch its own time, not the sum of everyone's; a FIFO queue's order would not be kept.
 */
export function sqsBatchHandler(fn: SqsRecordHandler, options: SqsBatchOptions = {}): SqsLambdaHandler {
  const parallel = options.parallel ?? false;
  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const batchLog = startBatchLog(context);
    const records = event?.Records ?? [];
    const run = async (record: SQSRecord): Promise<void> => {
      const keys = keysOf(record, options.correlationInBody);
      let log: Logger = logger;
      if (parallel) log = logger.createChild({ persistentKeys: keys });
      else logger.appendKeys(keys);
      try {
        await fn(record, { ...context, correlationId: keys.correlation_id, log });
      } catch (error) {
        const failure = toError(error);
        log.error('Record failed', failure);
        throw failure;
      }
    };
    try {
      if (!Array.isArray(records)) throw new TypeError('The event is not a batch of SQS records');
      const failed = parallel
        ? await inParallel(records, run)
        : await inOrder(records, run, options.correlationInBody);
      const batchItemFailures = failed.map((itemIdentifier) => ({ itemIdentifier }));
      batchLog.summarise({
        records: records.length,
        failed: batchItemFailures.length,
        ...options.summary?.(),
      });
      return { batchItemFailures };
    } finally {
      flushMetrics(options.metrics);
    }
  });
}
