/**
 * The daily e-mail cap's counter: one item per tenant per UTC day in the deliveries table
 * (pk TENANT#<t>, sk EMAILDAY#<day>), counted up by one conditional update per mail, so every
 * deliverEmail invocation at once shares it and none counts past the limit. The item expires
 * (the table's TTL) two days after its day.
 *
 * The deliveries table rather than the subscriptions table (where the usage item is): deliverEmail
 * may already write any item of it, and the subscriptions table has no TTL, whose attribute a
 * role able to write counters there could set on a subscription to have it deleted.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EmailDayCounter } from '../delivery/email-cap';
import { emailDaySortKey, tenantPartition } from '../model/table-keys';
import { isConditionFailure } from './dynamo-support';

/** Seconds a day's counter is kept after the day starts: its day, then two more. */
const KEEP_SECONDS = 3 * 86_400;

export class DynamoEmailDayCounter implements EmailDayCounter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async tryCount(tenantId: string, day: string, limit: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: tenantPartition(tenantId), sk: emailDaySortKey(day) },
          UpdateExpression: 'SET emailCount = if_not_exists(emailCount, :zero) + :one, expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(emailCount) OR emailCount < :limit',
          ExpressionAttributeValues: {
            ':zero': 0,
            ':one': 1,
            ':limit': limit,
            ':expires': Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + KEEP_SECONDS,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
