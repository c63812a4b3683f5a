/**
 * An event's deliveries: one per subscription of the tenant that it reached, with its attempts. A
 * delivery's id is derived from (tenant, subscription, event), so they are read by key, the ids of
 * every subscription of the tenant at once (BatchGetItem, 100 a request): a page view costs one
 * query of the subscriptions and ceil(subscriptions / 100) batch reads, whatever the traffic, and no
 * index. What it cannot list: the deliveries of a subscription since deleted (its id is gone with
 * it, though its deliveries stay until they expire). An event id the tenant never sent (or another
 * tenant's) is an empty list: stored events are kept by time, not id, so telling "never stored"
 * from "reached no subscription" would cost a read of the whole retention.
 */
import type { DeliveryRecord } from '../model/delivery';
import { deliveryId } from '../model/table-keys';
import type { EventDeliveries } from '../schemas/responses.types.generated';
import { toDeliveryView } from './deliveries-list';

export interface EventDeliveriesDeps {
  subscriptions: { all(tenantId: string): Promise<Array<{ id: string }>> };
  history: { getMany(tenantId: string, deliveryIds: readonly string[]): Promise<DeliveryRecord[]> };
}

export async function eventDeliveries(
  tenantId: string,
  eventId: string,
  deps: EventDeliveriesDeps,
): Promise<EventDeliveries> {
  const subscriptions = await deps.subscriptions.all(tenantId);
  const ids = subscriptions.map((subscription) => deliveryId(tenantId, subscription.id, eventId));
  const found = ids.length === 0 ? [] : await deps.history.getMany(tenantId, ids);
  // Newest first, as a subscription's history is listed; ties by id, so the order is stable.
  const items = found
    .filter((record) => record.eventId === eventId)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id))
    .map(toDeliveryView);
  return { eventId, items };
}
