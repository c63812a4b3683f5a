/**
 * Replay: every stored event in a window that matches the subscription's filters, delivered again
 * (a job on the dispatch queue pages through them). Each keeps its delivery's `webhook-id`. One
 * replay of a subscription runs at a time, a tenant runs a limited number at once, and a window is
 * at most the stage's `maxReplayWindowHours` long.
 */
import type { AuditEntry, AuditOf } from '@herald/shared/audit';
import type { DispatchJob } from '../model/delivery-task';
import { replayAdmission, replayLease, type RunningReplay } from '../model/replays';
import { checkTenantQuota, type TenantLimits } from '../model/tenant-limits';
import { Conflict, InvalidInput, NotFound, ReplayRunning, type FieldProblem } from '../problems';
import type { ReplayBody } from '../schemas/replay.types.generated';
import type { ReplayPreview } from '../schemas/responses.types.generated';
import type { Envelope } from '@herald/shared/contracts';
import { matchesSubscription, type FilteringSubscription } from '../fan-out/content-filter';
import type { LookedUpSubscription, ReplayRegistry, SubscriptionLookup } from './ports';
import { checkDeliverable } from './redelivery';

/** Starts lost to others made at the same moment before the caller is asked to try again. */
const MAX_TRIES = 10;

export interface ReplayDeps {
  subscriptions: SubscriptionLookup;
  replays: ReplayRegistry;
  jobs: { send(job: DispatchJob): Promise<void> };
  now: () => Date;
  newId: () => string;
  correlationId: string;
  retentionDays: number;
  maxWindowHours: number;
  tenantLimits: TenantLimits;
  /** The audit entry of the replay's start (the handler binds it to the caller). */
  audit?: AuditOf;
}

function windowProblems(
  input: ReplayBody,
  window: { since: Date; until: Date; now: Date },
  deps: Pick<ReplayDeps, 'retentionDays' | 'maxWindowHours'>,
): FieldProblem[] {
  const { since, until, now } = window;
  // JSON Schema's date-time admits a leap second (23:59:60), which no Date holds.
  const unreadable = (['since', 'until'] as const).filter(
    (field) => input[field] !== undefined && Number.isNaN(window[field].getTime()),
  );
  if (unreadable.length > 0)
    return unreadable.map((field) => ({
      pointer: `/body/${field}`,
      message: 'must be a time that can be represented (not a leap second)',
    }));
  const problems: FieldProblem[] = [];
  if (since.getTime() > now.getTime())
    problems.push({ pointer: '/body/since', message: 'must not be in the future' });
  if (until.getTime() < since.getTime())
    problems.push({ pointer: '/body/until', message: 'must not be before since' });
  const oldest = now.getTime() - deps.retentionDays * 86400_000;
  if (since.getTime() < oldest) {
    problems.push({
      pointer: '/body/since',
      message: `must be within the last ${deps.retentionDays} day(s): older events are no longer stored`,
    });
  } else if (Math.min(until.getTime(), now.getTime()) - since.getTime() > deps.maxWindowHours * 3600_000) {
    problems.push({
      pointer: input.until === undefined ? '/body/since' : '/body/until',
      message: `the window from since to until must be at most ${deps.maxWindowHours} hour(s) (the stage's maxReplayWindowHours)`,
    });
  }
  return problems;
}

/** The window a replay request asks for, checked: its since, and its until (now at the latest). */
function checkedWindow(
  input: ReplayBody,
  now: Date,
  deps: Pick<ReplayDeps, 'retentionDays' | 'maxWindowHours'>,
): { since: Date; until: Date } {
  const since = new Date(input.since);
  const until = input.until === undefined ? now : new Date(input.until);
  const problems = windowProblems(input, { since, until, now }, deps);
  if (problems.length > 0) throw new InvalidInput(problems);
  return { since, until: until.getTime() > now.getTime() ? now : until };
}

export interface ReplayPreviewDeps extends Pick<ReplayDeps, 'now' | 'retentionDays' | 'maxWindowHours'> {
  subscriptions: {
    get(tenantId: string, id: string): Promise<(LookedUpSubscription & FilteringSubscription) | undefined>;
  };
  events: {
    /**
     * The tenant's stored events between two bus times (both included) whose envelope `matches`
     * accepts, or all of them without it.
     */
    count(
      tenantId: string,
      range: { from: string; to: string },
      matches?: (envelope: Envelope) => boolean,
    ): Promise<number>;
  };
}

/**
 * What a replay of the window would send, without starting it: the stored events in the window
 * that the subscription's event types and content filter match, as the replay job pages through
 * them (fan-out/jobs.ts). The same checks as a replay (window, subscription), no job, nothing counted
 * toward the limits. Counting reads the window's envelopes as the replay would, at most
 * maxReplayWindowHours of them: even a subscription to `*` without a content filter needs them, since
 * `*` never matches Herald's operational events (`herald.*`) and the event log keeps no type apart.
 */
export async function previewReplay(
  tenantId: string,
  subscriptionId: string,
  input: ReplayBody,
  deps: ReplayPreviewDeps,
): Promise<ReplayPreview> {
  const { since, until } = checkedWindow(input, deps.now(), deps);
  const subscription = await deps.subscriptions.get(tenantId, subscriptionId);
  if (!subscription) throw new NotFound('subscription');
  checkDeliverable(subscription);
  const range = { from: since.toISOString(), to: until.toISOString() };
  const events = await deps.events.count(tenantId, range, (envelope) =>
    matchesSubscription(subscription, envelope),
  );
  return { dryRun: true, events, since: range.from, until: range.to };
}

export async function requestReplay(
  tenantId: string,
  subscriptionId: string,
  input: ReplayBody,
  deps: ReplayDeps,
): Promise<{ replayId: string; since: string; until: string }> {
  const now = deps.now();
  const { since, until } = checkedWindow(input, now, deps);
  const subscription = await deps.subscriptions.get(tenantId, subscriptionId);
  if (!subscription) throw new NotFound('subscription');
  checkDeliverable(subscription);
  const replay: RunningReplay = {
    id: deps.newId(),
    subscriptionId,
    startedAt: now.toISOString(),
    leaseUntil: replayLease(now),
  };
  const entry = deps.audit?.(
    {
      action: 'replay.started',
      resource: { type: 'subscription', id: subscriptionId },
      changedFields: Object.keys(input),
    },
    now,
  );
  await startReplay(tenantId, replay, deps, entry);
  const job: DispatchJob = {
    v: 1,
    job: 'replay',
    id: replay.id,
    tenantId,
    subscriptionId,
    since: since.toISOString(),
    until: until.toISOString(),
    correlationId: deps.correlationId,
  };
  try {
    await deps.jobs.send(job);
  } catch (error) {
    // No job will ever finish it: free the subscription now rather than when the lease ends.
    await deps.replays.finish(tenantId, subscriptionId, replay.id).catch(() => undefined);
    throw error;
  }
  return { replayId: job.id, since: job.since, until: job.until };
}

/** Records the replay as running, unless one of the subscription's is or the tenant is at its limit. */
async function startReplay(
  tenantId: string,
  replay: RunningReplay,
  deps: ReplayDeps,
  entry: AuditEntry | undefined,
): Promise<void> {
  for (let tries = 1; ; tries++) {
    const recorded = await deps.replays.running(tenantId);
    const admission = replayAdmission(recorded.replays, replay.subscriptionId, deps.now());
    if (admission.running) throw new ReplayRunning(admission.running.id);
    checkTenantQuota('concurrentReplays', admission.live, deps.tenantLimits);
    if (await deps.replays.start(tenantId, replay, admission.expired, recorded.version, entry)) return;
    if (tries >= MAX_TRIES) {
      throw new Conflict('concurrent-change', 'Other replays were being started at the same time; try again');
    }
  }
}
