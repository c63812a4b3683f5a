import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TenantSettings } from '@herald/shared/tenants/authorizer-context';
import type { SubscriptionStatus } from '../model/subscription';
import {
  SUBSCRIPTION_PREFIX,
  TENANT_SETTINGS_SORT_KEY,
  tenantPartition,
  USAGE_SORT_KEY,
} from '../model/table-keys';
import type { TenantStateStore, TenantStatusStamp } from '../tenant-state/ports';
import { isConditionFailure, queryPage } from './dynamo-support';

/**
 * The tenant's status on its usage item and each of its subscription items (two attributes,
 * conditional on their time) and its settings on an item of its own, all in the subscriptions table
 * (model/table-keys.ts).
 */
export class DynamoTenantState implements TenantStateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async subscriptions(tenantId: string, after?: Record<string, unknown>) {
    const page = await queryPage<Record<string, unknown>>(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sub)',
      ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':sub': SUBSCRIPTION_PREFIX },
      ProjectionExpression: 'id, #status',
      ExpressionAttributeNames: { '#status': 'status' },
      ConsistentRead: true,
      ExclusiveStartKey: after,
    });
    return {
      items: page.items.map((item) => ({ id: item.id as string, status: item.status as SubscriptionStatus })),
      ...(page.next ? { next: page.next } : {}),
    };
  }

  async stampTenant(tenantId: string, stamp: TenantStatusStamp): Promise<boolean> {
    // A deletion only marks what is there: coming after the tenant's erasure (the same event starts
    // both), it must not leave a new item naming the tenant behind.
    return this.stampItem(
      { pk: tenantPartition(tenantId), sk: USAGE_SORT_KEY },
      stamp,
      stamp.status === 'deleted',
    );
  }

  async stamp(tenantId: string, subscriptionId: string, stamp: TenantStatusStamp): Promise<boolean> {
    return this.stampItem(
      { pk: tenantPartition(tenantId), sk: `${SUBSCRIPTION_PREFIX}${subscriptionId}` },
      stamp,
      true,
    );
  }

  /** The status over an older one (or none); deleted only by another deletion. */
  private async stampItem(
    key: { pk: string; sk: string },
    stamp: TenantStatusStamp,
    mustExist: boolean,
  ): Promise<boolean> {
    const notDeleted =
      stamp.status === 'deleted'
        ? ''
        : ' AND (attribute_not_exists(tenantStatus) OR tenantStatus <> :deleted)';
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET tenantStatus = :status, tenantStatusAt = :at',
          ConditionExpression: `${mustExist ? 'attribute_exists(pk) AND ' : ''}(attribute_not_exists(tenantStatusAt) OR tenantStatusAt <= :at)${notDeleted}`,
          ExpressionAttributeValues: {
            ':status': stamp.status,
            ':at': stamp.at,
            ...(notDeleted ? { ':deleted': 'deleted' } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async putSettings(tenantId: string, settings: TenantSettings, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: tenantPartition(tenantId), sk: TENANT_SETTINGS_SORT_KEY, settings, settingsAt: at },
          ConditionExpression: 'attribute_not_exists(settingsAt) OR settingsAt <= :at',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async settings(tenantId: string): Promise<TenantSettings | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: tenantPartition(tenantId), sk: TENANT_SETTINGS_SORT_KEY },
        // The only attribute deliverEmail's role may read of it (dynamodb:Attributes).
        ProjectionExpression: 'settings',
      }),
    );
    return out.Item?.settings as TenantSettings | undefined;
  }
}
