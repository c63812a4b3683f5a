/**
 * The security log line of each change to a subscription: what was done, to which subscription, by
 * whom (the token's subject). Never a secret, and never where the subscription points.
 */
export type SubscriptionAction = 'created' | 'updated' | 'deleted' | 'paused' | 'resumed' | 'secret-rotated';

export function securityEvent(
  action: SubscriptionAction,
  subscriptionId: string,
  subject: string,
  details: Record<string, unknown> = {},
): Record<string, unknown> {
  return { securityEvent: `subscription.${action}`, subscriptionId, ...details, subject };
}
