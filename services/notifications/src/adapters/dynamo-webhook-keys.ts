/**
 * The public key set's read: one Query of the tenant's subscription items (their partition, the
 * `SUB#` range), projecting only `id` and `publicKeys`, with a filter that keeps the `v1a` ones.
 *
 * Why this read and not a key index item or an index: the public keys are attributes of the
 * subscription item, written in the same write as the secrets they belong to (create, rotate) and
 * gone with it (delete), so the set can never list a key that does not sign nor miss one that does.
 * A per-tenant index item would be a second write beside each of those, not atomic with it; a
 * global secondary index would be a table change for a read a receiver makes rarely (it caches the
 * answer). It reads every subscription of the tenant, the range dispatch reads for every event,
 * bounded by the stage's `maxSubscriptionsPerTenant`; the route's answer is cached (see
 * subscriptions/webhook-keys.ts). The function's IAM policy allows this Query with these four
 * attributes only (`dynamodb:Attributes`, `dynamodb:Select`), so it can never read a secret.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoredPublicKey } from '../model/subscription';
import { SUBSCRIPTION_PREFIX, tenantPartition } from '../model/table-keys';
import type { PublicKeySource } from '../subscriptions/webhook-keys';
import { queryPage } from './dynamo-support';

type Key = Record<string, unknown>;

export class DynamoWebhookKeys implements PublicKeySource {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async publicKeys(tenantId: string): Promise<Array<{ id: string; publicKeys: StoredPublicKey[] }>> {
    const found: Array<{ id: string; publicKeys: StoredPublicKey[] }> = [];
    let after: Key | undefined;
    do {
      const page = await queryPage<Key>(this.db, {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sub)',
        FilterExpression: 'attribute_exists(#keys)',
        ProjectionExpression: '#id, #keys',
        Select: 'SPECIFIC_ATTRIBUTES',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#id': 'id', '#keys': 'publicKeys' },
        ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':sub': SUBSCRIPTION_PREFIX },
        ExclusiveStartKey: after,
      });
      for (const item of page.items)
        found.push({ id: item.id as string, publicKeys: item.publicKeys as StoredPublicKey[] });
      after = page.next;
    } while (after);
    return found;
  }
}
