/** @deprecated use @herald/shared/entry/sqs with `parallel: true` */
import {
  sqsBatchHandler,
  type RecordContext,
  type SqsLambdaHandler,
  type SqsRecordHandler,
} from './entry/sqs';

/** @deprecated use RecordContext of @herald/shared/entry/sqs */
export type ConcurrentRecordContext = RecordContext;

/** @deprecated use SqsRecordHandler of @herald/shared/entry/sqs */
export type ConcurrentRecordHandler = SqsRecordHandler;

/** @deprecated use SqsBatchOptions of @herald/shared/entry/sqs */
export interface ConcurrentOptions {
  summary?: () => Record<string, unknown>;
}

/** @deprecated use sqsBatchHandler(fn, { parallel: true }) of @herald/shared/entry/sqs */
export function concurrentSqsHandler(
  fn: ConcurrentRecordHandler,
  options: ConcurrentOptions = {},
): SqsLambdaHandler {
  return sqsBatchHandler(fn, { ...options, parallel: true });
}
