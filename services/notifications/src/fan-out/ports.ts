/** What fan-out needs from outside: the stored events, the subscriptions, held deliveries, queues. */
import type { Envelope } from '@herald/shared/contracts';
import type { EnvelopeVerifier } from '@herald/shared/signing';
import type { DeliveryTask, DispatchJob } from '../model/delivery-task';
import type { Lane } from '../model/lanes';
import type { PageKey } from '../model/pages';
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
