import middy from '@middy/core';
import type { MiddyfiedHandler } from '@middy/core';
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from './logger';
import { resolveCorrelationId } from './middleware/correlation';

export const CORRELATION_ATTRIBUTE = 'correlationid';

export interface SqsRecordContext extends Context {
  correlationId: string;
}

/** Processes one record; throwing marks only that record as failed. */
export type SqsRecordHandler = (record: SQSRecord, context: SqsRecordContext) => Promise<void> | void;

export type SqsLambdaHandler = MiddyfiedHandler<SQSEvent, SQSBatchResponse>;

function correlationAttribute(record: SQSRecord): string | undefined {
  const attributes = record.messageAttributes ?? {};
  const name = Object.keys(attributes).find((key) => key.toLowerCase() === CORRELATION_ATTRIBUTE);
  return name === undefined ? undefined : attributes[name]?.stringValue;
}

/**
 * Runs `fn` on each record in order and reports failed records as batch item failures, so SQS
 * redelivers only those (the event source mapping needs ReportBatchItemFailures). On FIFO queues
 * a failure also fails the rest of its message group, which must not overtake it.
 */
export function sqsHandler(fn: SqsRecordHandler): SqsLambdaHandler {
  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const started = performance.now();
    const records = event?.Records ?? [];
    const batchItemFailures: SQSBatchItemFailure[] = [];
    const failedGroups = new Set<string>();
    logger.resetKeys();
    if (typeof context?.awsRequestId === 'string') logger.addContext(context);

    for (const record of records) {
      const correlationId = resolveCorrelationId(correlationAttribute(record));
      logger.appendKeys({ correlation_id: correlationId, message_id: record.messageId });
      const group = record.attributes?.MessageGroupId;
      if (group !== undefined && failedGroups.has(group)) {
        logger.warn('Record skipped: an earlier record of its message group failed', {
          messageGroupId: group,
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
        continue;
      }
      try {
        await fn(record, { ...context, correlationId });
      } catch (error) {
        logger.error('Record failed', error instanceof Error ? error : new Error(String(error)));
        batchItemFailures.push({ itemIdentifier: record.messageId });
        if (group !== undefined) failedGroups.add(group);
      }
    }

    logger.resetKeys();
    const summary = {
      records: records.length,
      failed: batchItemFailures.length,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    };
    if (batchItemFailures.length > 0) logger.warn('Batch completed with failures', summary);
    else logger.info('Batch completed', summary);
    return { batchItemFailures };
  });
}
