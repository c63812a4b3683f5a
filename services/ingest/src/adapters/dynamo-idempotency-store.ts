import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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

  async claim(record: IdempotencyRecord, now: Date): Promise<IdempotencyRecord | undefined> {
    const Key = idempotencyKey(record.tenantId, record.key);
    // A second round only if the item expired and was deleted between the refused write and the read.
    for (let round = 0; round < 2; round++) {
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...Key, ...record },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
          }),
        );
        return undefined;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      // Only retries get here. (ReturnValuesOnConditionCheckFailure would save this read, but the
      // document client hands back the item it returns still marshalled.)
      const out = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }),
      );
      if (out.Item) {
        const { pk: _pk, ...existing } = out.Item;
        return existing as IdempotencyRecord;
      }
    }
    throw new Error('Idempotency record could neither be written nor read');
  }

  async complete(tenantId: string, key: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: idempotencyKey(tenantId, key),
        UpdateExpression: 'SET #status = :completed',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':completed': 'completed' },
      }),
    );
  }
}
