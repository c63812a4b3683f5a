import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EXTERNAL_ID_SORT_KEY, tenantPartition } from '../model/table-keys';
import type { ExternalIdStore } from '../subscriptions/destination-external-id';
import { isConditionFailure } from './dynamo-support';

/** A tenant's ExternalId, an item of the subscriptions table written once (a conditional put). */
export class DynamoExternalIds implements ExternalIdStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string): Promise<string | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: tenantPartition(tenantId), sk: EXTERNAL_ID_SORT_KEY },
        // The only attribute the route's role may read (dynamodb:Attributes).
        ProjectionExpression: 'externalId',
        ConsistentRead: true,
      }),
    );
    return typeof out.Item?.externalId === 'string' ? out.Item.externalId : undefined;
  }

  async putIfAbsent(tenantId: string, externalId: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: tenantPartition(tenantId),
            sk: EXTERNAL_ID_SORT_KEY,
            externalId,
            createdAt: new Date().toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
