import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deleteItems, queryPartitionPage } from '@herald/shared/tenant-data/aws';
import type { TenantTables } from '../tenant-data/steps';
import { tenantPartition } from '../model/table-keys';

type Item = Record<string, unknown>;

/** The two tables' tenant partitions, as the export and erasure steps read and delete them. */
export class DynamoTenantTables implements TenantTables {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { subscriptions: string; deliveries: string },
    private readonly pageSize = 100,
  ) {}

  page(
    table: 'subscriptions' | 'deliveries',
    tenantId: string,
    sortKeyPrefix: string | undefined,
    attributes: readonly string[] | undefined,
    cursor: string | undefined,
  ) {
    return queryPartitionPage(
      {
        db: this.db,
        table: this.tables[table],
        partition: tenantPartition,
        pageSize: this.pageSize,
        ...(sortKeyPrefix === undefined ? {} : { sortKeyPrefix }),
        ...(attributes === undefined ? {} : { attributes }),
      },
      { tenantId } as Parameters<typeof queryPartitionPage>[1],
      cursor,
    );
  }

  async envelopes(tenantId: string, sortKeys: readonly string[]): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    for (let i = 0; i < sortKeys.length; i += 100) {
      let keys: Item[] = sortKeys.slice(i, i + 100).map((sk) => ({ pk: tenantPartition(tenantId), sk }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > 8) throw new Error('Kept envelopes left unread after 8 attempts');
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        const out = await this.db.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tables.deliveries]: {
                Keys: keys,
                ProjectionExpression: '#sk, #envelope',
                ExpressionAttributeNames: { '#sk': 'sk', '#envelope': 'envelope' },
              },
            },
          }),
        );
        for (const item of out.Responses?.[this.tables.deliveries] ?? []) found.set(item.sk as string, item);
        keys = (out.UnprocessedKeys?.[this.tables.deliveries]?.Keys ?? []) as Item[];
      }
    }
    return found;
  }

  delete(table: 'subscriptions' | 'deliveries', items: readonly Item[]): Promise<number> {
    return deleteItems(this.db, this.tables[table], items);
  }
}
