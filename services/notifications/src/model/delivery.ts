/** A delivery as stored: one event to one subscription, with its attempts. */
import type { Attempt, Delivery } from '../schemas/responses.types.generated';
import type { StartReason } from './delivery-task';
import type { SubscriptionKind } from './subscription';

export type DeliveryStatus = Delivery['status'];

/** One attempt: what was sent when, and what came back; kept as the API shows it (responses.schema.json). */
export type AttemptRecord = Attempt;

export interface DeliveryRecord {
  id: string;
  tenantId: string;
  subscriptionId: string;
  kind: SubscriptionKind;
  eventId: string;
  eventType: string;
  eventKey: string;
  createdAt: string;
  updatedAt: string;
  status: DeliveryStatus;
  /** Each redelivery, replay or release starts a new run; attempts number from 1 within a run. */
  run: number;
  attemptCount: number;
  startReason?: StartReason;
  startId?: string;
  /** The SQS message currently (or last) working on the delivery, and until when it holds it. */
  claimMessageId?: string;
  claimUntil?: number;
  attempts: AttemptRecord[];
  lastAttemptAt?: string;
  nextAttemptAt?: string;
  /** Why it failed or was cancelled, or `daily-email-cap` while held by the tenant's daily e-mail cap. */
  reason?: string;
  /** Held by the daily e-mail cap: it is sent after this time (the next UTC day). */
  heldUntil?: string;
  /** Its event's place in its subject's order (DeliveryTask.order): its end lets the next one go. */
  order?: { line: string; sequence: number };
}

/** Attempts kept per delivery, newest last: enough for several runs of the whole schedule. */
export const MAX_ATTEMPTS_KEPT = 50;
export const RESPONSE_BODY_LIMIT = 1024;

/** Reasons and error details are kept short: enough to act on, never a whole answer. */
export const REASON_LIMIT = 500;

export const clipReason = (text: string): string =>
  text.length > REASON_LIMIT ? `${text.slice(0, REASON_LIMIT - 1)}…` : text;
