import { createMetrics, MetricUnit, type Metrics } from '@herald/shared/metrics';

/** Where a webhook URL was refused for where it points: when a subscription is written, or at a send. */
export type SsrfCheck = 'subscribe' | 'send';

export interface SecuritySignals {
  /** An envelope failed ingest's signature (or did not match its delivery): at fan-out or before a send. */
  rejectedEnvelope(): void;
  ssrfRefused(check: SsrfCheck): void;
}

/**
 * Notifications' security signals as metrics, in namespace Herald with the `service` dimension like
 * every service's AuthFailures and processing's RejectedEnvelopes: RejectedEnvelopes, and
 * SsrfRefusals (also by `check`). Each is written at once, as one EMF line: they are rare, and a
 * request that is refused never reaches a batch's flush.
 */
export function createSecuritySignals(
  metrics: Metrics = createMetrics({ namespace: 'Herald', dimensions: 'service' }),
): SecuritySignals {
  const count = (name: string, by?: Record<string, string>) => {
    if (by) {
      metrics.addDimensions({}); // the service alone
      metrics.addDimensions(by);
    }
    metrics.addMetric(name, MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
  };
  return {
    rejectedEnvelope: () => count('RejectedEnvelopes'),
    ssrfRefused: (check) => count('SsrfRefusals', { check }),
  };
}
