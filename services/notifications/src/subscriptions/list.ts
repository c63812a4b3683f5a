/** GET /v1/subscriptions as plain logic: one page of the caller's subscriptions. */
import { DEFAULT_PAGE_SIZE, pageCursor, pageKeyOf, type PageQuery } from '../model/pages';
import { subscriptionSortKey, tenantPartition } from '../model/table-keys';
import type { SubscriptionPage } from '../schemas/responses.types.generated';
import type { SubscriptionStore } from './ports';

export async function listSubscriptions(
  tenantId: string,
  query: PageQuery,
  store: SubscriptionStore,
): Promise<SubscriptionPage> {
  const partition = tenantPartition(tenantId);
  const after =
    query.cursor === undefined ? undefined : pageKeyOf(query.cursor, partition, subscriptionSortKey(''));
  const page = await store.listByPartition(partition, query.limit ?? DEFAULT_PAGE_SIZE, after);
  return page.next ? { items: page.items, nextCursor: pageCursor(page.next) } : { items: page.items };
}
