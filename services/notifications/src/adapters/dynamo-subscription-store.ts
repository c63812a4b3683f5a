import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { auditOutboxPut, type AuditEntry } from '@herald/shared/audit';
import type { HealthStore, SubscriptionHealthState } from '../delivery/ports';
import type { DispatchSubscription, DispatchSubscriptions } from '../fan-out/ports';
import type { AuditOutbox } from '../history/ports';
import type { PageKey } from '../model/pages';
import {
  toView,
  VIEW_SOURCE_ATTRIBUTES,
  type SubscriptionRecord,
  type ViewSource,
} from '../model/subscription';
import { subscriptionSortKey, tenantPartition } from '../model/table-keys';
import type { SubscriptionHealthView, TenantSubscriptions } from '../stats/ports';
import type {
  SubscriptionChange,
  SubscriptionPage,
  SubscriptionRepository,
  SubscriptionStore,
  UpdateCondition,
} from '../subscriptions/ports';
import { isConditionFailure, queryPage } from './dynamo-support';

const DISPATCH_ATTRIBUTES = [
  'id',
  'kind',
  'eventTypes',
  'filterJson',
  'status',
  'slowSince',
  'ordering',
  'orderedSince',
];
/** What the overview shows of each subscription: where it points and its health, never its secrets. */
const HEALTH_VIEW_ATTRIBUTES = [
  'id',
  'kind',
  'status',
  'url',
  'email',
  'description',
  'consecutiveFailures',
  'failingSince',
  'disabledReason',
];

function projection(attributes: readonly string[]) {
  return {
    ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name])),
  };
}

const key = (tenantId: string, id: string) => ({
  pk: tenantPartition(tenantId),
  sk: subscriptionSortKey(id),
});

type Stored = SubscriptionRecord & { pk?: string; sk?: string; secretsVersion?: number };

/**
 * How a transaction of a change and its audit outbox item ended when it was cancelled: the change's
 * condition failed (nothing written), or the entry is there already (the same request's transaction
 * committed before: the change and its entry are both written, once).
 */
function cancelledBy(error: unknown): 'change' | 'entry' {
  const cancelled = error as { name?: string; CancellationReasons?: Array<{ Code?: string }> };
  if (cancelled.name !== 'TransactionCanceledException') throw error;
  const reasons = cancelled.CancellationReasons ?? [];
  if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'entry';
  if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'change';
  throw error;
}

export function subscriptionFromItem(item: Record<string, unknown>): Stored {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as unknown as Stored;
}

export class DynamoSubscriptionStore
  implements
    SubscriptionStore,
    SubscriptionRepository,
    DispatchSubscriptions,
    TenantSubscriptions,
    AuditOutbox
{
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Attributes a listing returns: the signing secrets are never even read; secret headers' ciphertext
   * is read (their names are shown) and dropped by toView.
   */
  async listByPartition(partition: string, limit: number, after?: PageKey): Promise<SubscriptionPage> {
    const page = await queryPage<PageKey>(this.db, {
      ...this.subscriptionsOf(partition),
      ...projection(VIEW_SOURCE_ATTRIBUTES),
      Limit: limit,
      ExclusiveStartKey: after,
    });
    return { ...page, items: page.items.map((item) => toView(item as unknown as ViewSource)) };
  }

  async create(record: SubscriptionRecord & { secretsVersion: number }): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key(record.tenantId, record.id), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** An audit entry alone (a change that is no write of ours): an entry there already is no error. */
  async recordAudit(entry: AuditEntry): Promise<void> {
    try {
      await this.db.send(new PutCommand(auditOutboxPut(this.tableName, entry).Put));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async get(tenantId: string, id: string): Promise<Stored | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key(tenantId, id), ConsistentRead: true }),
    );
    return out.Item ? subscriptionFromItem(out.Item) : undefined;
  }

  async update(
    tenantId: string,
    id: string,
    change: SubscriptionChange,
    condition: UpdateCondition = {},
    audit?: AuditEntry,
  ): Promise<SubscriptionRecord | undefined> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = Object.entries(change.set)
      .filter(([, value]) => value !== undefined)
      .map(([name, value], i) => {
        names[`#s${i}`] = name;
        values[`:s${i}`] = value;
        return `#s${i} = :s${i}`;
      });
    const removes = (change.remove ?? []).map((name, i) => {
      names[`#r${i}`] = name;
      return `#r${i}`;
    });
    const conditions = ['attribute_exists(pk)'];
    if (condition.kind) {
      names['#kind'] = 'kind';
      values[':kind'] = condition.kind;
      conditions.push('#kind = :kind');
    }
    if (condition.statusIn) {
      names['#status'] = 'status';
      const options = condition.statusIn.map((status, i) => {
        values[`:st${i}`] = status;
        return `:st${i}`;
      });
      conditions.push(`#status IN (${options.join(', ')})`);
    }
    if (condition.secretsVersion !== undefined) {
      names['#version'] = 'secretsVersion';
      values[':version'] = condition.secretsVersion;
      conditions.push(
        condition.secretsVersion === 0
          ? '(attribute_not_exists(#version) OR #version = :version)'
          : '#version = :version',
      );
    }
    const expression = [
      sets.length > 0 ? `SET ${sets.join(', ')}` : '',
      removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    const update = {
      TableName: this.tableName,
      Key: key(tenantId, id),
      UpdateExpression: expression,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
    };
    if (audit) return this.updateRecorded(update, audit);
    try {
      const out = await this.db.send(new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }));
      return out.Attributes ? subscriptionFromItem(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /**
   * The change and its audit entry in one transaction (transactional outbox). A transaction returns
   * no item, so the item after is read back: one call more than an unaudited change.
   */
  private async updateRecorded(
    update: { TableName: string; Key: Record<string, string> } & Record<string, unknown>,
    audit: AuditEntry,
  ): Promise<SubscriptionRecord | undefined> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [{ Update: update as never }, auditOutboxPut(this.tableName, audit)],
        }),
      );
    } catch (error) {
      if (cancelledBy(error) === 'change') return undefined;
    }
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: update.Key, ConsistentRead: true }),
    );
    return out.Item ? subscriptionFromItem(out.Item) : undefined;
  }

  async delete(tenantId: string, id: string, audit?: AuditEntry): Promise<boolean> {
    if (audit) {
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: this.tableName,
                  Key: key(tenantId, id),
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
              auditOutboxPut(this.tableName, audit),
            ],
          }),
        );
        return true;
      } catch (error) {
        return cancelledBy(error) === 'entry';
      }
    }
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key(tenantId, id),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Fan-out reads only what matching needs: never the secrets. */
  async all(tenantId: string): Promise<DispatchSubscription[]> {
    const items: DispatchSubscription[] = [];
    let after: PageKey | undefined;
    do {
      const page = await queryPage<PageKey>(this.db, {
        ...this.subscriptionsOf(tenantPartition(tenantId)),
        ...projection(DISPATCH_ATTRIBUTES),
        ExclusiveStartKey: after,
      });
      items.push(...(page.items as unknown as DispatchSubscription[]));
      after = page.next;
    } while (after);
    return items;
  }

  /** Every subscription of the tenant as the overview shows it (stats/overview.ts). */
  async health(tenantId: string): Promise<SubscriptionHealthView[]> {
    const items: SubscriptionHealthView[] = [];
    let after: PageKey | undefined;
    do {
      const page = await queryPage<PageKey>(this.db, {
        ...this.subscriptionsOf(tenantPartition(tenantId)),
        ...projection(HEALTH_VIEW_ATTRIBUTES),
        ExclusiveStartKey: after,
      });
      items.push(...(page.items as unknown as SubscriptionHealthView[]));
      after = page.next;
    } while (after);
    return items;
  }

  private subscriptionsOf(partition: string) {
    return {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sub)',
      ExpressionAttributeValues: { ':pk': partition, ':sub': 'SUB#' },
    };
  }
}

/**
 * Delivery health on the subscription item. The delivery functions' IAM policy lets them update
 * only these attributes (dynamodb:Attributes), so a compromised deliverer can switch a subscription
 * off but never re-point it or touch its secrets.
 */
export class DynamoSubscriptionHealth implements HealthStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async failed(
    tenantId: string,
    id: string,
    at: { now: Date; slow: boolean },
  ): Promise<SubscriptionHealthState | undefined> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(tenantId, id),
          UpdateExpression: `ADD consecutiveFailures :one SET failingSince = if_not_exists(failingSince, :now)${
            at.slow ? ', slowSince = if_not_exists(slowSince, :now)' : ''
          }`,
          ConditionExpression: 'attribute_exists(pk) AND #status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':one': 1, ':now': at.now.toISOString(), ':active': 'active' },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const attributes = out.Attributes ?? {};
      return {
        status: 'active',
        consecutiveFailures: Number(attributes.consecutiveFailures ?? 1),
        ...(typeof attributes.failingSince === 'string' ? { failingSince: attributes.failingSince } : {}),
      };
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async recovered(tenantId: string, id: string, at: { now: Date; slow: boolean }): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(tenantId, id),
          UpdateExpression: at.slow
            ? 'SET consecutiveFailures = :zero, slowSince = if_not_exists(slowSince, :now) REMOVE failingSince'
            : 'SET consecutiveFailures = :zero REMOVE failingSince, slowSince',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: at.slow ? { ':zero': 0, ':now': at.now.toISOString() } : { ':zero': 0 },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async markSlow(tenantId: string, id: string, now: Date): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(tenantId, id),
          UpdateExpression: 'SET slowSince = :now',
          // Set once: the attempts of a batch in flight together mark it once, keeping the first time.
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(slowSince)',
          ExpressionAttributeValues: { ':now': now.toISOString() },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async disable(
    tenantId: string,
    id: string,
    why: { reason: string; deliveryId: string; now: Date },
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(tenantId, id),
          UpdateExpression:
            'SET #status = :disabled, disabledAt = :now, disabledReason = :reason, disabledByDelivery = :delivery, updatedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND #status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':disabled': 'disabled',
            ':active': 'active',
            ':now': why.now.toISOString(),
            ':reason': why.reason,
            ':delivery': why.deliveryId,
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
