// Amazon SQS fair queues, as "How Amazon SQS fair queues work" describes them. On a standard queue
// every message's MessageGroupId names its tenant (a message without one is a tenant of its own). A
// tenant is a noisy neighbour while it holds more than 10% of the queue's in-flight messages with at
// least 30 of its own in flight, or more than 10% of the consumers' recent processing time. While a
// quiet tenant's message waits, a receive returns it before any noisy neighbour's; among noisy
// neighbours, the one with the fewest messages in flight goes first. Nothing is dropped or throttled:
// with no quiet message waiting, noisy neighbours' messages are received as usual, in order.
//
// AWS calls its thresholds approximate and does not say how recent "recent" is: the window here is a
// minute, long enough to see a backlog being worked through batch after batch.

export const NOISY_SHARE = 0.1;
export const NOISY_MIN_IN_FLIGHT = 30;
export const PROCESSING_WINDOW_MS = 60_000;

/** What the queue's consumers are doing now, by tenant. */
export interface TenantUsage {
  /** Messages received and neither deleted nor visible again. */
  inFlight: ReadonlyMap<string, number>;
  /** Milliseconds of consumer time within the window: messages handled, and those in flight so far. */
  processingMs: ReadonlyMap<string, number>;
}

const total = (values: ReadonlyMap<string, number>) => [...values.values()].reduce((a, b) => a + b, 0);

/** The tenants that count as noisy neighbours now. */
export function noisyTenants(usage: TenantUsage): Set<string> {
  const noisy = new Set<string>();
  const inFlight = total(usage.inFlight);
  for (const [tenant, count] of usage.inFlight)
    if (count >= NOISY_MIN_IN_FLIGHT && count > NOISY_SHARE * inFlight) noisy.add(tenant);
  const processing = total(usage.processingMs);
  for (const [tenant, ms] of usage.processingMs)
    if (processing > 0 && ms > NOISY_SHARE * processing) noisy.add(tenant);
  return noisy;
}

/**
 * Which of the ready messages (oldest first) one receive of up to `count` returns, in that order:
 * quiet tenants' messages first, oldest first; then noisy neighbours', each next one from whichever
 * has the fewest in flight (counting those this receive already took), oldest first within a tenant.
 */
export function fairPick<T>(
  ready: readonly T[],
  tenantOf: (message: T) => string,
  usage: TenantUsage,
  count: number,
): T[] {
  return pickAmong(ready, tenantOf, noisyTenants(usage), (tenant) => usage.inFlight.get(tenant) ?? 0, count);
}

/** fairPick, given the noisy neighbours and each tenant's messages in flight. */
export function pickAmong<T>(
  ready: readonly T[],
  tenantOf: (message: T) => string,
  noisy: ReadonlySet<string>,
  inFlightOf: (tenant: string) => number,
  count: number,
): T[] {
  if (noisy.size === 0) return ready.slice(0, count);
  const picked: T[] = [];
  const waiting = new Map<string, T[]>();
  for (const message of ready) {
    if (picked.length === count) break; // quiet tenants fill the receive: no noisy message is needed
    const tenant = tenantOf(message);
    if (!noisy.has(tenant)) {
      if (picked.length < count) picked.push(message);
      continue;
    }
    const own = waiting.get(tenant) ?? [];
    waiting.set(tenant, own);
    // No tenant can be given more than the whole receive.
    if (own.length < count) own.push(message);
  }
  const taken = new Map<string, number>();
  while (picked.length < count) {
    let next: string | undefined;
    let fewest = Number.POSITIVE_INFINITY;
    for (const [tenant, messages] of waiting) {
      if (messages.length === 0) continue;
      const inFlight = inFlightOf(tenant) + (taken.get(tenant) ?? 0);
      if (inFlight < fewest) [next, fewest] = [tenant, inFlight];
    }
    if (next === undefined) break;
    picked.push(waiting.get(next)!.shift()!);
    taken.set(next, (taken.get(next) ?? 0) + 1);
  }
  return picked;
}
