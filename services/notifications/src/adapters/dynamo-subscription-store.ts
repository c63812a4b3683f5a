import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SubscriptionPage, SubscriptionStore } from '../list-subscriptions';
import type { PageKey } from '../pagination';
import type { SubscriptionView } from '../subscriptions-table';

/** Attributes a listing returns: the stored secret is never even read. */
const VIEW_ATTRIBUTES = [
  'id',
  'kind',
  'url',
  'email',
  'eventTypes',
  'description',
  'status',
  'createdAt',
  'updatedAt',
];

export class DynamoSubscriptionStore implements SubscriptionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listByPartition(partition: string, limit: number, after?: PageKey): Promise<SubscriptionPage> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sub)',
        ExpressionAttributeValues: { ':pk': partition, ':sub': 'SUB#' },
        ProjectionExpression: VIEW_ATTRIBUTES.map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(VIEW_ATTRIBUTES.map((name, i) => [`#a${i}`, name])),
        Limit: limit,
        ExclusiveStartKey: after,
      }),
    );
    const next = out.LastEvaluatedKey as PageKey | undefined;
    return { items: (out.Items ?? []) as SubscriptionView[], ...(next ? { next } : {}) };
  }
}
