/**
 * Herald's operational events: events of a tenant that Herald itself raises about the tenant's
 * subscriptions and uploads, signed and stored like any other and delivered to the subscriptions
 * that name them. Their types are under a reserved prefix, which ingest refuses from producers, so
 * a tenant's subscriber can trust that an event of such a type came from Herald.
 */

/** The reserved prefix: no producer's event, and no catalog entry, may have a type under it. */
export const OPERATIONAL_TYPE_PREFIX = 'herald.';

/** Every operational event type. A subscription may name only these under the prefix. */
export const OperationalEventType = {
  deliveryFailed: 'herald.delivery.failed',
  subscriptionDisabled: 'herald.subscription.disabled',
  subscriptionRecovered: 'herald.subscription.recovered',
  uploadCompleted: 'herald.upload.completed',
} as const;
export type OperationalEventTypeName = (typeof OperationalEventType)[keyof typeof OperationalEventType];

export const OPERATIONAL_EVENT_TYPES: readonly OperationalEventTypeName[] = [
  'herald.delivery.failed',
  'herald.subscription.disabled',
  'herald.subscription.recovered',
  'herald.upload.completed',
];

/** True for a type under the reserved prefix, known or not. */
export const isReservedType = (type: string): boolean => type.startsWith(OPERATIONAL_TYPE_PREFIX);

export const isOperationalEventType = (type: string): type is OperationalEventTypeName =>
  (OPERATIONAL_EVENT_TYPES as readonly string[]).includes(type);
