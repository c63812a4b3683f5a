import type { Context } from 'aws-lambda';
import { logger } from '../logger';

/**
 * The log of one batch invocation: lines of the previous invocation's keys are dropped, every line
 * carries the Lambda context, and the batch ends with one summary line (a warning when records
 * failed) that says how many records there were, how many failed and how long it took.
 */
export function startBatchLog(context: Context | undefined): {
  summarise: (fields: { records: number; failed: number } & Record<string, unknown>) => void;
} {
  const started = performance.now();
  logger.resetKeys();
  if (typeof context?.awsRequestId === 'string') logger.addContext(context);
  return {
    summarise: ({ records, failed, ...extra }) => {
      logger.resetKeys();
      const summary = {
        records,
        failed,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        ...extra,
      };
      if (failed > 0) logger.warn('Batch completed with failures', summary);
      else logger.info('Batch completed', summary);
    },
  };
}

export const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
