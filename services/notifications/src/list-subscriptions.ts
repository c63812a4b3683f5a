/** GET /v1/subscriptions as plain logic: one page of the caller's subscriptions. */
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, type PageKey } from './pagination';
import { tenantPartition, type SubscriptionView } from './subscriptions-table';

export interface SubscriptionPage {
  items: SubscriptionView[];
  next?: PageKey;
}

export interface SubscriptionStore {
  listByPartition(partition: string, limit: number, after?: PageKey): Promise<SubscriptionPage>;
}

export interface ListQuery {
  limit?: number;
  cursor?: string;
}

export interface ListResult {
  items: SubscriptionView[];
  nextCursor?: string;
}

export async function listSubscriptions(
  tenantId: string,
  query: ListQuery,
  store: SubscriptionStore,
): Promise<ListResult> {
  const partition = tenantPartition(tenantId);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, partition);
  const page = await store.listByPartition(partition, query.limit ?? DEFAULT_PAGE_SIZE, after);
  return page.next ? { items: page.items, nextCursor: encodeCursor(page.next) } : { items: page.items };
}
