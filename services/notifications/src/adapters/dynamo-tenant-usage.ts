/**
 * The tenant's usage item in the subscriptions table (pk TENANT#<t>, sk USAGE): what counts toward
 * its limits. `subscriptionsVersion` moves on with every subscription created, in the same
 * transaction, so a creation that counted before another one landed fails and counts again: a tenant
 * cannot pass its limit by creating in parallel. `replays` maps each subscription with a running
 * replay to that replay; `replaysVersion` moves on whenever a replay is added, so admissions are
 * decided one at a time. The lease renewals and releases of running jobs touch single entries.
 */
import { auditOutboxPut, type AuditEntry } from '@herald/shared/audit';
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { ReplayLeases } from '../fan-out/ports';
import type { ReplayRegistry } from '../history/ports';
import type { RunningReplay } from '../model/replays';
import type { SubscriptionRecord } from '../model/subscription';
import {
  SUBSCRIPTION_PREFIX,
  subscriptionSortKey,
  tenantPartition,
  USAGE_SORT_KEY,
} from '../model/table-keys';
import type { SubscriptionQuota } from '../subscriptions/ports';
import { isConditionFailure } from './dynamo-support';

type Entry = Omit<RunningReplay, 'subscriptionId'>;
type Replays = Record<string, Entry>;

const entryOf = (replay: RunningReplay): Entry => ({
  id: replay.id,
  startedAt: replay.startedAt,
  leaseUntil: replay.leaseUntil,
});

/** Which condition of a transaction failed (by position), or rethrows anything else. */
function cancelledAt(error: unknown): number {
  const cancelled = error as { name?: string; CancellationReasons?: Array<{ Code?: string }> };
  if (cancelled.name !== 'TransactionCanceledException') throw error;
  const index = (cancelled.CancellationReasons ?? []).findIndex((r) => r.Code === 'ConditionalCheckFailed');
  if (index < 0) throw error;
  return index;
}

export class DynamoTenantUsage implements SubscriptionQuota, ReplayRegistry, ReplayLeases {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private key(tenantId: string) {
    return { pk: tenantPartition(tenantId), sk: USAGE_SORT_KEY };
  }

  private async usage(tenantId: string): Promise<Record<string, unknown> | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: this.key(tenantId), ConsistentRead: true }),
    );
    return out.Item;
  }

  async count(tenantId: string) {
    // The version first: a subscription created after it was read fails the creation counted here.
    const usage = await this.usage(tenantId);
    const version = Number(usage?.subscriptionsVersion ?? 0);
    const tenant =
      typeof usage?.tenantStatusAt === 'string'
        ? { status: usage.tenantStatus as 'active' | 'suspended' | 'deleted', at: usage.tenantStatusAt }
        : undefined;
    let subscriptions = 0;
    let after: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sub)',
          ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':sub': SUBSCRIPTION_PREFIX },
          Select: 'COUNT',
          ConsistentRead: true,
          ExclusiveStartKey: after,
        }),
      );
      subscriptions += out.Count ?? 0;
      after = out.LastEvaluatedKey;
    } while (after);
    return { subscriptions, version, ...(tenant ? { tenant } : {}) };
  }

  async create(
    record: SubscriptionRecord & { secretsVersion: number },
    version: number,
    audit?: AuditEntry,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: tenantPartition(record.tenantId), sk: subscriptionSortKey(record.id), ...record },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: this.key(record.tenantId),
                UpdateExpression: 'SET subscriptionsVersion = :next',
                // And the tenant's status is still the one the new subscription carries.
                ConditionExpression: `${
                  version === 0
                    ? 'attribute_not_exists(subscriptionsVersion)'
                    : 'subscriptionsVersion = :version'
                } AND ${
                  record.tenantStatusAt === undefined
                    ? 'attribute_not_exists(tenantStatusAt)'
                    : 'tenantStatusAt = :tenantAt'
                }`,
                ExpressionAttributeValues: {
                  ':next': version + 1,
                  ...(version === 0 ? {} : { ':version': version }),
                  ...(record.tenantStatusAt === undefined ? {} : { ':tenantAt': record.tenantStatusAt }),
                },
              },
            },
            // The creation's audit entry, in the same transaction (outbox): its id is fresh with the
            // subscription's, so it cannot collide.
            ...(audit ? [auditOutboxPut(this.tableName, audit)] : []),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancelledAt(error) === 0) {
        throw Object.assign(new Error('The subscription already exists'), {
          name: 'ConditionalCheckFailedException',
        });
      }
      return false;
    }
  }

  async running(tenantId: string): Promise<{ replays: RunningReplay[]; version: number }> {
    const item = await this.usage(tenantId);
    const recorded = (item?.replays ?? {}) as Replays;
    return {
      replays: Object.entries(recorded).map(([subscriptionId, entry]) => ({ subscriptionId, ...entry })),
      version: Number(item?.replaysVersion ?? 0),
    };
  }

  async start(
    tenantId: string,
    replay: RunningReplay,
    expired: readonly string[],
    version: number,
    audit?: AuditEntry,
  ): Promise<boolean> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':next': version + 1 };
    let update: string;
    let condition: string;
    if (version === 0) {
      // No replay was ever recorded for the tenant: the map is made with this one in it.
      values[':replays'] = { [replay.subscriptionId]: entryOf(replay) };
      update = 'SET replays = :replays, replaysVersion = :next';
      condition = 'attribute_not_exists(replaysVersion)';
    } else {
      names['#s'] = replay.subscriptionId;
      values[':entry'] = entryOf(replay);
      values[':version'] = version;
      const removed = expired.map((subscriptionId, i) => {
        names[`#e${i}`] = subscriptionId;
        return `replays.#e${i}`;
      });
      update = `SET replays.#s = :entry, replaysVersion = :next${removed.length > 0 ? ` REMOVE ${removed.join(', ')}` : ''}`;
      condition = 'replaysVersion = :version';
    }
    const change = {
      TableName: this.tableName,
      Key: this.key(tenantId),
      UpdateExpression: update,
      ConditionExpression: condition,
      ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
    };
    if (audit) {
      // The start and its audit entry, one transaction (outbox): the entry there already means
      // this start committed before (the same request again).
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [{ Update: change }, auditOutboxPut(this.tableName, audit)],
          }),
        );
        return true;
      } catch (error) {
        return cancelledAt(error) === 1;
      }
    }
    try {
      await this.db.send(new UpdateCommand(change));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async renew(tenantId: string, replay: RunningReplay): Promise<boolean> {
    const extended = await this.conditionally(tenantId, {
      UpdateExpression: 'SET replays.#s.leaseUntil = :until',
      ConditionExpression: 'replays.#s.id = :id',
      ExpressionAttributeNames: { '#s': replay.subscriptionId },
      ExpressionAttributeValues: { ':until': replay.leaseUntil, ':id': replay.id },
    });
    if (extended) return true;
    // Not ours now: another replay's, or nobody's (the record expired and was dropped, or the job
    // was queued before replays were recorded), which this one then takes.
    for (let tries = 0; tries < 3; tries++) {
      const recorded = (await this.usage(tenantId))?.replays as Replays | undefined;
      const holder = recorded?.[replay.subscriptionId];
      if (holder) return holder.id === replay.id;
      const taken = recorded
        ? await this.conditionally(tenantId, {
            UpdateExpression: 'SET replays.#s = :entry',
            ConditionExpression: 'attribute_not_exists(replays.#s)',
            ExpressionAttributeNames: { '#s': replay.subscriptionId },
            ExpressionAttributeValues: { ':entry': entryOf(replay) },
          })
        : await this.conditionally(tenantId, {
            UpdateExpression:
              'SET replays = :replays, replaysVersion = if_not_exists(replaysVersion, :zero) + :one',
            ConditionExpression: 'attribute_not_exists(replays)',
            ExpressionAttributeValues: {
              ':replays': { [replay.subscriptionId]: entryOf(replay) },
              ':zero': 0,
              ':one': 1,
            },
          });
      if (taken) return true;
    }
    return false;
  }

  async finish(tenantId: string, subscriptionId: string, id: string): Promise<void> {
    await this.conditionally(tenantId, {
      UpdateExpression: 'REMOVE replays.#s',
      ConditionExpression: 'replays.#s.id = :id',
      ExpressionAttributeNames: { '#s': subscriptionId },
      ExpressionAttributeValues: { ':id': id },
    });
  }

  /** One conditional update of the usage item: false when its condition failed. */
  private async conditionally(
    tenantId: string,
    expression: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    },
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({ TableName: this.tableName, Key: this.key(tenantId), ...expression }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
