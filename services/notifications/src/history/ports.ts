/** What delivery history and re-sending read: the deliveries and the subscription they belong to. */
import type { DeliveryRecord } from '../model/delivery';
import type { IndexPageKey } from '../model/pages';
import type { SubscriptionKind, SubscriptionStatus } from '../model/subscription';

export interface DeliveryHistory {
  /** Newest first. */
  listBySubscription(
    tenantId: string,
    subscriptionId: string,
    limit: number,
    after?: IndexPageKey,
  ): Promise<{ items: DeliveryRecord[]; next?: IndexPageKey }>;
  get(tenantId: string, deliveryId: string): Promise<DeliveryRecord | undefined>;
}

export interface LookedUpSubscription {
  id: string;
  kind: SubscriptionKind;
  status: SubscriptionStatus;
  slowSince?: string;
}

export interface SubscriptionLookup {
  get(tenantId: string, id: string): Promise<LookedUpSubscription | undefined>;
}
