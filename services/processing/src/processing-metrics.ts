/**
 * Processing's metrics, whose identity alarms and dashboards rely on: namespace Herald, dimension
 * `service` (processing), counts by these names.
 */
import { createMetrics, MetricUnit, type Metrics } from '@herald/shared/metrics';

export type ProcessingMetric =
  | 'EventsStored'
  | 'DuplicateEvents'
  | 'RejectedEnvelopes'
  | 'EventsPublished'
  | 'PublishDeadLettered'
  | 'PublishFailures';

export const createProcessingMetrics = (): Metrics =>
  createMetrics({ namespace: 'Herald', dimensions: 'service' });

export function count(metrics: Metrics, name: ProcessingMetric, value = 1): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}
