/** A subscription as stored, as the API shows it, and the part the delivery functions may write. */
import type { Subscription } from '../schemas/responses.types.generated';

export type SubscriptionKind = Subscription['kind'];
/**
 * `pending`: an e-mail address not confirmed yet (nothing is sent to it); `unsubscribed`: the address
 * used its unsubscribe link (nothing is sent any more). Webhooks are never either.
 */
export type SubscriptionStatus = Subscription['status'];

/** A subscription as the API shows it (responses.schema.json): never its signing secret. */
export type SubscriptionView = Subscription;

/**
 * Delivery health, the only attributes the delivery functions may write (their IAM policy names
 * them): they can disable a failing subscription but never change where it points or its secrets.
 */
export interface SubscriptionHealth {
  consecutiveFailures?: number;
  failingSince?: string;
  /** Set while the receiver answers slowly: its deliveries go to the slow lane. */
  slowSince?: string;
  disabledAt?: string;
  disabledReason?: string;
  /** The delivery whose failure disabled it, so a retried disable can publish its event again. */
  disabledByDelivery?: string;
  /** The next free delivery slot under the rate limit (epoch ms; see delivery/pace). */
  rateSlotAt?: number;
}

/** A webhook signing secret as stored (see subscriptions/signing-secrets). */
export interface StoredSecret {
  /** KMS ciphertext, base64. */
  ciphertext: string;
  createdAt: string;
  /** Set once a newer secret replaced it: it stops signing at this time. */
  expiresAt?: string;
}

/** The stored item: the view, the health attributes and the encrypted secrets. */
export interface SubscriptionRecord extends SubscriptionView, SubscriptionHealth {
  tenantId: string;
  secrets?: StoredSecret[];
}

export const HEALTH_ATTRIBUTES = [
  'status',
  'updatedAt',
  'consecutiveFailures',
  'failingSince',
  'slowSince',
  'disabledAt',
  'disabledReason',
  'disabledByDelivery',
  'rateSlotAt',
] as const;

export const VIEW_ATTRIBUTES = [
  'id',
  'kind',
  'url',
  'email',
  'eventTypes',
  'description',
  'rateLimit',
  'status',
  'createdAt',
  'updatedAt',
  'disabledReason',
  'disabledAt',
  'consecutiveFailures',
  'failingSince',
  'confirmationSentAt',
  'confirmedAt',
  'unsubscribedAt',
] as const;

export function toView(record: SubscriptionView): SubscriptionView {
  const view: Record<string, unknown> = {};
  for (const name of VIEW_ATTRIBUTES) {
    const value = (record as unknown as Record<string, unknown>)[name];
    if (value !== undefined) view[name] = value;
  }
  return view as unknown as SubscriptionView;
}
