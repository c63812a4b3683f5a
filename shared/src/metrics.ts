/**
 * Metrics from code, written as CloudWatch embedded metric format (EMF) lines by Powertools: no API
 * call, and no metric that depends on the wording of a log message.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export { MetricUnit };
export type { Metrics };

/** Powertools leaves out a metric set without dimensions; EMF says so with one empty set. */
class DimensionlessMetrics extends Metrics {
  override serializeMetrics(): ReturnType<Metrics['serializeMetrics']> {
    const output = super.serializeMetrics();
    for (const directive of output._aws.CloudWatchMetrics) {
      // Typed as never empty, yet empty when no dimension is set.
      const sets: string[][] = directive.Dimensions;
      if (sets.length === 0) sets.push([]);
    }
    return output;
  }
}

/** dimensions 'service': the default `service` dimension (POWERTOOLS_SERVICE_NAME).
 *  dimensions 'none': no dimension at all (EMF "Dimensions": [[]]), for metrics that alarms read without one. */
export function createMetrics(options: { namespace: string; dimensions: 'service' | 'none' }): Metrics {
  if (options.dimensions === 'none') {
    const metrics = new DimensionlessMetrics({ namespace: options.namespace });
    metrics.clearDefaultDimensions();
    return metrics;
  }
  // The same service name the logger puts on every line.
  return new Metrics({
    namespace: options.namespace,
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'herald',
  });
}
