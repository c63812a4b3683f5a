import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PageKey } from '../model/pages';
import { RETRYING_STATS_SORT_KEY, tenantPartition } from '../model/table-keys';
import type { CounterUpdate } from '../stats/aggregate';
import type { CounterItem, StatsStore } from '../stats/ports';
import { queryPage } from './dynamo-support';

/**
 * The overview's counter items in the deliveries table (keys: model/table-keys.ts). One update
 * adds to every counter the batch touched on the item and sets its times, creating it if needed:
 * ADD on a counter that does not exist starts it at zero.
 */
export class DynamoStatsStore implements StatsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async apply(update: CounterUpdate): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const adds: string[] = [];
    const sets: string[] = [];
    Object.entries(update.add)
      .filter(([, n]) => n !== 0)
      .forEach(([name, n], i) => {
        names[`#a${i}`] = name;
        values[`:a${i}`] = n;
        adds.push(`#a${i} :a${i}`);
      });
    Object.entries(update.latest).forEach(([name, time], i) => {
      names[`#t${i}`] = name;
      values[`:t${i}`] = time;
      sets.push(`#t${i} = :t${i}`);
    });
    if (update.expiresAt !== undefined) {
      values[':expires'] = update.expiresAt;
      sets.push('expiresAt = :expires');
    }
    if (adds.length === 0 && sets.length === 0) return;
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: tenantPartition(update.tenantId), sk: update.sortKey },
        UpdateExpression: [
          ...(adds.length > 0 ? [`ADD ${adds.join(', ')}`] : []),
          ...(sets.length > 0 ? [`SET ${sets.join(', ')}`] : []),
        ].join(' '),
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
      }),
    );
  }

  async between(tenantId: string, from: string, to: string): Promise<CounterItem[]> {
    const items: CounterItem[] = [];
    let after: PageKey | undefined;
    do {
      const page = await queryPage<PageKey>(this.db, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':from': from, ':to': to },
        ExclusiveStartKey: after,
      });
      items.push(...(page.items as CounterItem[]));
      after = page.next;
    } while (after);
    return items;
  }

  async retrying(tenantId: string): Promise<CounterItem | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: tenantPartition(tenantId), sk: RETRYING_STATS_SORT_KEY },
      }),
    );
    return out.Item as CounterItem | undefined;
  }
}
