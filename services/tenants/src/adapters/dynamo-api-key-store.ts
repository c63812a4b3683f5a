/**
 * API keys in the API keys table: `pk` the SHA-256 of the key (the authorizer's one GetItem). A
 * tenant's keys are found by id through the byTenant index (tenantId, id). Portal tokens keep their
 * tenant as `portalTenantId` instead, so they stay out of that index (and out of the key listing),
 * and leave the table by TTL (`removeAt`) a day after they expire. A creation or revocation given
 * its audit entry's link is one TransactWriteItems with the link's puts in the audit table.
 */
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor, InvalidCursor } from '@herald/shared/cursor';
import type { LinkedAppend } from '../audit/record';
import type { ApiKey } from '../model/api-key';
import type { ApiKeyStore, Page } from '../ports';
import { transactWithLink } from './dynamo-audit-log';

const BY_TENANT = 'byTenant';
const PORTAL_TOKEN_KEPT_SECONDS = 86_400;

const isConditionFailure = (error: unknown): boolean =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

function toItem(key: ApiKey): Record<string, unknown> {
  const { tenantId, hash, ...rest } = key;
  if (key.environment !== 'portal') return { pk: hash, tenantId, ...rest };
  const removeAt = Math.floor(Date.parse(key.expiresAt!) / 1000) + PORTAL_TOKEN_KEPT_SECONDS;
  return { pk: hash, portalTenantId: tenantId, removeAt, ...rest };
}

function fromItem(item: Record<string, unknown>): ApiKey {
  const { pk, portalTenantId, removeAt: _removeAt, tenantId, ...rest } = item;
  void _removeAt;
  return { ...rest, tenantId: (tenantId ?? portalTenantId) as string, hash: pk as string } as ApiKey;
}

export class DynamoApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** The audit table, for the functions that record their changes (their role may append to it). */
    private readonly auditTable?: string,
  ) {}

  private audited(): string {
    if (!this.auditTable) throw new Error('This key store was made without the audit table');
    return this.auditTable;
  }

  async byHash(hash: string): Promise<ApiKey | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: hash } }));
    return out.Item ? fromItem(out.Item) : undefined;
  }

  async create(key: ApiKey, audit?: LinkedAppend): Promise<void> {
    const put = { TableName: this.table, Item: toItem(key), ConditionExpression: 'attribute_not_exists(pk)' };
    if (!audit) {
      await this.db.send(new PutCommand(put));
      return;
    }
    // 192 random bits: a key's hash taken already is no outcome to handle, as without an entry.
    if ((await transactWithLink(this.db, this.audited(), { Put: put }, audit)) === 'refused')
      throw new Error('An API key of this hash exists already');
  }

  async list(tenantId: string, limit: number, cursor?: string): Promise<Page<ApiKey>> {
    let start: Record<string, string> | undefined;
    if (cursor !== undefined) {
      const [cursorTenant, id, pk] = decodeCursor(cursor, 3);
      if (cursorTenant !== tenantId) throw new InvalidCursor();
      start = { tenantId: cursorTenant, id: id!, pk: pk! };
    }
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: BY_TENANT,
        KeyConditionExpression: 'tenantId = :t',
        ExpressionAttributeValues: { ':t': tenantId },
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    const last = out.LastEvaluatedKey as { tenantId: string; id: string; pk: string } | undefined;
    return {
      items: (out.Items ?? []).map(fromItem),
      ...(last ? { next: encodeCursor([last.tenantId, last.id, last.pk]) } : {}),
    };
  }

  async get(tenantId: string, keyId: string): Promise<ApiKey | undefined> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: BY_TENANT,
        KeyConditionExpression: 'tenantId = :t AND id = :id',
        ExpressionAttributeValues: { ':t': tenantId, ':id': keyId },
      }),
    );
    const item = out.Items?.[0];
    return item ? fromItem(item) : undefined;
  }

  async revoke(
    tenantId: string,
    keyId: string,
    at: string,
    audit?: LinkedAppend,
  ): Promise<ApiKey | undefined> {
    const key = await this.get(tenantId, keyId);
    if (!key) return undefined;
    if (audit) {
      // Only a revocation that happens is recorded: a key revoked already is answered as it is.
      if (key.revokedAt !== undefined) return key;
      const outcome = await transactWithLink(
        this.db,
        this.audited(),
        {
          Update: {
            TableName: this.table,
            Key: { pk: key.hash },
            UpdateExpression: 'SET revokedAt = :at',
            ConditionExpression: 'tenantId = :t AND attribute_not_exists(revokedAt)',
            ExpressionAttributeValues: { ':at': at, ':t': tenantId },
          },
        },
        audit,
      );
      // Refused: revoked meanwhile by another call, which recorded it.
      return outcome === 'refused' ? this.get(tenantId, keyId) : { ...key, revokedAt: at };
    }
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: key.hash },
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
          ConditionExpression: 'tenantId = :t',
          ExpressionAttributeValues: { ':at': at, ':t': tenantId },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? fromItem(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async touch(hash: string, at: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: hash },
          UpdateExpression: 'SET lastUsedAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
