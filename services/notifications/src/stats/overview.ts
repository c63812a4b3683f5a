/**
 * The tenant's delivery overview over the last hour (60 one-minute buckets) or day (24 one-hour
 * buckets): events dispatched, deliveries succeeded, failed for good and waiting for a retry now,
 * latency percentiles, a time series for a chart, and each subscription's counts beside the health
 * delivery keeps on it (delivery/health.ts), failing first. It reads the counters aggregateStats
 * keeps (one query of at most 60 items), the retrying gauge and the tenant's subscriptions: never
 * the tenant's deliveries or events, so a page view costs the same whatever the traffic.
 */
import type { Overview, OverviewSubscription } from '../schemas/responses.types.generated';
import { hourStatsSortKey, minuteStatsSortKey } from '../model/table-keys';
import { COUNTERS, hourOf, minuteOf } from './aggregate';
import { LATENCY_BUCKETS, mergeInto, percentile, type Histogram } from './histogram';
import type { CounterItem, StatsStore, SubscriptionHealthView, TenantSubscriptions } from './ports';

export type OverviewWindow = '1h' | '24h';

const WINDOWS = {
  '1h': { buckets: 60, bucketMs: 60_000, sortKey: minuteStatsSortKey, label: minuteOf },
  '24h': { buckets: 24, bucketMs: 3600_000, sortKey: hourStatsSortKey, label: hourOf },
} as const;

export interface OverviewDeps {
  stats: StatsStore;
  subscriptions: TenantSubscriptions;
  now: () => Date;
}

const count = (item: CounterItem | undefined, name: string): number => {
  const value = item?.[name];
  return typeof value === 'number' ? value : 0;
};

interface SubscriptionCounts {
  succeeded: number;
  failed: number;
  lastSuccessAt?: string;
  lastFailureAt?: string;
}

const SUBSCRIPTION_COUNTER = /^(s|f|ls|lf)_(.+)$/;

export async function tenantOverview(
  tenantId: string,
  window: OverviewWindow,
  deps: OverviewDeps,
): Promise<Overview> {
  const shape = WINDOWS[window];
  const now = deps.now().getTime();
  const last = Math.floor(now / shape.bucketMs) * shape.bucketMs;
  const first = last - (shape.buckets - 1) * shape.bucketMs;
  const [items, gauge, subscriptions] = await Promise.all([
    deps.stats.between(tenantId, shape.sortKey(shape.label(first)), shape.sortKey(shape.label(last))),
    deps.stats.retrying(tenantId),
    deps.subscriptions.health(tenantId),
  ]);
  const byLabel = new Map(items.map((item) => [String(item.sk ?? ''), item]));
  const histogram: Histogram = new Map();
  const perSubscription = new Map<string, SubscriptionCounts>();
  const totals = { dispatched: 0, succeeded: 0, failed: 0 };
  const series = [];
  for (let start = first; start <= last; start += shape.bucketMs) {
    const item = byLabel.get(shape.sortKey(shape.label(start)));
    const succeeded = count(item, COUNTERS.succeeded);
    const failed = count(item, COUNTERS.failed);
    series.push({ start: new Date(start).toISOString(), succeeded, failed });
    if (!item) continue;
    totals.dispatched += count(item, COUNTERS.dispatched);
    totals.succeeded += succeeded;
    totals.failed += failed;
    for (let bucket = 0; bucket < LATENCY_BUCKETS; bucket++)
      mergeInto(histogram, bucket, count(item, COUNTERS.latency(bucket)));
    for (const [name, value] of Object.entries(item)) {
      const match = SUBSCRIPTION_COUNTER.exec(name);
      if (!match) continue;
      const [, field, id] = match as unknown as [string, 's' | 'f' | 'ls' | 'lf', string];
      const counts = perSubscription.get(id) ?? { succeeded: 0, failed: 0 };
      perSubscription.set(id, counts);
      if (field === 's' && typeof value === 'number') counts.succeeded += value;
      else if (field === 'f' && typeof value === 'number') counts.failed += value;
      else if (field === 'ls' && typeof value === 'string' && !(counts.lastSuccessAt! >= value))
        counts.lastSuccessAt = value;
      else if (field === 'lf' && typeof value === 'string' && !(counts.lastFailureAt! >= value))
        counts.lastFailureAt = value;
    }
  }
  const p50 = percentile(histogram, 0.5);
  const p99 = percentile(histogram, 0.99);
  const latencyCount = [...histogram.values()].reduce((sum, n) => sum + n, 0);
  return {
    window,
    from: new Date(first).toISOString(),
    until: new Date(now).toISOString(),
    bucketSeconds: shape.bucketMs === 60_000 ? 60 : 3600,
    events: { dispatched: totals.dispatched },
    deliveries: {
      succeeded: totals.succeeded,
      failed: totals.failed,
      // A gauge the stream moves up and down; a count the stream repeated may leave it off by a few.
      retrying: Math.max(0, count(gauge, COUNTERS.retrying)),
    },
    latencyMs: {
      count: latencyCount,
      ...(p50 !== undefined ? { p50 } : {}),
      ...(p99 !== undefined ? { p99 } : {}),
    },
    series,
    subscriptions: subscriptionRows(subscriptions, perSubscription, gauge),
  };
}

const HEALTH_ORDER = { disabled: 0, failing: 1, degraded: 2, healthy: 3 } as const;

/**
 * One row per subscription of the tenant, and per deleted one that still has counts in the window;
 * failing first: disabled, then failing now (its last attempts failed), then those with failures in
 * the window, then the rest; within each, most failures first.
 */
export function subscriptionRows(
  subscriptions: readonly SubscriptionHealthView[],
  counts: ReadonlyMap<string, SubscriptionCounts>,
  gauge: CounterItem | undefined,
): OverviewSubscription[] {
  const known = new Set(subscriptions.map((s) => s.id));
  const deleted = [...counts.keys()].filter((id) => !known.has(id));
  const rows: OverviewSubscription[] = [
    ...subscriptions.map((s) => row(s, counts.get(s.id), gauge)),
    ...deleted.map((id) => row({ id, status: 'deleted' }, counts.get(id), gauge)),
  ];
  return rows.sort(
    (a, b) =>
      HEALTH_ORDER[a.health] - HEALTH_ORDER[b.health] ||
      b.failed - a.failed ||
      (b.lastFailureAt ?? '').localeCompare(a.lastFailureAt ?? '') ||
      a.id.localeCompare(b.id),
  );
}

function row(
  subscription: Partial<SubscriptionHealthView> & { id: string; status: string },
  counts: SubscriptionCounts | undefined,
  gauge: CounterItem | undefined,
): OverviewSubscription {
  const failed = counts?.failed ?? 0;
  const consecutiveFailures = subscription.consecutiveFailures ?? 0;
  const health =
    subscription.status === 'disabled'
      ? 'disabled'
      : consecutiveFailures > 0
        ? 'failing'
        : failed > 0
          ? 'degraded'
          : 'healthy';
  return {
    id: subscription.id,
    status: subscription.status as OverviewSubscription['status'],
    ...(subscription.kind ? { kind: subscription.kind } : {}),
    ...(subscription.url ? { url: subscription.url } : {}),
    ...(subscription.email ? { email: subscription.email } : {}),
    ...(subscription.description ? { description: subscription.description } : {}),
    health,
    succeeded: counts?.succeeded ?? 0,
    failed,
    retrying: Math.max(0, count(gauge, COUNTERS.subscriptionRetrying(subscription.id))),
    consecutiveFailures,
    ...(counts?.lastSuccessAt ? { lastSuccessAt: counts.lastSuccessAt } : {}),
    ...(counts?.lastFailureAt ? { lastFailureAt: counts.lastFailureAt } : {}),
    ...(subscription.failingSince ? { failingSince: subscription.failingSince } : {}),
    ...(subscription.disabledReason ? { disabledReason: subscription.disabledReason } : {}),
  };
}
