/** A subscription's delivery history, newest first, each delivery with its attempts. */
import type { DeliveryRecord } from '../model/delivery';
import { DEFAULT_PAGE_SIZE, indexPageCursor, indexPageKeyOf, type PageQuery } from '../model/pages';
import { subscriptionIndexKey, tenantPartition } from '../model/table-keys';
import { NotFound } from '../problems';
import type { Delivery, DeliveryPage } from '../schemas/responses.types.generated';
import type { DeliveryHistory, SubscriptionLookup } from './ports';

/** A delivery as the history API shows it: never its claim or keys. */
export function toDeliveryView(record: DeliveryRecord): Delivery {
  return {
    id: record.id,
    subscriptionId: record.subscriptionId,
    eventId: record.eventId,
    eventType: record.eventType,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    attempts: record.attempts ?? [],
    ...(record.status === 'pending' && record.nextAttemptAt ? { nextAttemptAt: record.nextAttemptAt } : {}),
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.status === 'held' && record.heldUntil ? { heldUntil: record.heldUntil } : {}),
  };
}

export async function listDeliveries(
  tenantId: string,
  subscriptionId: string,
  query: PageQuery,
  deps: { history: DeliveryHistory; subscriptions: SubscriptionLookup },
): Promise<DeliveryPage> {
  const after =
    query.cursor === undefined
      ? undefined
      : indexPageKeyOf(
          query.cursor,
          subscriptionIndexKey(tenantId, subscriptionId),
          tenantPartition(tenantId),
        );
  const [subscription, page] = await Promise.all([
    deps.subscriptions.get(tenantId, subscriptionId),
    deps.history.listBySubscription(tenantId, subscriptionId, query.limit ?? DEFAULT_PAGE_SIZE, after),
  ]);
  if (!subscription) throw new NotFound('subscription');
  const items = page.items.map(toDeliveryView);
  return page.next ? { items, nextCursor: indexPageCursor(page.next) } : { items };
}
