import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { EventStore } from '../consume-envelope';
import { subjectSequenceKey, type StoredEvent } from '../events-table';

/** Rounds of read-then-transact when another consumer takes the subject's next number meanwhile. */
const SEQUENCE_ATTEMPTS = 8;

/**
 * The events table. The conditional write is the dedupe: one item per (tenant, event id), ever. An
 * event with a subject also takes its subject's next sequence number, in one transaction with the
 * put: the counter moves only if the event is stored, so a redelivered message (whose put fails its
 * condition) cancels the transaction and takes no second number.
 */
export class DynamoEventStore implements EventStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putIfAbsent(event: StoredEvent, subject?: string): Promise<'stored' | 'duplicate'> {
    if (subject === undefined) return this.put(event);
    return this.putWithSequence(event, subject);
  }

  private async put(event: StoredEvent): Promise<'stored' | 'duplicate'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: event,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'stored';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw error;
    }
  }

  private async putWithSequence(event: StoredEvent, subject: string): Promise<'stored' | 'duplicate'> {
    const counter = subjectSequenceKey(event.tenantId, subject);
    for (let attempt = 1; ; attempt++) {
      const read = await this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: counter,
          ConsistentRead: true,
          ProjectionExpression: '#last, lastStoredAt',
          ExpressionAttributeNames: { '#last': 'last' },
        }),
      );
      const last = typeof read.Item?.last === 'number' ? read.Item.last : 0;
      const previous = typeof read.Item?.lastStoredAt === 'string' ? read.Item.lastStoredAt : undefined;
      const numbered: StoredEvent = {
        ...event,
        subjectSequence: last + 1,
        ...(previous === undefined ? {} : { subjectPreviousStoredAt: previous }),
      };
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: numbered,
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: this.tableName,
                  Key: counter,
                  UpdateExpression: 'SET #last = :next, lastStoredAt = :storedAt',
                  ConditionExpression: last === 0 ? 'attribute_not_exists(#last)' : '#last = :last',
                  ExpressionAttributeNames: { '#last': 'last' },
                  ExpressionAttributeValues: {
                    ':next': last + 1,
                    ':storedAt': event.storedAt,
                    ...(last === 0 ? {} : { ':last': last }),
                  },
                },
              },
            ],
          }),
        );
        Object.assign(event, numbered);
        return 'stored';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [put, counterUpdate] = error.CancellationReasons ?? [];
        if (put?.Code === 'ConditionalCheckFailed') return 'duplicate';
        // Another consumer took the number: read the counter again. Anything else (a conflict with a
        // transaction in flight, throttling) is retried the same way, then thrown for SQS to retry.
        const raced =
          counterUpdate?.Code === 'ConditionalCheckFailed' || counterUpdate?.Code === 'TransactionConflict';
        if (!raced || attempt >= SEQUENCE_ATTEMPTS) throw error;
      }
    }
  }
}
