/**
 * The overview's figures, from `GET /v1/stats?window=1h|24h` of notifications (its `Overview`
 * schema): totals, latency percentiles, a time series for the chart and one row per subscription,
 * failing first.
 */
import type { Overview, OverviewSubscription } from '@herald/client';

export type StatsWindow = Overview['window'];
export type Stats = Overview;
export type SubscriptionStats = OverviewSubscription;

const HEALTH_ORDER: Record<SubscriptionStats['health'], number> = {
  disabled: 0,
  failing: 1,
  degraded: 2,
  healthy: 3,
};

/**
 * Failing first: disabled, failing, degraded, healthy; within each, the longer failure streak,
 * then more failures, then the id for a stable order. (The API sorts so too; the console does not
 * rely on it.)
 */
export function failingFirst(rows: readonly SubscriptionStats[]): SubscriptionStats[] {
  return [...rows].sort(
    (a, b) =>
      (HEALTH_ORDER[a.health] ?? 4) - (HEALTH_ORDER[b.health] ?? 4) ||
      b.consecutiveFailures - a.consecutiveFailures ||
      b.failed - a.failed ||
      a.id.localeCompare(b.id),
  );
}

/** The share of settled deliveries that succeeded, 0..1, or undefined when none settled. */
export function successRate(deliveries: { succeeded: number; failed: number }): number | undefined {
  const settled = deliveries.succeeded + deliveries.failed;
  return settled === 0 ? undefined : deliveries.succeeded / settled;
}
