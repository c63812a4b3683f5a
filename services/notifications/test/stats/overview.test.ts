/**
 * The overview: what GET /v1/stats answers from the counters the fold wrote, for the last hour and
 * the last day, with each subscription's health, failing first.
 */
import { describe, expect, test } from '@jest/globals';
import { foldChanges } from '../../src/stats/aggregate';
import { bucketValue, latencyBucket, percentile } from '../../src/stats/histogram';
import { tenantOverview } from '../../src/stats/overview';
import { MemoryStats, MemorySubscriptions } from '../support/memory';
import { change, delivery, storedEvent } from './stream-records';

const NOW = Date.parse('2026-12-01T10:30:20.000Z');
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

function subscription(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    tenantId: 'acme',
    kind: 'webhook' as const,
    url: `https://hooks.example.com/${id}`,
    eventTypes: ['*'],
    status: 'active' as const,
    createdAt: at(-86400_000),
    updatedAt: at(-86400_000),
    ...extra,
  };
}

/** `outcome` of one delivery of `sub`, the event stored at `busOffset`, decided at `doneOffset`. */
function outcome(sub: string, event: string, status: string, busOffset: number, doneOffset: number) {
  const busTime = at(busOffset);
  const before = delivery({ subscription: sub, event, busTime, status: 'pending', updatedAt: busTime });
  const after = delivery({
    subscription: sub,
    event,
    busTime,
    status,
    updatedAt: at(doneOffset),
    attempts: [{ at: at(doneOffset - 100), durationMs: 100, outcome: status }],
  });
  return change(after.key, before.item, after.item);
}

async function overviewWorld() {
  const stats = new MemoryStats();
  const subscriptions = new MemorySubscriptions();
  subscriptions.put(subscription('sub_OK'));
  subscriptions.put(subscription('sub_FAILING', { consecutiveFailures: 3, failingSince: at(-600_000) }));
  subscriptions.put(subscription('sub_OFF', { status: 'disabled', disabledReason: 'HTTP 410' }));
  subscriptions.put(subscription('sub_FLAKY'));
  const records = [
    storedEvent('acme', at(-5_000), 'e1'),
    storedEvent('acme', at(-5_000), 'e2'),
    storedEvent('acme', at(-2 * 3600_000), 'old'),
    storedEvent('other', at(-5_000), 'theirs'),
    // Latencies 1 s, 2 s, 3 s ... 10 s (sub_OK), all in the current minute.
    ...Array.from({ length: 10 }, (_, i) =>
      outcome('sub_OK', `ok${i}`, 'succeeded', -15_000, -15_000 + (i + 1) * 1000),
    ),
    outcome('sub_FAILING', 'f1', 'failed', -20 * 60_000, -19 * 60_000),
    outcome('sub_FLAKY', 'f2', 'failed', -40 * 60_000, -39 * 60_000),
    outcome('sub_FLAKY', 'f3', 'failed', -40 * 60_000, -39 * 60_000),
    outcome('sub_GONE', 'g1', 'succeeded', -50 * 60_000, -50 * 60_000 + 500),
    // Two hours ago: outside the hour, inside the day.
    outcome('sub_OK', 'old', 'succeeded', -2 * 3600_000, -2 * 3600_000 + 1000),
  ];
  const waiting = delivery({
    subscription: 'sub_FAILING',
    event: 'w1',
    busTime: at(-1000),
    status: 'pending',
    updatedAt: at(-500),
    nextAttemptAt: at(5000),
  });
  records.push(change(waiting.key, { ...waiting.item, nextAttemptAt: undefined }, waiting.item));
  for (const update of foldChanges(records)) await stats.apply(update);
  const deps = { stats, subscriptions, now: () => new Date(NOW) };
  return { stats, deps };
}

describe('the overview', () => {
  test('the last hour: totals, latency, 60 one-minute buckets, the retrying gauge', async () => {
    const { deps } = await overviewWorld();
    const overview = await tenantOverview('acme', '1h', deps);
    expect(overview).toMatchObject({
      window: '1h',
      from: '2026-12-01T09:31:00.000Z',
      until: '2026-12-01T10:30:20.000Z',
      bucketSeconds: 60,
      events: { dispatched: 2 },
      deliveries: { succeeded: 11, failed: 3, retrying: 1 },
    });
    expect(overview.series).toHaveLength(60);
    expect(overview.series.at(-1)).toEqual({ start: '2026-12-01T10:30:00.000Z', succeeded: 10, failed: 0 });
    expect(overview.series.find((b) => b.start === '2026-12-01T10:11:00.000Z')).toMatchObject({ failed: 1 });
    // Eleven first-run successes: 1 s to 10 s and 0.5 s.
    expect(overview.latencyMs.count).toBe(11);
    expect(overview.latencyMs.p50).toBe(bucketValue(latencyBucket(5000)));
    expect(overview.latencyMs.p99).toBe(bucketValue(latencyBucket(10_000)));
  });

  test('each subscription with its counts and health, failing first; a deleted one that has counts too', async () => {
    const { deps } = await overviewWorld();
    const { subscriptions } = await tenantOverview('acme', '1h', deps);
    expect(subscriptions.map((s) => [s.id, s.health, s.status])).toEqual([
      ['sub_OFF', 'disabled', 'disabled'],
      ['sub_FAILING', 'failing', 'active'],
      ['sub_FLAKY', 'degraded', 'active'],
      // Healthy ones by id.
      ['sub_GONE', 'healthy', 'deleted'],
      ['sub_OK', 'healthy', 'active'],
    ]);
    const failing = subscriptions.find((s) => s.id === 'sub_FAILING')!;
    expect(failing).toMatchObject({
      failed: 1,
      retrying: 1,
      consecutiveFailures: 3,
      failingSince: at(-600_000),
      lastFailureAt: at(-19 * 60_000),
      url: 'https://hooks.example.com/sub_FAILING',
    });
    expect(subscriptions.find((s) => s.id === 'sub_OK')).toMatchObject({
      succeeded: 10,
      failed: 0,
      lastSuccessAt: at(-5_000),
    });
  });

  test('the last day: 24 one-hour buckets, the older counts included', async () => {
    const { deps } = await overviewWorld();
    const overview = await tenantOverview('acme', '24h', deps);
    expect(overview.series).toHaveLength(24);
    expect(overview.from).toBe('2026-11-30T11:00:00.000Z');
    expect(overview.bucketSeconds).toBe(3600);
    expect(overview.events.dispatched).toBe(3);
    expect(overview.deliveries.succeeded).toBe(12);
    expect(overview.series.find((b) => b.start === '2026-12-01T08:00:00.000Z')).toMatchObject({
      succeeded: 1,
    });
  });

  test('another tenant sees zeros and no latency', async () => {
    const { deps } = await overviewWorld();
    const overview = await tenantOverview('nobody', '1h', deps);
    expect(overview.events.dispatched).toBe(0);
    expect(overview.deliveries).toEqual({ succeeded: 0, failed: 0, retrying: 0 });
    expect(overview.latencyMs).toEqual({ count: 0 });
    expect(overview.series.every((b) => b.succeeded === 0 && b.failed === 0)).toBe(true);
    expect(overview.subscriptions).toEqual([]);
  });
});

describe('the latency histogram', () => {
  test('reads each latency back within 9%', () => {
    for (const ms of [1, 2, 7, 30, 123, 999, 4321, 60_000, 3_600_000]) {
      const value = bucketValue(latencyBucket(ms));
      expect(Math.abs(value - ms) / ms).toBeLessThanOrEqual(0.1);
    }
  });

  test('takes percentiles by rank over merged counts', () => {
    const histogram = new Map([
      [latencyBucket(100), 98],
      [latencyBucket(5000), 2],
    ]);
    expect(percentile(histogram, 0.5)).toBe(bucketValue(latencyBucket(100)));
    expect(percentile(histogram, 0.99)).toBe(bucketValue(latencyBucket(5000)));
    expect(percentile(new Map(), 0.5)).toBeUndefined();
  });
});
