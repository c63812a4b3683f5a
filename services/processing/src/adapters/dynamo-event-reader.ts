import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventKey, StoredEvent } from '../events-table';
import type { EventReader, IndexPage, IndexQuery } from '../read-events';

/** Reads of the events table. Keys and bounds come from the logic; this only speaks DynamoDB. */
export class DynamoEventReader implements EventReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(key: EventKey): Promise<StoredEvent | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key }));
    return out.Item as StoredEvent | undefined;
  }

  async query(query: IndexQuery): Promise<IndexPage> {
    const values: Record<string, unknown> = { ':partition': query.partition, ':now': query.liveAfter };
    let range = '';
    if (query.from !== undefined && query.to !== undefined) {
      range = ' AND #sort BETWEEN :from AND :to';
      Object.assign(values, { ':from': query.from, ':to': query.to });
    } else if (query.from !== undefined) {
      range = ' AND #sort >= :from';
      values[':from'] = query.from;
    } else if (query.to !== undefined) {
      range = ' AND #sort < :to';
      values[':to'] = query.to;
    }
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: query.index.name,
        KeyConditionExpression: `#partition = :partition${range}`,
        FilterExpression: '#expiresAt > :now',
        ExpressionAttributeNames: {
          '#partition': query.index.partitionKey,
          // DynamoDB refuses a name the expressions do not use.
          ...(range === '' ? {} : { '#sort': query.index.sortKey }),
          '#expiresAt': 'expiresAt',
        },
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: query.limit,
        ExclusiveStartKey: query.startKey,
      }),
    );
    const items = (out.Items ?? []) as StoredEvent[];
    return out.LastEvaluatedKey ? { items, lastKey: out.LastEvaluatedKey } : { items };
  }
}
