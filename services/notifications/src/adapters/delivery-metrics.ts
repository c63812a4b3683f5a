import { createMetrics, MetricUnit } from '@herald/shared/metrics';
import type { OutcomeCounter } from '../delivery/ports';
import type { SecuritySignals } from './security-metrics';

type Metrics = ReturnType<typeof createMetrics>;

/**
 * The delivery functions' metrics, which the failure-rate alarm and the dashboard read: namespace
 * Herald/Notifications, no dimensions (the alarm names none), one count per attempt whose status is
 * final, and DeliveryLatency (milliseconds, one value per delivery that succeeded, for its
 * percentiles). Written as EMF by the batch's flush. A rejected envelope is a security signal,
 * counted apart (security-metrics.ts).
 */
export const createDeliveryMetrics = (): Metrics =>
  createMetrics({ namespace: 'Herald/Notifications', dimensions: 'none' });

const NAMES = { succeeded: 'DeliveriesSucceeded', failed: 'DeliveriesFailed' } as const;

export function outcomeCounter(
  metrics: Metrics,
  signals?: Pick<SecuritySignals, 'rejectedEnvelope'>,
): OutcomeCounter {
  return {
    count: (status, latencyMs) => {
      metrics.addMetric(NAMES[status], MetricUnit.Count, 1);
      if (latencyMs !== undefined) metrics.addMetric('DeliveryLatency', MetricUnit.Milliseconds, latencyMs);
    },
    rejectedEnvelope: () => signals?.rejectedEnvelope(),
  };
}
