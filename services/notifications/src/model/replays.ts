/**
 * Replays recorded as running, on the tenant's usage item: one per subscription at most, from the
 * request until its job has queued its last page. Each holds a lease its job renews at every page,
 * so a replay whose job died stops counting once the lease ends and never locks a subscription for
 * ever.
 */

export interface RunningReplay {
  id: string;
  subscriptionId: string;
  startedAt: string;
  /** RFC 3339: without a page done by then, the replay no longer counts as running. */
  leaseUntil: string;
}

/** Longer than any healthy wait between two pages of a job (a dispatch queue's redeliveries included). */
export const REPLAY_LEASE_MS = 15 * 60_000;

export const replayLease = (now: Date): string => new Date(now.getTime() + REPLAY_LEASE_MS).toISOString();

export const isRunning = (replay: RunningReplay, now: Date): boolean =>
  Date.parse(replay.leaseUntil) > now.getTime();

export interface ReplayAdmission {
  /** The replay of this subscription that is still running, if any. */
  running?: RunningReplay;
  /** How many of the tenant's replays are running. */
  live: number;
  /** Subscriptions of other replays whose lease has ended: their records can go. */
  expired: string[];
}

/** What the tenant's recorded replays say about starting one for `subscriptionId` at `now`. */
export function replayAdmission(
  recorded: readonly RunningReplay[],
  subscriptionId: string,
  now: Date,
): ReplayAdmission {
  const live = recorded.filter((replay) => isRunning(replay, now));
  const running = live.find((replay) => replay.subscriptionId === subscriptionId);
  const expired = recorded
    .filter((replay) => !isRunning(replay, now) && replay.subscriptionId !== subscriptionId)
    .map((replay) => replay.subscriptionId);
  return { ...(running ? { running } : {}), live: live.length, expired };
}
