import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { IdempotencyRecord, IdempotencyStore } from '../idempotency';

/**
 * The idempotency table: one item per (tenant, key), its partition key starting with the tenant so
 * a request can only ever meet its own tenant's keys. DynamoDB's TTL deletes items some time after
 * `expiresAt`; until it does, the condition below treats them as gone.
 */
export const idempotencyKey = (tenantId: string, key: string) => ({ pk: `TENANT#${tenantId}#KEY#${key}` });

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One write: a refused claim returns the record that refused it, read in the same atomic step. */
  async claim(record: IdempotencyRecord, now: Date): Promise<IdempotencyRecord | undefined> {
    const Key = idempotencyKey(record.tenantId, record.key);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...Key, ...record },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The condition fails only on a live item, so it is there; the document client hands it back
      // still marshalled.
      if (error.Item === undefined)
        throw new Error('A refused idempotency claim returned no record', { cause: error });
      const { pk: _pk, ...existing } = unmarshall(error.Item);
      return existing as IdempotencyRecord;
    }
  }
}
