/**
 * The entry point of an SQS-triggered function that handles its batch record by record, with a
 * partial batch response (the event source mapping needs ReportBatchItemFailures): a record whose
 * handler throws is reported failed, and SQS redelivers only it.
 */
import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoMessageGroupShortCircuitError,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
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
 * must not overtake it, while other groups go on.
 */
class InOrderProcessor extends SqsFifoPartialProcessorAsync {
  constructor(private readonly correlationInBody: SqsBatchOptions['correlationInBody']) {
    super();
  }

  override failureHandler(record: SQSRecord, error: Error) {
    if (error instanceof SqsFifoMessageGroupShortCircuitError) {
      logger.appendKeys(keysOf(record, this.correlationInBody));
      logger.warn('Record skipped: an earlier record of its message group failed', {
        messageGroupId: record.attributes?.MessageGroupId,
      });
    }
    return super.failureHandler(record, error);
  }
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
      const batch = { Records: records };
      const response = parallel
        ? await processPartialResponse(batch, run, new BatchProcessor(EventType.SQS), {
            context,
            throwOnFullBatchFailure: false,
            processInParallel: true,
          })
        : await processPartialResponse(batch, run, new InOrderProcessor(options.correlationInBody), {
            context,
            throwOnFullBatchFailure: false,
            skipGroupOnError: true,
          });
      // A copy: Powertools answers a clean batch with one shared response object.
      const batchItemFailures = [...response.batchItemFailures];
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
