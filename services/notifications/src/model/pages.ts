/**
 * Pages of a listing. A cursor is the table key to continue after, made opaque by the shared cursor
 * codec; it is only honoured when it lies inside the caller's own partition, so a cursor made for
 * one tenant (or made up) can never start a query in another tenant's items.
 */
import { decodeCursor, encodeCursor, InvalidCursor } from '@herald/shared/cursor';
import type { ListDeliveriesQuery } from '../schemas/list-deliveries.types.generated';
import type { ListSubscriptionsQuery } from '../schemas/list-subscriptions.types.generated';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

export interface PageKey {
  pk: string;
  sk: string;
}

/** The key to continue after in a query of an index: the index key and the table key. */
export interface IndexPageKey extends PageKey {
  gsi1pk: string;
  gsi1sk: string;
}

/**
 * What a listing's query string asks for, as the logic takes it. Narrower than the schemas'
 * generated query types on purpose: there `limit` is text (a query string is text; the schema admits
 * 1 to 100 in digits), here a number.
 */
export interface PageQuery {
  limit?: number;
  cursor?: string;
}

export function pageQuery(parameters: ListSubscriptionsQuery | ListDeliveriesQuery | undefined): PageQuery {
  const { limit, cursor } = parameters ?? {};
  return { ...(limit ? { limit: Number(limit) } : {}), ...(cursor ? { cursor } : {}) };
}

export const pageCursor = (key: PageKey): string => encodeCursor([key.pk, key.sk]);

/**
 * The key a cursor continues after, if it lies in `partition` among the sort keys the listing reads
 * (those starting `sortKeyPrefix`: DynamoDB refuses a start key outside the key condition);
 * InvalidCursor otherwise.
 */
export function pageKeyOf(cursor: string, partition: string, sortKeyPrefix: string): PageKey {
  const [pk, sk] = decodeCursor(cursor, 2) as [string, string];
  if (pk !== partition || !sk.startsWith(sortKeyPrefix)) throw new InvalidCursor();
  return { pk, sk };
}

export const indexPageCursor = (key: IndexPageKey): string =>
  encodeCursor([key.gsi1pk, key.gsi1sk, key.pk, key.sk]);

/** Like pageKeyOf, for an index partition: honoured only inside `indexPartition` and `partition`. */
export function indexPageKeyOf(cursor: string, indexPartition: string, partition: string): IndexPageKey {
  const [gsi1pk, gsi1sk, pk, sk] = decodeCursor(cursor, 4) as [string, string, string, string];
  if (gsi1pk !== indexPartition || pk !== partition) throw new InvalidCursor();
  return { gsi1pk, gsi1sk, pk, sk };
}
