/**
 * What delivering a task needs from outside: the deliveries table (claim, record, hold), the
 * subscriptions (read, and their health attributes), the stored events, the queues, the bus, a
 * channel that makes the attempt, and a counter of finished attempts. Channels and adapters
 * implement these; the pipeline only calls them.
 */
import type { BusCodec, BusDetails, DetailTypeName, Envelope } from '@herald/shared/contracts';
import type { EnvelopeVerifier } from '@herald/shared/signing';
import type { AttemptRecord, DeliveryRecord, DeliveryStatus } from '../model/delivery';
import type { DeliveryTask } from '../model/delivery-task';
import type { Lane } from '../model/lanes';
import type { SubscriptionRecord } from '../model/subscription';
import type { RateLimits } from '../model/rate-limit';
import type { SubjectOrderStore } from '../ordering/subject-order';
import type { EmailCapLimit, EmailDayCounter } from './email-cap';
import type { RetrySchedule } from './retry-schedule';

export interface Log {
  debug(message: string, ...extra: Array<Record<string, unknown>>): void;
  info(message: string, ...extra: Array<Record<string, unknown>>): void;
  warn(message: string, ...extra: Array<Record<string, unknown>>): void;
  error(message: string, ...extra: Array<Record<string, unknown>>): void;
}

export interface Claim {
  messageId: string;
  now: Date;
  leaseMs: number;
}

export interface RecordUpdate {
  status: DeliveryStatus;
  attemptCount: number;
  attempts: AttemptRecord[];
  updatedAt: string;
  lastAttemptAt?: string;
  nextAttemptAt?: string;
  reason?: string;
  /** Held by the daily e-mail cap until this time (the next UTC day); absent otherwise. */
  heldUntil?: string;
}

export interface DeliveryStore {
  /**
   * Takes the delivery for this task's attempt, creating it on a first delivery and starting a new
   * run for a task that starts one. The delivery after the claim, or undefined when the task may
   * not proceed (see claim.ts).
   */
  claim(task: DeliveryTask, claim: Claim): Promise<DeliveryRecord | undefined>;
  get(tenantId: string, deliveryId: string): Promise<DeliveryRecord | undefined>;
  /** Writes the outcome if `messageId` still holds the claim on this run; false if it lost it. */
  record(delivery: DeliveryRecord, update: RecordUpdate, messageId: string): Promise<boolean>;
  /**
   * A first delivery's claim and its first attempt's record as one conditional write (claim.ts:
   * a deferred claim): creates the delivery as `delivery` with `update` applied, held by `messageId`
   * without a lease, only if no delivery of that id exists yet; false if one does. A store without
   * it claims every first delivery before its attempt.
   */
  recordFirst?(delivery: DeliveryRecord, update: RecordUpdate, messageId: string): Promise<boolean>;
  /**
   * Puts the delivery on hold while its subscription is paused (or, `whileStatus: 'disabled'`, an
   * ordered delivery while it is disabled; `'tenant'`, while the subscription's tenant is suspended
   * or deleted), atomically with a check that it still is: `not-paused` if it changed meanwhile,
   * `lost` if the claim was lost.
   */
  hold(
    delivery: DeliveryRecord,
    messageId: string,
    now: Date,
    whileStatus?: HoldWhile,
  ): Promise<'held' | 'not-paused' | 'lost'>;
}

/** What a held delivery waits for: its subscription's resume, or its tenant's. */
export type HoldWhile = 'paused' | 'disabled' | 'tenant';

export interface SubscriptionHealthState {
  status: string;
  consecutiveFailures: number;
  failingSince?: string;
}

/** The subscription's health attributes, the only part of a subscription the delivery functions write. */
export interface HealthStore {
  /** Counts a failed attempt of an active subscription; its health after, or undefined if not active. */
  failed(
    tenantId: string,
    id: string,
    at: { now: Date; slow: boolean },
  ): Promise<SubscriptionHealthState | undefined>;
  /** After a success: no failures, and the slow mark set or cleared. */
  recovered(tenantId: string, id: string, at: { now: Date; slow: boolean }): Promise<void>;
  /** Sets the slow mark, if not set, while an attempt is still waiting for its answer. */
  markSlow(tenantId: string, id: string, now: Date): Promise<void>;
  /** Disables an active subscription; false if it was not active. */
  disable(
    tenantId: string,
    id: string,
    why: { reason: string; deliveryId: string; now: Date },
  ): Promise<boolean>;
}

/**
 * A subscription's delivery slots under its rate limit, shared by every deliver invocation: the
 * next free slot is an attribute of the subscription (one of those the delivery functions may write).
 */
export interface DeliverySlots {
  /**
   * Reserves the subscription's next free slot (epoch ms): `now` if the last reserved one has passed,
   * else the one after it; the next free slot is then `intervalMs` later. `busy` says which case the
   * caller expects (it read the subscription), so the usual case takes one write. Undefined when the
   * subscription no longer exists. With `count`, that many slots in a row at once (deliveries of one
   * subscription in the same batch): the first of them, the others each `intervalMs` after it.
   */
  reserve(
    tenantId: string,
    id: string,
    at: { now: number; intervalMs: number; busy?: boolean; count?: number },
  ): Promise<number | undefined>;
}

export interface TaskQueue {
  send(task: DeliveryTask, options: { lane: Lane; delaySeconds?: number }): Promise<void>;
}

export interface BusPublisher {
  /** Publishes one detail of the codec's type, refused (BusDetailError) if its consumers would refuse it. */
  publish<T extends DetailTypeName>(codec: BusCodec<T>, detail: BusDetails[T]): Promise<void>;
}

/** The result of one attempt, whatever the channel. */
export interface AttemptResult {
  durationMs: number;
  statusCode?: number;
  responseBody?: string;
  retryAfter?: string;
  /** No usable answer: why, and whether trying again could help (defaults by class). */
  error?: { class: string; message: string; retryable?: boolean };
}

export interface Channel {
  attempt(input: {
    delivery: DeliveryRecord;
    subscription: SubscriptionRecord;
    envelope: Envelope;
    correlationId: string;
    now: Date;
  }): Promise<AttemptResult>;
}

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** Sends one request, checking the target's addresses first; never follows a redirect. */
export interface WebhookSender {
  post(request: WebhookRequest): Promise<AttemptResult>;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** Extra headers (List-Unsubscribe); SES refuses ones it sets itself. */
  headers?: { name: string; value: string }[];
}

export interface EmailSender {
  send(message: EmailMessage): Promise<AttemptResult>;
}

/** Counts attempts whose recorded status is final: the delivery functions' metrics, which alarms read. */
export interface OutcomeCounter {
  /** `latencyMs`: from the delivery's creation to this attempt, for one that succeeded in its first run. */
  count(status: 'succeeded' | 'failed', latencyMs?: number): void;
  /** An envelope failed verification before a send: a security signal. */
  rejectedEnvelope?(): void;
}

export interface DeliverConfig {
  schedule: RetrySchedule;
  /** Lane this function polls: a fast-lane task of a slow subscription moves to the slow lane. */
  lane: Lane;
  leaseMs: number;
  /** An answer slower than this marks the subscription slow. */
  slowThresholdMs: number;
  /** Disable after failing this long without a success (0: never by time). */
  disableAfterMs: number;
  /** Disable after this many failed attempts in a row (0: never by count). */
  disableAfterFailures: number;
  /** Deliveries per second: the default of a subscription that sets none, and the most allowed. */
  rateLimits: RateLimits;
}

export interface DeliverDeps {
  store: DeliveryStore;
  subscriptions: { get(tenantId: string, id: string): Promise<SubscriptionRecord | undefined> };
  health: HealthStore;
  events: { load(tenantId: string, eventKey: string): Promise<Envelope | undefined> };
  verifier: EnvelopeVerifier;
  queue: TaskQueue;
  bus: BusPublisher;
  channel: Channel;
  outcomes: OutcomeCounter;
  slots: DeliverySlots;
  /**
   * The per-tenant daily e-mail cap (deliverEmail only): each mail counts on the tenant's day before
   * it is sent; one over `limit` is held until the next UTC day (delivery/email-cap.ts).
   */
  emailCap?: { counter: EmailDayCounter; limit: EmailCapLimit };
  /**
   * Heads and marks of subscriptions ordered by subject: an ordered delivery that ends lets the
   * next event of its subject go (ordering/subject-order.ts).
   */
  order?: SubjectOrderStore;
  config: DeliverConfig;
  now: () => Date;
  random?: () => number;
  /** Waits for a delivery slot a moment away (a timer unless a test moves its own clock). */
  sleep?: (ms: number) => Promise<void>;
  log: Log;
}

/** How a task ended, for the handler's log line. */
export type TaskOutcome =
  | 'succeeded'
  | 'retrying'
  | 'failed'
  | 'held'
  | 'cancelled'
  | 'forwarded'
  | 'waiting'
  | 'paced'
  | 'busy'
  | 'completed-earlier-attempt'
  | 'duplicate';
