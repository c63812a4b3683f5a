import { createMetrics, MetricUnit } from '@herald/shared/metrics';
import type { OutcomeCounter } from '../delivery/ports';

type Metrics = ReturnType<typeof createMetrics>;

/**
 * The delivery functions' metrics, which the failure-rate alarm reads: namespace
 * Herald/Notifications, no dimensions (the alarm names none), one count per attempt whose status is
 * final. Written as EMF by the batch's flush.
 */
export const createDeliveryMetrics = (): Metrics =>
  createMetrics({ namespace: 'Herald/Notifications', dimensions: 'none' });

const NAMES = { succeeded: 'DeliveriesSucceeded', failed: 'DeliveriesFailed' } as const;

export function outcomeCounter(metrics: Metrics): OutcomeCounter {
  return { count: (status) => metrics.addMetric(NAMES[status], MetricUnit.Count, 1) };
}
