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
  /**
   * A `v1a` subscription's secret is an Ed25519 seed, with its public key (`whpk_…`) here
   * (subscriptions/signing-keys).
   */
  publicKey?: string;
}

/** A `v1a` subscription's public key, as stored beside its secrets and shown (never a secret). */
export interface StoredPublicKey {
  key: string;
  createdAt: string;
  expiresAt?: string;
}

/** A custom header as stored: a plain value, or a secret one's KMS ciphertext (subscriptions/custom-headers). */
export type StoredHeader = { value: string } | { ciphertext: string };

/** The stored item: the view, the health attributes and the encrypted secrets. */
export interface SubscriptionRecord extends Omit<SubscriptionView, 'filter' | 'headers'>, SubscriptionHealth {
  tenantId: string;
  secrets?: StoredSecret[];
  /** Custom headers by lower-case name, secret values encrypted; the view's `headers`. */
  headers?: Record<string, StoredHeader>;
  /** The content filter as its JSON text (fan-out/content-filter.ts says why text); the view's `filter`. */
  filterJson?: string;
  /**
   * When `ordering: subject` was last turned on: the subject lines' heads and marks are under it
   * (ordering/subject-order.ts), so turning it on again starts afresh.
   */
  orderedSince?: string;
  /**
   * The tenant's status as the tenants service last said it (tenant-state/apply.ts): `suspended`
   * or `deleted` holds the subscription's deliveries as a pause does; never shown in the view.
   */
  tenantStatus?: 'active' | 'suspended' | 'deleted';
  /** The time of the tenant status change stamped: an older one arriving later is ignored. */
  tenantStatusAt?: string;
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
  'destination',
  'eventTypes',
  'description',
  'rateLimit',
  'timeoutSeconds',
  'ordering',
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
  'signatureScheme',
  'publicKeys',
] as const;

/** The stored attributes a view is made of: the view's, and the filter's text. */
export const VIEW_SOURCE_ATTRIBUTES = [...VIEW_ATTRIBUTES, 'filterJson', 'headers'] as const;

/** What a view is made of: a stored record, or the attributes VIEW_SOURCE_ATTRIBUTES read of one. */
export type ViewSource = Omit<SubscriptionView, 'filter' | 'headers'> & {
  filterJson?: string;
  headers?: Record<string, StoredHeader>;
};

/** Custom headers as the API shows them: plain values, and `{ secret: true }` for the secret ones. */
export function headersView(
  stored: Readonly<Record<string, StoredHeader>>,
): Record<string, string | { secret: true }> {
  return Object.fromEntries(
    Object.entries(stored).map(([name, header]) => [
      name,
      'value' in header ? header.value : { secret: true as const },
    ]),
  );
}

export function toView(record: ViewSource): SubscriptionView {
  const view: Record<string, unknown> = {};
  for (const name of VIEW_ATTRIBUTES) {
    const value = (record as unknown as Record<string, unknown>)[name];
    if (value !== undefined) view[name] = value;
  }
  // Parsed here, not through fan-out/content-filter: a view needs no pattern engine in its bundle.
  // A secret header's ciphertext never leaves: it is shown as { secret: true }.
  if (record.headers !== undefined && Object.keys(record.headers).length > 0)
    view.headers = headersView(record.headers);
  if (record.filterJson !== undefined) view.filter = JSON.parse(record.filterJson) as Record<string, unknown>;
  return view as unknown as SubscriptionView;
}
