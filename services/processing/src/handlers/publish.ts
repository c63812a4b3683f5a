import { takeCallCounts } from '@herald/shared/aws/call-counter';
import { streamBatchHandler } from '@herald/shared/entry/stream';
import type { Metrics } from '@herald/shared/metrics';
import { publishBatch } from '../publish-batch';
import type { PublishDeps } from '../publish-events';
import { createProcessingMetrics } from '../processing-metrics';
import { publishDeps } from '../wiring';

export function createHandler(deps: () => PublishDeps, counts: Metrics = createProcessingMetrics()) {
  return streamBatchHandler(publishBatch(deps, counts), {
    metrics: counts,
    summary: () => ({ awsCalls: takeCallCounts() }),
  });
}

export const handler = createHandler(publishDeps);
