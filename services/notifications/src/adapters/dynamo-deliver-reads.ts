/**
 * What the tasks of a deliver batch read before their attempts, all in one consistent
 * BatchGetItem across the two tables: each task's subscription (its status, URL, secrets, rate and
 * slot) and its delivery (a first delivery not yet there defers its claim: delivery/claim.ts).
 * Gathered by adapters/coalesced-ports.ts.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeliveryRecord } from '../model/delivery';
import type { SubscriptionRecord } from '../model/subscription';
import { deliverySortKey, subscriptionSortKey, tenantPartition } from '../model/table-keys';
import { deliveryFromItem } from './dynamo-delivery-store';
import { subscriptionFromItem } from './dynamo-subscription-store';

export type ReadKey = { kind: 'subscription' | 'delivery'; tenantId: string; id: string };
export type ReadValue = SubscriptionRecord | DeliveryRecord | undefined;

/** The most keys one BatchGetItem takes, whatever the tables. */
const BATCH_GET_LIMIT = 100;
/** Rounds of asking again for keys DynamoDB left unprocessed (it does under load) before failing. */
const MAX_ROUNDS = 8;

export class DynamoDeliverReads {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { subscriptions: string; deliveries: string },
  ) {}

  /** Each key's subscription or delivery, or undefined where there is none, in order. */
  async getAll(keys: readonly ReadKey[]): Promise<ReadValue[]> {
    const where = (key: ReadKey) => ({
      table: key.kind === 'subscription' ? this.tables.subscriptions : this.tables.deliveries,
      key: {
        pk: tenantPartition(key.tenantId),
        sk: key.kind === 'subscription' ? subscriptionSortKey(key.id) : deliverySortKey(key.id),
      },
    });
    const name = (table: string, pk: unknown, sk: unknown) => `${table}\n${String(pk)}\n${String(sk)}`;
    // BatchGetItem refuses a key asked for twice.
    const unique = [
      ...new Map(
        keys.map(where).map((entry) => [name(entry.table, entry.key.pk, entry.key.sk), entry]),
      ).values(),
    ];
    const found = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
      let pending: Record<string, { Keys: Array<Record<string, unknown>>; ConsistentRead: true }> = {};
      for (const { table, key } of unique.slice(i, i + BATCH_GET_LIMIT))
        (pending[table] ??= { Keys: [], ConsistentRead: true }).Keys.push(key);
      for (let round = 0; Object.keys(pending).length > 0; round++) {
        if (round > MAX_ROUNDS) throw new Error('BatchGetItem left keys unread');
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));
        const out = await this.db.send(new BatchGetCommand({ RequestItems: pending }));
        for (const [table, items] of Object.entries(out.Responses ?? {}))
          for (const item of items) found.set(name(table, item.pk, item.sk), item);
        pending = {};
        for (const [table, left] of Object.entries(out.UnprocessedKeys ?? {}))
          if (left.Keys?.length) pending[table] = { Keys: left.Keys, ConsistentRead: true };
      }
    }
    return keys.map((key) => {
      const { table, key: itemKey } = where(key);
      const item = found.get(name(table, itemKey.pk, itemKey.sk));
      if (!item) return undefined;
      return key.kind === 'subscription' ? subscriptionFromItem(item) : deliveryFromItem(item);
    });
  }
}
