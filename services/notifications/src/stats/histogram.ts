/**
 * Delivery latencies as counts in fixed log-scale buckets, so the counters of many minutes or hours
 * merge by adding and their percentiles come from the sum: bucket `i` holds latencies from
 * 2^(i/4) up to 2^((i+1)/4) ms (each bucket 19% wider than the one below), bucket 0 everything
 * under 1.19 ms, the last everything from about 12 days on. A percentile is read as the middle of
 * its bucket (geometrically), so it is within 9% of the true value.
 */

/** Buckets per doubling. */
const STEPS = 4;
export const LATENCY_BUCKETS = 120;

/** The bucket a latency falls into. */
export function latencyBucket(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.min(LATENCY_BUCKETS - 1, Math.floor(Math.log2(ms) * STEPS));
}

/** The latency a bucket stands for: its geometric middle, in whole milliseconds. */
export function bucketValue(bucket: number): number {
  return bucket === 0 ? 1 : Math.round(2 ** ((bucket + 0.5) / STEPS));
}

/** Counts by bucket. */
export type Histogram = Map<number, number>;

export function mergeInto(target: Histogram, bucket: number, count: number): void {
  if (count > 0) target.set(bucket, (target.get(bucket) ?? 0) + count);
}

/** The `q` quantile (0 < q ≤ 1) of the latencies counted, or undefined when none were. */
export function percentile(histogram: Histogram, q: number): number | undefined {
  const total = [...histogram.values()].reduce((sum, n) => sum + n, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bucket)!;
    if (seen >= rank) return bucketValue(bucket);
  }
  return undefined;
}
