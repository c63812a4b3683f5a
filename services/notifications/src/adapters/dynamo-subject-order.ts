/**
 * The heads and marks of ordered subscriptions (ordering/subject-order.ts), in the deliveries table
 * beside the deliveries they order (model/table-keys.ts):
 *
 *   head  pk = TENANT#<t>  sk = ORDER#<subscription>#<line>               `head`: settled up to it
 *   mark  pk = TENANT#<t>  sk = ORDER#<subscription>#<line>#<sequence>    `state`; a waiting or queued
 *                                                                         one's `task` (JSON text) and
 *                                                                         `lane`; a queued one's `queuedBy`
 *
 * Sequences are written with 16 digits, so a mark's sort key orders by sequence and the marks after
 * the head are one query. Reads are strongly consistent: ordering rests on each writer reading what
 * the other wrote before it (subject-order.ts).
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeliveryTask } from '../model/delivery-task';
import type { Lane } from '../model/lanes';
import { orderHeadSortKey, orderMarkSortKey, tenantPartition } from '../model/table-keys';
import type { NewMark, OrderMark, SubjectOrderStore } from '../ordering/subject-order';
import { isConditionFailure, queryPage } from './dynamo-support';

export class DynamoSubjectOrder implements SubjectOrderStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** How long a head and its marks are kept (the events' retention), in seconds from now. */
    private readonly keepSeconds: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private expiresAt(): number {
    return Math.floor(this.now().getTime() / 1000) + this.keepSeconds;
  }

  async head(tenantId: string, subscriptionId: string, line: string): Promise<number | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: tenantPartition(tenantId), sk: orderHeadSortKey(subscriptionId, line) },
        ConsistentRead: true,
        ProjectionExpression: 'head',
      }),
    );
    return typeof out.Item?.head === 'number' ? out.Item.head : undefined;
  }

  async start(tenantId: string, subscriptionId: string, line: string, at: number): Promise<number> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: tenantPartition(tenantId),
            sk: orderHeadSortKey(subscriptionId, line),
            head: at,
            expiresAt: this.expiresAt(),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return at;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.head(tenantId, subscriptionId, line)) ?? at;
    }
  }

  async advance(tenantId: string, subscriptionId: string, line: string, from: number, to: number) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: tenantPartition(tenantId), sk: orderHeadSortKey(subscriptionId, line) },
          UpdateExpression: 'SET head = :to, expiresAt = :expires',
          ConditionExpression: 'head = :from',
          ExpressionAttributeValues: { ':from': from, ':to': to, ':expires': this.expiresAt() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async mark(tenantId: string, subscriptionId: string, line: string, mark: NewMark, expiresAt: number) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: tenantPartition(tenantId),
            sk: orderMarkSortKey(subscriptionId, line, mark.sequence),
            state: mark.state,
            ...(mark.state === 'waiting' ? { task: JSON.stringify(mark.task), lane: mark.lane } : {}),
            expiresAt,
          },
          // The first mark stays: a copy of the event dispatched after the subscription changed
          // (its filter, its status) must not turn a waiting mark into a skip or back.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async queue(tenantId: string, subscriptionId: string, line: string, sequence: number, by: string) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: tenantPartition(tenantId), sk: orderMarkSortKey(subscriptionId, line, sequence) },
          UpdateExpression: 'SET #state = :queued, queuedBy = :by',
          // Waiting, or taken by this same step before (it runs again after stopping short).
          ConditionExpression: '#state = :waiting OR (#state = :queued AND queuedBy = :by)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':queued': 'queued', ':waiting': 'waiting', ':by': by },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async after(tenantId: string, subscriptionId: string, line: string, after: number, limit: number) {
    const page = await queryPage(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': tenantPartition(tenantId),
        ':from': orderMarkSortKey(subscriptionId, line, after + 1),
        ':to': orderMarkSortKey(subscriptionId, line, Number.MAX_SAFE_INTEGER),
      },
      ConsistentRead: true,
      Limit: limit,
    });
    return page.items.map((item): OrderMark => {
      const sequence = Number(String(item.sk).slice(-16));
      if (item.state === 'skip') return { sequence, state: 'skip' };
      const task = JSON.parse(String(item.task)) as DeliveryTask;
      const lane = item.lane as Lane;
      return item.state === 'queued'
        ? { sequence, state: 'queued', task, lane, by: String(item.queuedBy) }
        : { sequence, state: 'waiting', task, lane };
    });
  }
}
