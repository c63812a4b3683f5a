/**
 * Metrics from code, written as CloudWatch embedded metric format (EMF) lines: no API call, and no
 * metric that depends on the wording of a log message.
 *
 * Written here rather than with Powertools Metrics, which every function bundled (13 KB minified with
 * its stores, a third of what a function may add to a bare handler with the same AWS SDK clients) and
 * set up at import to write one JSON line. Herald needs only this much of it: counts and milliseconds
 * under a namespace, the `service` dimension or none, extra dimension sets, and a flush. The lines
 * are the ones Powertools wrote (same keys, same order, same limits), so alarms and dashboards read
 * them unchanged.
 */

export const MetricUnit = { Count: 'Count', Milliseconds: 'Milliseconds' } as const;
export type MetricUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

export interface Metrics {
  /** Counted once: the value; counted again under the same name: every value, in order. */
  addMetric(name: string, unit: MetricUnit, value: number): void;
  /** One more dimension set for this flush: the default dimensions and these. */
  addDimensions(dimensions: Record<string, string>): void;
  hasStoredMetrics(): boolean;
  /** Writes what was counted as one EMF line, then forgets it and the dimension sets added. */
  publishStoredMetrics(): void;
}

/** CloudWatch's limits on one EMF line, which Powertools applied too. */
const MAX_METRICS = 100;
const MAX_VALUES = 100;
const MAX_DIMENSIONS = 29;

interface Stored {
  unit: MetricUnit;
  value: number | number[];
}

class EmfMetrics implements Metrics {
  readonly #namespace: string;
  readonly #defaults: Record<string, string>;
  #metrics = new Map<string, Stored>();
  #sets: Record<string, string>[] = [];

  constructor(namespace: string, defaults: Record<string, string>) {
    this.#namespace = namespace;
    this.#defaults = defaults;
  }

  addMetric(name: string, unit: MetricUnit, value: number): void {
    if (name.length < 1 || name.length > 255)
      throw new RangeError('The metric name should be between 1 and 255 characters');
    if (typeof value !== 'number') throw new RangeError(`${String(value)} is not a valid number`);
    if (unit !== MetricUnit.Count && unit !== MetricUnit.Milliseconds)
      throw new RangeError(`Invalid metric unit '${String(unit)}'`);
    if (this.#metrics.size >= MAX_METRICS && !this.#metrics.has(name)) this.publishStoredMetrics();
    const stored = this.#metrics.get(name);
    if (!stored) {
      this.#metrics.set(name, { unit, value });
      return;
    }
    if (stored.unit !== unit)
      throw new Error(`Metric "${name}" has already been added with unit "${stored.unit}", not "${unit}"`);
    if (Array.isArray(stored.value)) stored.value.push(value);
    else stored.value = [stored.value, value];
    if (stored.value.length >= MAX_VALUES) this.publishStoredMetrics();
  }

  addDimensions(dimensions: Record<string, string>): void {
    // Empty names or values are not dimensions CloudWatch takes: left out, as Powertools did.
    const set = Object.fromEntries(
      Object.entries(dimensions).filter(
        ([key, value]) => key !== '' && typeof value === 'string' && value !== '',
      ),
    );
    if (new Set([...Object.keys(this.#defaults), ...Object.keys(set)]).size > MAX_DIMENSIONS)
      throw new RangeError(`The number of metric dimensions must be lower than ${MAX_DIMENSIONS}`);
    this.#sets.push(set);
  }

  hasStoredMetrics(): boolean {
    return this.#metrics.size > 0;
  }

  publishStoredMetrics(): void {
    try {
      if (this.#metrics.size > 0) process.stdout.write(`${JSON.stringify(this.#serialise())}\n`);
    } finally {
      this.#metrics = new Map();
      this.#sets = [];
    }
  }

  #serialise(): Record<string, unknown> {
    const defaults = Object.keys(this.#defaults);
    // No dimension set added: the defaults alone, or one empty set when there are none, which EMF
    // needs to publish a metric without dimensions (Powertools left the list empty, and CloudWatch
    // then ignored the metric).
    const dimensions = this.#sets.length
      ? this.#sets.map((set) => [...new Set([...defaults, ...Object.keys(set)])])
      : [defaults];
    const values: Record<string, number | number[]> = {};
    const definitions = [...this.#metrics].map(([name, { unit, value }]) => {
      values[name] = value;
      return { Name: name, Unit: unit };
    });
    for (const name of Object.keys(values)) {
      if (name in this.#defaults || this.#sets.some((set) => name in set))
        throw new Error(`EMF key collision on "${name}": registered as both a metric and a dimension`);
    }
    return {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [{ Namespace: this.#namespace, Dimensions: dimensions, Metrics: definitions }],
      },
      ...this.#defaults,
      ...Object.assign({}, ...this.#sets),
      ...values,
    };
  }
}

/** dimensions 'service': the default `service` dimension (POWERTOOLS_SERVICE_NAME, as the logger's).
 *  dimensions 'none': no dimension at all (EMF "Dimensions": [[]]), for metrics that alarms read without one. */
export function createMetrics(options: { namespace: string; dimensions: 'service' | 'none' }): Metrics {
  const defaults: Record<string, string> =
    options.dimensions === 'none' ? {} : { service: process.env.POWERTOOLS_SERVICE_NAME || 'herald' };
  return new EmfMetrics(options.namespace, defaults);
}
