import { NOISY_MIN_IN_FLIGHT, NOISY_SHARE, PROCESSING_WINDOW_MS, type TenantUsage } from './policy';

/** At least this often the processing-time shares are looked at again, whatever changed. */
const PROCESSING_SCAN_MS = 1_000;

/**
 * Each tenant's receives in flight and recent processing time on one queue, kept as running totals.
 * Every receive asks which tenants are noisy, and a busy queue has thousands of tenants in the window
 * (each message without a group id is a tenant of its own), so a receive must not walk them all:
 *  - the in-flight share is exact on every receive: only tenants with NOISY_MIN_IN_FLIGHT messages in
 *    flight can have it, and they are kept apart;
 *  - the processing-time share needs every tenant's time, so that scan is reused until a tenth of what
 *    the window holds has changed or PROCESSING_SCAN_MS has passed (with a handful of messages, every
 *    change). AWS calls its own thresholds approximate; this is approximate within those bounds.
 */
export class QueueUsage {
  private readonly inFlight = new Map<string, { tenant: string; at: number }>();
  /** Per tenant: messages in flight and the sum of their receive times (their time so far is count × now − sum). */
  private readonly inFlightByTenant = new Map<string, { count: number; sumAt: number }>();
  private inFlightSumAt = 0;
  /** Tenants with at least NOISY_MIN_IN_FLIGHT messages in flight. */
  private readonly crowded = new Set<string>();
  /** Handled messages within the window, oldest first (from `head` on), and their time per tenant. */
  private done: Array<{ at: number; tenant: string; ms: number }> = [];
  private head = 0;
  private readonly doneByTenant = new Map<string, { count: number; ms: number }>();
  private doneMs = 0;
  /** The last processing-time scan: its result, when, and what changed since. */
  private busy = new Set<string>();
  private scannedAt = Number.NEGATIVE_INFINITY;
  private changes = 1;

  received(receiptHandle: string, tenant: string, now: number): void {
    this.inFlight.set(receiptHandle, { tenant, at: now });
    const own = this.inFlightByTenant.get(tenant) ?? { count: 0, sumAt: 0 };
    own.count += 1;
    own.sumAt += now;
    this.inFlightByTenant.set(tenant, own);
    this.inFlightSumAt += now;
    if (own.count >= NOISY_MIN_IN_FLIGHT) this.crowded.add(tenant);
    this.changes += 1;
  }

  /** A message deleted, or back in the queue (its visibility timeout passed): its time counts. */
  finished(receiptHandle: string, now: number): void {
    const receive = this.inFlight.get(receiptHandle);
    if (!receive) return;
    const { tenant, at } = receive;
    this.inFlight.delete(receiptHandle);
    const own = this.inFlightByTenant.get(tenant)!;
    own.count -= 1;
    own.sumAt -= at;
    this.inFlightSumAt -= at;
    if (own.count < NOISY_MIN_IN_FLIGHT) this.crowded.delete(tenant);
    if (own.count === 0) this.inFlightByTenant.delete(tenant);
    this.done.push({ at: now, tenant, ms: now - at });
    const handled = this.doneByTenant.get(tenant) ?? { count: 0, ms: 0 };
    handled.count += 1;
    handled.ms += now - at;
    this.doneByTenant.set(tenant, handled);
    this.doneMs += now - at;
    this.changes += 1;
  }

  /** Brings the totals up to `now`: receives the queue no longer holds in flight, and the window. */
  settle(queue: { inflightMessages: { has(handle: string): boolean } }, now: number): void {
    // Deleting from a Map while iterating it is safe: entries not yet visited are still visited.
    for (const handle of this.inFlight.keys())
      if (!queue.inflightMessages.has(handle)) this.finished(handle, now);
    this.expire(now - PROCESSING_WINDOW_MS);
  }

  /** The noisy neighbours now (policy.ts's noisyTenants, over these totals). */
  noisy(now: number): Set<string> {
    const noisy = new Set<string>();
    for (const tenant of this.crowded)
      if (this.inFlightOf(tenant) > NOISY_SHARE * this.inFlight.size) noisy.add(tenant);
    const held = this.done.length - this.head + this.inFlight.size;
    if (now - this.scannedAt >= PROCESSING_SCAN_MS || this.changes * 10 > held) this.scanProcessing(now);
    for (const tenant of this.busy) noisy.add(tenant);
    return noisy;
  }

  inFlightOf(tenant: string): number {
    return this.inFlightByTenant.get(tenant)?.count ?? 0;
  }

  /** Every tenant's usage (what `noisy` decides on), for tests and diagnostics. */
  snapshot(now: number): TenantUsage {
    const inFlight = new Map<string, number>();
    const processingMs = new Map<string, number>();
    for (const [tenant, { ms }] of this.doneByTenant) processingMs.set(tenant, ms);
    for (const [tenant, { count, sumAt }] of this.inFlightByTenant) {
      inFlight.set(tenant, count);
      processingMs.set(tenant, (processingMs.get(tenant) ?? 0) + count * now - sumAt);
    }
    return { inFlight, processingMs };
  }

  private scanProcessing(now: number): void {
    const total = this.doneMs + this.inFlight.size * now - this.inFlightSumAt;
    const busy = new Set<string>();
    if (total > 0) {
      const limit = NOISY_SHARE * total;
      const inFlightMs = (tenant: string) => {
        const own = this.inFlightByTenant.get(tenant);
        return own ? own.count * now - own.sumAt : 0;
      };
      for (const [tenant, { ms }] of this.doneByTenant) if (ms + inFlightMs(tenant) > limit) busy.add(tenant);
      for (const [tenant, { count, sumAt }] of this.inFlightByTenant)
        if (!this.doneByTenant.has(tenant) && count * now - sumAt > limit) busy.add(tenant);
    }
    this.busy = busy;
    this.scannedAt = now;
    this.changes = 0;
  }

  /** Forgets handled messages at or before `cutoff`. */
  private expire(cutoff: number): void {
    while (this.head < this.done.length && this.done[this.head]!.at <= cutoff) {
      const { tenant, ms } = this.done[this.head]!;
      this.head += 1;
      const handled = this.doneByTenant.get(tenant)!;
      handled.count -= 1;
      handled.ms -= ms;
      if (handled.count === 0) this.doneByTenant.delete(tenant);
      this.doneMs -= ms;
      this.changes += 1;
    }
    // Drop the expired prefix now and then, not on every receive.
    if (this.head > 1024 && this.head * 2 > this.done.length) {
      this.done = this.done.slice(this.head);
      this.head = 0;
    }
  }
}
