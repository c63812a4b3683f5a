/**
 * Fan-out: an event stored by processing arrives from the bus; once its signature verifies, it is
 * kept (for replay) and one delivery task per matching subscription is queued. The same queue
 * carries the jobs that page through stored events (replay) and held deliveries (release on resume),
 * each page queueing its tasks and then the job for the next page.
 */
import { BusDetailError, EnvelopePattern, parseBusEvent, type Envelope } from '@herald/shared/contracts';
import { SignatureError, type EnvelopeVerifier } from '@herald/shared/signing';
import { deliveryId, eventSortKey } from './deliveries-table';
import { checkJob, isDispatchJob, type DeliveryTask, type DispatchJob, type Lane } from './delivery-task';
import { matchesAny } from './event-filters';
import type { PageKey } from './pagination';
import type { SubscriptionKind, SubscriptionStatus } from './subscriptions-table';

export interface StoredEvent {
  tenantId: string;
  eventKey: string;
  envelope: Envelope;
  /** Epoch seconds: DynamoDB's TTL removes the event after the retention period. */
  expiresAt: number;
}

export interface EventLog {
  put(event: StoredEvent): Promise<void>;
  /** Events stored in [from, to] (bus times, RFC 3339), oldest first. */
  between(
    tenantId: string,
    range: { from: string; to: string },
    limit: number,
    after?: PageKey,
  ): Promise<{ items: StoredEvent[]; next?: PageKey }>;
}

/** What fan-out needs of a subscription: never its secrets. */
export interface DispatchSubscription {
  id: string;
  kind: SubscriptionKind;
  eventTypes: string[];
  status: SubscriptionStatus;
  slowSince?: string;
}

export interface DispatchSubscriptions {
  /** Every subscription of the tenant, all pages. */
  all(tenantId: string): Promise<DispatchSubscription[]>;
  get(tenantId: string, id: string): Promise<DispatchSubscription | undefined>;
}

export interface HeldDelivery {
  id: string;
  subscriptionId: string;
  kind: SubscriptionKind;
  eventId: string;
  eventType: string;
  eventKey: string;
}

export interface HeldDeliveries {
  list(
    tenantId: string,
    subscriptionId: string,
    limit: number,
    after?: PageKey,
  ): Promise<{ items: HeldDelivery[]; next?: PageKey }>;
}

export interface DispatchQueue {
  /** Queues the tasks, each on its lane, in batches. */
  sendTasks(tasks: ReadonlyArray<{ task: DeliveryTask; lane: Lane }>): Promise<void>;
  sendJob(job: DispatchJob, delaySeconds?: number): Promise<void>;
}

export interface DispatchDeps {
  verifier: EnvelopeVerifier;
  events: EventLog;
  subscriptions: DispatchSubscriptions;
  held: HeldDeliveries;
  queue: DispatchQueue;
  retentionDays: number;
  now: () => Date;
}

/** The bus event was not a verifiable stored event: it must not be fanned out. */
export class RejectedEvent extends Error {
  override readonly name = 'RejectedEvent';
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Envelopes above this travel by reference: tasks are batched ten to an SQS call of at most 256 KiB. */
export const INLINE_ENVELOPE_BYTES = 16 * 1024;
export const JOB_PAGE_SIZE = 100;

export type DispatchResult =
  | { kind: 'event'; tenantId: string; eventId: string; type: string; tasks: number }
  | { kind: 'job'; job: DispatchJob['job']; tenantId: string; tasks: number; more: boolean };

export function laneFor(subscription: Pick<DispatchSubscription, 'kind' | 'slowSince'>): Lane {
  if (subscription.kind === 'email') return 'email';
  return subscription.slowSince !== undefined ? 'slow' : 'fast';
}

function startTask(
  envelope: Envelope | undefined,
  facts: { tenantId: string; eventId: string; eventType: string; eventKey: string; correlationId: string },
  subscription: Pick<DispatchSubscription, 'id' | 'kind'>,
  start: NonNullable<DeliveryTask['start']>,
): DeliveryTask {
  const inline =
    envelope !== undefined && Buffer.byteLength(JSON.stringify(envelope)) <= INLINE_ENVELOPE_BYTES;
  return {
    v: 1,
    tenantId: facts.tenantId,
    subscriptionId: subscription.id,
    kind: subscription.kind,
    deliveryId: deliveryId(facts.tenantId, subscription.id, facts.eventId),
    eventId: facts.eventId,
    eventType: facts.eventType,
    eventKey: facts.eventKey,
    correlationId: facts.correlationId,
    attempt: 1,
    start,
    ...(inline ? { envelope } : {}),
  };
}

/** Handles one message of the dispatch queue: a stored event from the bus, or a job. */
export async function dispatchMessage(body: string, deps: DispatchDeps): Promise<DispatchResult> {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    throw new RejectedEvent('malformed', 'The message is not JSON');
  }
  if (isDispatchJob(message)) return runJob(checkJob(message), deps);
  return fanOut(message, deps);
}

async function fanOut(message: unknown, deps: DispatchDeps): Promise<DispatchResult> {
  const event = message as { source?: unknown; 'detail-type'?: unknown; detail?: unknown; time?: unknown };
  let envelope: Envelope;
  try {
    const parsed = parseBusEvent({
      source: String(event.source),
      'detail-type': String(event['detail-type']),
      detail: event.detail,
    });
    if (parsed.detailType !== 'event.stored') {
      throw new RejectedEvent(
        'unexpected-detail-type',
        `Dispatch takes event.stored, not ${parsed.detailType}`,
      );
    }
    // Processing could be impersonated on the bus; ingest's signature cannot.
    envelope = deps.verifier.verify(parsed.detail);
  } catch (error) {
    if (error instanceof BusDetailError || error instanceof SignatureError) {
      throw new RejectedEvent(error instanceof SignatureError ? error.reason : error.reason, error.message);
    }
    throw error;
  }

  const now = deps.now();
  // One spelling (with milliseconds) so stored events sort by time and replay ranges compare exactly.
  const busTime =
    typeof event.time === 'string' && EnvelopePattern.time.test(event.time)
      ? new Date(event.time).toISOString()
      : now.toISOString();
  const tenantId = envelope.tenantid;
  const eventKey = eventSortKey(busTime, envelope.id);
  // Kept whether or not anyone subscribes now: a subscription made later can replay it.
  const [, subscriptions] = await Promise.all([
    deps.events.put({
      tenantId,
      eventKey,
      envelope,
      expiresAt: Math.floor(now.getTime() / 1000) + deps.retentionDays * 86400,
    }),
    deps.subscriptions.all(tenantId),
  ]);
  // Paused subscriptions get tasks too: deliver puts them on hold, in one place, with the race
  // against a resume settled by a conditional write.
  const matching = subscriptions.filter(
    (s) => s.status !== 'disabled' && matchesAny(s.eventTypes, envelope.type),
  );
  const facts = {
    tenantId,
    eventId: envelope.id,
    eventType: envelope.type,
    eventKey,
    correlationId: envelope.correlationid,
  };
  await deps.queue.sendTasks(
    matching.map((subscription) => ({
      task: startTask(envelope, facts, subscription, { reason: 'dispatch', id: 'dispatch' }),
      lane: laneFor(subscription),
    })),
  );
  return { kind: 'event', tenantId, eventId: envelope.id, type: envelope.type, tasks: matching.length };
}

async function runJob(job: DispatchJob, deps: DispatchDeps): Promise<DispatchResult> {
  const subscription = await deps.subscriptions.get(job.tenantId, job.subscriptionId);
  if (!subscription || subscription.status === 'disabled') {
    return { kind: 'job', job: job.job, tenantId: job.tenantId, tasks: 0, more: false };
  }
  const lane = laneFor(subscription);
  let tasks: DeliveryTask[];
  let next: PageKey | undefined;
  if (job.job === 'replay') {
    const page = await deps.events.between(
      job.tenantId,
      { from: job.since, to: job.until },
      JOB_PAGE_SIZE,
      job.cursor,
    );
    next = page.next;
    tasks = page.items
      .filter((event) => matchesAny(subscription.eventTypes, event.envelope.type))
      .map((event) =>
        startTask(
          event.envelope,
          {
            tenantId: job.tenantId,
            eventId: event.envelope.id,
            eventType: event.envelope.type,
            eventKey: event.eventKey,
            correlationId: job.correlationId,
          },
          subscription,
          { reason: 'replay', id: job.id },
        ),
      );
  } else {
    const page = await deps.held.list(job.tenantId, job.subscriptionId, JOB_PAGE_SIZE, job.cursor);
    next = page.next;
    tasks = page.items.map((held) =>
      startTask(
        undefined,
        {
          tenantId: job.tenantId,
          eventId: held.eventId,
          eventType: held.eventType,
          eventKey: held.eventKey,
          correlationId: job.correlationId,
        },
        subscription,
        { reason: 'release', id: job.id },
      ),
    );
  }
  await deps.queue.sendTasks(tasks.map((task) => ({ task, lane })));
  if (next) await deps.queue.sendJob({ ...job, cursor: next });
  return { kind: 'job', job: job.job, tenantId: job.tenantId, tasks: tasks.length, more: next !== undefined };
}
