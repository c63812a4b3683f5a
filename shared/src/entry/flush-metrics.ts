import type { Metrics } from '../metrics';

/** Writes what was counted as one EMF line; an invocation that counted nothing writes nothing. */
export function flushMetrics(metrics: Metrics | undefined): void {
  if (metrics?.hasStoredMetrics()) metrics.publishStoredMetrics();
}
