/** @deprecated use @herald/shared/entry/sqs */
import type { SQSRecord } from 'aws-lambda';
import { sqsBatchHandler, type RecordContext, type SqsLambdaHandler } from './entry/sqs';

/** @deprecated use @herald/shared/correlation */
export { CORRELATION_ATTRIBUTE } from './correlation';
export type { SqsLambdaHandler } from './entry/sqs';

/** @deprecated use RecordContext of @herald/shared/entry/sqs */
export type SqsRecordContext = RecordContext;

/** @deprecated use SqsRecordHandler of @herald/shared/entry/sqs */
export type SqsRecordHandler = (record: SQSRecord, context: SqsRecordContext) => Promise<void> | void;

/** @deprecated use sqsBatchHandler of @herald/shared/entry/sqs */
export function sqsHandler(fn: SqsRecordHandler): SqsLambdaHandler {
  return sqsBatchHandler(async (record, context) => fn(record, context));
}
