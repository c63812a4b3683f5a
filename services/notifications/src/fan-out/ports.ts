/** What fan-out needs from outside: the stored events, the subscriptions, held deliveries, queues. */
import type { Envelope } from '@herald/shared/contracts';
import type { EnvelopeVerifier } from '@herald/shared/signing';
import type { DeliveryTask, DispatchJob } from '../model/delivery-task';
import type { Lane } from '../model/lanes';
import type { PageKey } from '../model/pages';
import type { RunningReplay } from '../model/replays';
import type { SubjectOrderStore } from '../ordering/subject-order';
import type { SubscriptionKind, SubscriptionStatus } from '../model/subscription';

export interface StoredEvent {
  tenantId: string;
  eventKey: string;
  envelope: Envelope;
  /** Epoch seconds: DynamoDB's TTL removes the event after the retention period. */
  expiresAt: number;
}

export interface EventLog {
  put(event: StoredEvent): Promise<void>;
  /**
   * Keeps many events at once, each as put keeps it (the same event twice is one); per event, in
   * the order given, undefined when kept or the error that kept it from being kept.
   */
  putAll(events: readonly StoredEvent[]): Promise<Array<Error | undefined>>;
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
  /** The content filter's JSON text (see content-filter.ts), when it has one. */
  filterJson?: string;
  status: SubscriptionStatus;
  slowSince?: string;
  /** Per-subject ordering (ordering/subject-order.ts), and when it was turned on (its lines' start). */
  ordering?: 'subject';
  orderedSince?: string;
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

/** A replay job's hold on its subscription's running-replay record (see model/replays). */
export interface ReplayLeases {
  /**
   * Extends replay `replay.id`'s lease to `replay.leaseUntil`, or records it if the subscription has
   * no replay recorded; false when another replay holds the record (this one was superseded).
   */
  renew(tenantId: string, replay: RunningReplay): Promise<boolean>;
  /** The replay is over: frees the record if replay `id` still holds it. */
  finish(tenantId: string, subscriptionId: string, id: string): Promise<void>;
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
  replays: ReplayLeases;
  /** Heads and marks of subscriptions ordered by subject (ordering/subject-order.ts). */
  order?: SubjectOrderStore;
  retentionDays: number;
  now: () => Date;
}
