/** Nearest-rank percentile of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summary(values: readonly number[], unit = 'ms'): string {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return `p50 ${percentile(values, 50)} ${unit}, p99 ${percentile(values, 99)} ${unit}, mean ${mean.toFixed(1)} ${unit}, max ${Math.max(...values)} ${unit}`;
}
