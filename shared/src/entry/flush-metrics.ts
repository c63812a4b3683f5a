import type { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * Writes what was counted as one EMF line. Nothing is written when nothing was counted: Powertools
 * would log a warning for every invocation that counted nothing.
 */
export function flushMetrics(metrics: Metrics | undefined): void {
  if (metrics?.hasStoredMetrics()) metrics.publishStoredMetrics();
}
