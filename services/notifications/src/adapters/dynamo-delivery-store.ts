import {
  BatchGetCommand,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Claim, DeliveryStore, HoldWhile, RecordUpdate } from '../delivery/ports';
import type { HeldDeliveries, HeldDelivery } from '../fan-out/ports';
import type { DeliveryHistory } from '../history/ports';
import type { DeliveryRecord } from '../model/delivery';
import type { DeliveryTask } from '../model/delivery-task';
import type { IndexPageKey, PageKey } from '../model/pages';
import {
  BY_SUBSCRIPTION_INDEX,
  deliverySortKey,
  HELD_INDEX,
  subscriptionIndexKey,
  subscriptionIndexSortKey,
  subscriptionSortKey,
  tenantPartition,
} from '../model/table-keys';
import { claimExpression } from './dynamo-delivery-claim';
import { isConditionFailure, queryPage } from './dynamo-support';

const INTERNAL = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'heldpk', 'expiresAt'];

export function deliveryFromItem(item: Record<string, unknown>): DeliveryRecord {
  const record = { ...item };
  for (const name of INTERNAL) delete record[name];
  return record as unknown as DeliveryRecord;
}

const deliveryKey = (tenantId: string, id: string) => ({
  pk: tenantPartition(tenantId),
  sk: deliverySortKey(id),
});

/** The deliveries in the deliveries table, with their attempts (stored events: see dynamo-event-log). */
export class DynamoDeliveryStore implements DeliveryStore, DeliveryHistory, HeldDeliveries {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: { subscriptionsTable?: string; retentionDays: number },
  ) {}

  async claim(task: DeliveryTask, claim: Claim): Promise<DeliveryRecord | undefined> {
    const expiresAt = Math.floor(claim.now.getTime() / 1000) + this.options.retentionDays * 86400;
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(task.tenantId, task.deliveryId),
          ...claimExpression(task, claim, expiresAt),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? deliveryFromItem(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /**
   * The deliveries of these ids that exist, in no order: BatchGetItem, 100 keys a request, what
   * DynamoDB leaves unprocessed asked for again (a few times, then an error).
   */
  async getMany(tenantId: string, deliveryIds: readonly string[]): Promise<DeliveryRecord[]> {
    const found: DeliveryRecord[] = [];
    const chunks = Array.from({ length: Math.ceil(deliveryIds.length / 100) }, (_, i) =>
      deliveryIds.slice(i * 100, (i + 1) * 100),
    );
    await Promise.all(
      chunks.map(async (chunk) => {
        let keys: Array<Record<string, unknown>> = chunk.map((id) => deliveryKey(tenantId, id));
        for (let round = 0; keys.length > 0; round++) {
          if (round > 3) throw new Error('DynamoDB left deliveries unprocessed');
          if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
          const out = await this.db.send(
            new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
          );
          for (const item of out.Responses?.[this.tableName] ?? []) found.push(deliveryFromItem(item));
          keys = out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        }
      }),
    );
    return found;
  }

  async get(tenantId: string, deliveryId: string): Promise<DeliveryRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: deliveryKey(tenantId, deliveryId),
        ConsistentRead: true,
      }),
    );
    return out.Item && String(out.Item.sk).startsWith('DLV#') ? deliveryFromItem(out.Item) : undefined;
  }

  /** A first delivery created with its first attempt recorded, if it does not exist (delivery/claim.ts). */
  async recordFirst(delivery: DeliveryRecord, update: RecordUpdate, messageId: string): Promise<boolean> {
    const expiresAt = Math.floor(Date.parse(delivery.createdAt) / 1000) + this.options.retentionDays * 86400;
    const item: Record<string, unknown> = {
      ...delivery,
      ...update,
      claimMessageId: messageId,
      gsi1pk: subscriptionIndexKey(delivery.tenantId, delivery.subscriptionId),
      gsi1sk: subscriptionIndexSortKey(delivery.createdAt, delivery.id),
      expiresAt,
    };
    delete item.claimUntil;
    const entries = Object.entries(item).filter(([, value]) => value !== undefined);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(delivery.tenantId, delivery.id),
          UpdateExpression: `SET ${entries.map((_, i) => `#a${i} = :v${i}`).join(', ')}`,
          // Or this very record already there: a write DynamoDB applied but whose answer was lost is
          // sent again by the SDK, and must not then read as a delivery another message created.
          ConditionExpression:
            'attribute_not_exists(pk) OR (claimMessageId = :own AND startId = :ownStart AND attemptCount = :ownCount)',
          ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#a${i}`, name])),
          ExpressionAttributeValues: {
            ...Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
            ':own': messageId,
            ':ownStart': delivery.startId,
            ':ownCount': update.attemptCount,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async record(delivery: DeliveryRecord, update: RecordUpdate, messageId: string): Promise<boolean> {
    const values: Record<string, unknown> = {
      ':status': update.status,
      ':count': update.attemptCount,
      ':attempts': update.attempts,
      ':updated': update.updatedAt,
      ':me': messageId,
      ':run': delivery.run,
    };
    const sets = [
      '#status = :status',
      'attemptCount = :count',
      'attempts = :attempts',
      'updatedAt = :updated',
    ];
    const removes = ['claimUntil'];
    if (update.lastAttemptAt) {
      sets.push('lastAttemptAt = :last');
      values[':last'] = update.lastAttemptAt;
    }
    if (update.nextAttemptAt) {
      sets.push('nextAttemptAt = :next');
      values[':next'] = update.nextAttemptAt;
    } else removes.push('nextAttemptAt');
    if (update.reason) {
      sets.push('reason = :reason');
      values[':reason'] = update.reason;
    } else removes.push('reason');
    if (update.heldUntil) {
      sets.push('heldUntil = :heldUntil');
      values[':heldUntil'] = update.heldUntil;
    } else removes.push('heldUntil');
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(delivery.tenantId, delivery.id),
          UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
          ConditionExpression: 'claimMessageId = :me AND #run = :run',
          ExpressionAttributeNames: { '#status': 'status', '#run': 'run' },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async hold(
    delivery: DeliveryRecord,
    messageId: string,
    now: Date,
    whileStatus: HoldWhile = 'paused',
  ): Promise<'held' | 'not-paused' | 'lost'> {
    const subscriptionsTable = this.options.subscriptionsTable;
    if (!subscriptionsTable) throw new Error('DynamoDeliveryStore: hold needs the subscriptions table');
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: subscriptionsTable,
                Key: {
                  pk: tenantPartition(delivery.tenantId),
                  sk: subscriptionSortKey(delivery.subscriptionId),
                },
                ...holdCondition(whileStatus),
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: deliveryKey(delivery.tenantId, delivery.id),
                UpdateExpression:
                  'SET #status = :held, heldpk = :heldpk, updatedAt = :updated REMOVE claimUntil',
                ConditionExpression: 'claimMessageId = :me AND #run = :run',
                ExpressionAttributeNames: { '#status': 'status', '#run': 'run' },
                ExpressionAttributeValues: {
                  ':held': 'held',
                  ':heldpk': subscriptionIndexKey(delivery.tenantId, delivery.subscriptionId),
                  ':updated': now.toISOString(),
                  ':me': messageId,
                  ':run': delivery.run,
                },
              },
            },
          ],
        }),
      );
      return 'held';
    } catch (error) {
      const reasons = error as { name?: string; CancellationReasons?: Array<{ Code?: string }> };
      if (reasons.name !== 'TransactionCanceledException') throw error;
      const codes = (reasons.CancellationReasons ?? []).map((reason) => reason.Code);
      if (codes[1] === 'ConditionalCheckFailed') return 'lost';
      if (codes[0] === 'ConditionalCheckFailed') return 'not-paused';
      throw error;
    }
  }

  async listBySubscription(
    tenantId: string,
    subscriptionId: string,
    limit: number,
    after?: IndexPageKey,
  ): Promise<{ items: DeliveryRecord[]; next?: IndexPageKey }> {
    const page = await queryPage<IndexPageKey>(this.db, {
      ...this.bySubscription(BY_SUBSCRIPTION_INDEX, tenantId, subscriptionId, limit, after),
      ScanIndexForward: false,
    });
    return { ...page, items: page.items.map(deliveryFromItem) };
  }

  /** The deliveries held while the subscription was paused, for the release job. */
  async list(
    tenantId: string,
    subscriptionId: string,
    limit: number,
    after?: PageKey,
  ): Promise<{ items: HeldDelivery[]; next?: PageKey }> {
    const page = await queryPage<PageKey>(
      this.db,
      this.bySubscription(HELD_INDEX, tenantId, subscriptionId, limit, after),
    );
    return { ...page, items: page.items as unknown as HeldDelivery[] };
  }

  /** A page of one subscription's deliveries in either index keyed by the subscription. */
  private bySubscription(
    index: typeof BY_SUBSCRIPTION_INDEX | typeof HELD_INDEX,
    tenantId: string,
    subscriptionId: string,
    limit: number,
    after: PageKey | undefined,
  ) {
    const partitionKey = index === HELD_INDEX ? 'heldpk' : 'gsi1pk';
    return {
      TableName: this.tableName,
      IndexName: index,
      KeyConditionExpression: `${partitionKey} = :p`,
      ExpressionAttributeValues: { ':p': subscriptionIndexKey(tenantId, subscriptionId) },
      Limit: limit,
      ExclusiveStartKey: after,
    };
  }
}

/** The subscription's side of a hold: still paused (or disabled), or its tenant still held. */
function holdCondition(whileStatus: HoldWhile) {
  if (whileStatus === 'tenant') {
    return {
      ConditionExpression: 'tenantStatus IN (:suspended, :deleted)',
      ExpressionAttributeValues: { ':suspended': 'suspended', ':deleted': 'deleted' },
    };
  }
  return {
    ConditionExpression: '#status = :paused',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':paused': whileStatus },
  };
}
