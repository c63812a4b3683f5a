/**
 * Key design of the subscriptions table: every key starts with the tenant, so what a token's tenant
 * can query is that tenant's items and nothing else.
 *
 *   pk = TENANT#<tenant>   sk = SUB#<subscription id>
 */
export const tenantPartition = (tenantId: string): string => `TENANT#${tenantId}`;
export const subscriptionSortKey = (subscriptionId: string): string => `SUB#${subscriptionId}`;

/** A subscription as the API shows it: never its signing secret. */
export interface SubscriptionView {
  id: string;
  kind: 'webhook' | 'email';
  url?: string;
  email?: string;
  eventTypes: string[];
  description?: string;
  status: 'active' | 'paused' | 'disabled';
  createdAt: string;
  updatedAt: string;
}
