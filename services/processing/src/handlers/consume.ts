import { takeCallCounts } from '@herald/shared/aws/call-counter';
import { sqsBatchHandler } from '@herald/shared/entry/sqs';
import type { Metrics } from '@herald/shared/metrics';
import type { ConsumeDeps } from '../consume-envelope';
import { consumeRecord } from '../consume-record';
import { createProcessingMetrics } from '../processing-metrics';
import { consumeDeps } from '../wiring';

export function createHandler(deps: () => ConsumeDeps, counts: Metrics = createProcessingMetrics()) {
  return sqsBatchHandler(consumeRecord(deps, counts), {
    metrics: counts,
    summary: () => ({ awsCalls: takeCallCounts() }),
  });
}

export const handler = createHandler(consumeDeps);
