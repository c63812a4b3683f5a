/**
 * The lane rule, in one place. Delivery tasks travel on four queues: e-mail and AWS destinations
 * have their own (each its own function, bundling only its own clients), and a webhook receiver
 * that answers slowly has the slow lane, so it never holds the others up.
 */
import type { SubscriptionKind } from './subscription';

export type Lane = 'fast' | 'slow' | 'email' | 'aws';

export function laneFor(kind: SubscriptionKind, slow: boolean): Lane {
  if (kind === 'email') return 'email';
  if (kind === 'aws') return 'aws';
  return slow ? 'slow' : 'fast';
}

/** The lane of a subscription as it stands: slow while it carries the slow mark. */
export const laneOf = (subscription: { kind: SubscriptionKind; slowSince?: string }): Lane =>
  laneFor(subscription.kind, subscription.slowSince !== undefined);
