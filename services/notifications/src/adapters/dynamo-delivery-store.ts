import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Envelope } from '@herald/shared/contracts';
import type { Claim, DeliveryStore, RecordUpdate } from '../deliver';
import type { DeliveryRecord } from '../deliveries';
import {
  BY_SUBSCRIPTION_INDEX,
  deliverySortKey,
  HELD_INDEX,
  subscriptionIndexKey,
  subscriptionIndexSortKey,
} from '../deliveries-table';
import type { DeliveryTask } from '../delivery-task';
import type { EventLog, HeldDeliveries, HeldDelivery, StoredEvent } from '../dispatch';
import type { DeliveryHistory } from '../history';
import type { IndexPageKey, PageKey } from '../pagination';
import { subscriptionSortKey, tenantPartition } from '../subscriptions-table';

const isConditionFailure = (error: unknown): boolean =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

const INTERNAL = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'heldpk', 'expiresAt'];

function toRecord(item: Record<string, unknown>): DeliveryRecord {
  const record = { ...item };
  for (const name of INTERNAL) delete record[name];
  return record as unknown as DeliveryRecord;
}

function used<T>(placeholders: Record<string, T>, ...expressions: string[]): Record<string, T> {
  const text = expressions.join(' ');
  return Object.fromEntries(
    Object.entries(placeholders).filter(([name]) => new RegExp(`${name}(?![A-Za-z0-9_])`).test(text)),
  );
}

const deliveryKey = (tenantId: string, id: string) => ({
  pk: tenantPartition(tenantId),
  sk: deliverySortKey(id),
});

/** The deliveries table: deliveries with their attempts, and the stored events replay reads. */
export class DynamoDeliveryStore implements DeliveryStore, DeliveryHistory, HeldDeliveries, EventLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: { subscriptionsTable?: string; retentionDays: number },
  ) {}

  private expiresAt(now: Date): number {
    return Math.floor(now.getTime() / 1000) + this.options.retentionDays * 86400;
  }

  async claim(task: DeliveryTask, claim: Claim): Promise<DeliveryRecord | undefined> {
    const now = claim.now;
    const names: Record<string, string> = { '#status': 'status', '#run': 'run' };
    const values: Record<string, unknown> = {
      ':me': claim.messageId,
      ':until': now.getTime() + claim.leaseMs,
      ':now': now.getTime(),
      ':updated': now.toISOString(),
      ':pending': 'pending',
      ':expires': this.expiresAt(now),
    };
    let update: string;
    let condition: string;
    if (task.start) {
      const created = now.toISOString();
      Object.assign(values, {
        ':sid': task.start.id,
        ':reason': task.start.reason,
        ':zero': 0,
        ':one': 1,
        ':empty': [],
        ':id': task.deliveryId,
        ':tenant': task.tenantId,
        ':subscription': task.subscriptionId,
        ':kind': task.kind,
        ':eventId': task.eventId,
        ':eventType': task.eventType,
        ':eventKey': task.eventKey,
        ':created': created,
        ':gsi1pk': subscriptionIndexKey(task.tenantId, task.subscriptionId),
        ':gsi1sk': subscriptionIndexSortKey(created, task.deliveryId),
      });
      names['#kind'] = 'kind';
      update = [
        'SET #run = if_not_exists(#run, :zero) + :one',
        'attemptCount = :zero',
        '#status = :pending',
        'startId = :sid',
        'startReason = :reason',
        'claimMessageId = :me',
        'claimUntil = :until',
        'updatedAt = :updated',
        'expiresAt = :expires',
        'attempts = if_not_exists(attempts, :empty)',
        'id = if_not_exists(id, :id)',
        'tenantId = if_not_exists(tenantId, :tenant)',
        'subscriptionId = if_not_exists(subscriptionId, :subscription)',
        '#kind = if_not_exists(#kind, :kind)',
        'eventId = if_not_exists(eventId, :eventId)',
        'eventType = if_not_exists(eventType, :eventType)',
        'eventKey = if_not_exists(eventKey, :eventKey)',
        'createdAt = if_not_exists(createdAt, :created)',
        'gsi1pk = if_not_exists(gsi1pk, :gsi1pk)',
        'gsi1sk = if_not_exists(gsi1sk, :gsi1sk)',
      ].join(', ');
      update += ' REMOVE heldpk, reason, nextAttemptAt';
      if (task.start.reason === 'dispatch') {
        // The first delivery of an event: only if there is none yet (the bus may repeat an event).
        condition = 'attribute_not_exists(pk)';
      } else {
        const held = task.start.reason === 'release' ? ' AND #status = :held' : '';
        if (held) values[':held'] = 'held';
        condition = `attribute_not_exists(pk) OR (startId <> :sid AND (attribute_not_exists(claimUntil) OR claimUntil < :now)${held})`;
      }
    } else {
      values[':run'] = task.run;
      values[':prev'] = task.attempt - 1;
      let owner = 'claimMessageId = :me';
      if (task.forwardedFrom) {
        values[':from'] = task.forwardedFrom;
        owner = 'claimMessageId IN (:me, :from)';
      }
      update = 'SET claimMessageId = :me, claimUntil = :until, updatedAt = :updated';
      condition = `#run = :run AND attemptCount = :prev AND #status = :pending AND (attribute_not_exists(claimUntil) OR claimUntil < :now OR ${owner})`;
    }
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(task.tenantId, task.deliveryId),
          UpdateExpression: update,
          ConditionExpression: condition,
          // DynamoDB refuses placeholders an expression does not use.
          ExpressionAttributeNames: used(names, update, condition),
          ExpressionAttributeValues: used(values, update, condition),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? toRecord(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async get(tenantId: string, deliveryId: string): Promise<DeliveryRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: deliveryKey(tenantId, deliveryId),
        ConsistentRead: true,
      }),
    );
    return out.Item && String(out.Item.sk).startsWith('DLV#') ? toRecord(out.Item) : undefined;
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
                ConditionExpression: '#status = :paused',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':paused': 'paused' },
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
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: BY_SUBSCRIPTION_INDEX,
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': subscriptionIndexKey(tenantId, subscriptionId) },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: after,
      }),
    );
    const next = out.LastEvaluatedKey as IndexPageKey | undefined;
    return { items: (out.Items ?? []).map(toRecord), ...(next ? { next } : {}) };
  }

  async list(
    tenantId: string,
    subscriptionId: string,
    limit: number,
    after?: PageKey,
  ): Promise<{ items: HeldDelivery[]; next?: PageKey }> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: HELD_INDEX,
        KeyConditionExpression: 'heldpk = :p',
        ExpressionAttributeValues: { ':p': subscriptionIndexKey(tenantId, subscriptionId) },
        Limit: limit,
        ExclusiveStartKey: after,
      }),
    );
    const next = out.LastEvaluatedKey as PageKey | undefined;
    return { items: (out.Items ?? []) as HeldDelivery[], ...(next ? { next } : {}) };
  }

  async put(event: StoredEvent): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: tenantPartition(event.tenantId),
          sk: event.eventKey,
          envelope: event.envelope,
          expiresAt: event.expiresAt,
        },
      }),
    );
  }

  async between(
    tenantId: string,
    range: { from: string; to: string },
    limit: number,
    after?: PageKey,
  ): Promise<{ items: StoredEvent[]; next?: PageKey }> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': tenantPartition(tenantId),
          ':from': `EVT#${range.from}`,
          // '~' sorts after '#': every event stored at exactly `to` is included.
          ':to': `EVT#${range.to}~`,
        },
        Limit: limit,
        ExclusiveStartKey: after,
      }),
    );
    const next = out.LastEvaluatedKey as PageKey | undefined;
    const items = (out.Items ?? []).map((item) => ({
      tenantId,
      eventKey: String(item.sk),
      envelope: item.envelope as Envelope,
      expiresAt: Number(item.expiresAt),
    }));
    return { items, ...(next ? { next } : {}) };
  }

  async load(tenantId: string, eventKey: string): Promise<Envelope | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: tenantPartition(tenantId), sk: eventKey },
        ProjectionExpression: 'envelope',
      }),
    );
    return out.Item?.envelope as Envelope | undefined;
  }
}
