import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RateLimitStore, TakeResult, WindowCounts } from '../limits';

/**
 * The limits table: one item per tenant and rate window (`RATE#<tenant>#<window>`) and per tenant
 * and daily counter (`QUOTA#<tenant>#<counter>`), each deleted by TTL once over. The two prefixes
 * let a role be granted one kind alone (IAM `dynamodb:LeadingKeys`): acceptEvents may only touch
 * rate windows.
 */
export const rateWindowKey = (tenantId: string, window: number) => ({ pk: `RATE#${tenantId}#${window}` });
export const quotaCounterKey = (tenantId: string, counter: string) => ({
  pk: `QUOTA#${tenantId}#${counter}`,
});

/**
 * A number attribute of the item a refused write returns (ReturnValuesOnConditionCheckFailure):
 * the document client hands it back still marshalled, `{ N: "5" }`.
 */
function marshalledNumber(item: Record<string, unknown> | undefined, name: string): number {
  const value = item?.[name] as { N?: string } | undefined;
  return value?.N === undefined ? 0 : Number(value.N);
}

export class DynamoRateLimitStore implements RateLimitStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(
    tenantId: string,
    window: number,
    events: number,
    max: WindowCounts,
    expiresAt: number,
  ): Promise<TakeResult> {
    try {
      // One write: both counts move together or neither does.
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: rateWindowKey(tenantId, window),
          UpdateExpression:
            'ADD requests :one, events :events SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
          ConditionExpression:
            // A first take must fit too (`:zero <= ...`): a missing count is 0.
            '(attribute_not_exists(requests) AND :zero <= :requestsBefore OR requests <= :requestsBefore) AND (attribute_not_exists(events) AND :zero <= :eventsBefore OR events <= :eventsBefore)',
          ExpressionAttributeValues: {
            ':zero': 0,
            ':one': 1,
            ':events': events,
            ':expiresAt': expiresAt,
            ':requestsBefore': max.requests - 1,
            ':eventsBefore': max.events - events,
          },
          ReturnValues: 'UPDATED_NEW',
          // The counts that refused it, for the RateLimit header, without a read.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return {
        allowed: true,
        counts: {
          requests: Number(out.Attributes?.requests ?? 0),
          events: Number(out.Attributes?.events ?? 0),
        },
      };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return {
        allowed: false,
        counts: {
          requests: marshalledNumber(error.Item, 'requests'),
          events: marshalledNumber(error.Item, 'events'),
        },
      };
    }
  }

  async add(
    tenantId: string,
    counter: string,
    amount: number,
    max: number,
    expiresAt: number,
  ): Promise<{ allowed: boolean; current: number }> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: quotaCounterKey(tenantId, counter),
          UpdateExpression: 'ADD #count :amount SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
          ConditionExpression: 'attribute_not_exists(#count) AND :zero <= :before OR #count <= :before',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: {
            ':zero': 0,
            ':amount': amount,
            ':before': max - amount,
            ':expiresAt': expiresAt,
          },
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { allowed: true, current: Number(out.Attributes?.count ?? 0) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { allowed: false, current: marshalledNumber(error.Item, 'count') };
    }
  }
}
