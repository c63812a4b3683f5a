/**
 * Export and erasure requests (src/tenant-data/orchestrate.ts), one item each:
 *
 *   pk = TENANT#<tenant>   sk = ERASURE#<request id> | EXPORT#<export id>
 *
 * with each answering service's counts or files under `answers`, and a TTL (`expiresAt`): a request
 * is followed for days, not kept. A subject erasure's record does not keep the subject.
 *
 * Beside them, one item per tenant and kind counts the tenant's own starts (`starts`):
 *
 *   pk = TENANT#<tenant>   sk = STARTS#ERASURE | STARTS#EXPORT
 *
 * A start is the request's put and that count moved on from the value read before counting the
 * pending ones, in one transaction: a start that counted before another was recorded fails and
 * counts again, so a tenant cannot pass its limit by starting in parallel. It expires with the
 * newest request it counted.
 */
import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Answer, DataRequest, RequestKind } from '../tenant-data/orchestrate';
import type { TenantRequests } from '../tenant-data/tenant-requests';

const key = (tenantId: string, kind: RequestKind, id: string) => ({
  pk: `TENANT#${tenantId}`,
  sk: `${kind === 'erasure' ? 'ERASURE' : 'EXPORT'}#${id}`,
});

/** The item whose `starts` a tenant's starts of a kind move on (its version). */
const startsKey = (tenantId: string, kind: RequestKind) => ({
  pk: `TENANT#${tenantId}`,
  sk: `STARTS#${kind === 'erasure' ? 'ERASURE' : 'EXPORT'}`,
});

const isConditionFailure = (error: unknown): boolean =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

export class DynamoDataRequests implements TenantRequests {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly keptDays: number,
  ) {}

  private expiresAt(request: DataRequest): number {
    return Math.floor(Date.parse(request.requestedAt) / 1000) + this.keptDays * 86_400;
  }

  async create(request: DataRequest): Promise<boolean> {
    const expiresAt = this.expiresAt(request);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key(request.tenantId, request.kind, request.id), ...request, expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get(tenantId: string, kind: RequestKind, id: string): Promise<DataRequest | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key(tenantId, kind, id), ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, expiresAt: _expiresAt, ...request } = out.Item;
    return request as DataRequest;
  }

  async countPending(
    tenantId: string,
    kind: RequestKind,
    since: string,
  ): Promise<{ count: number; version: number }> {
    // The version first: a start recorded after it was read fails a start decided on this count.
    const starts = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: startsKey(tenantId, kind), ConsistentRead: true }),
    );
    const version = Number(starts.Item?.starts ?? 0);
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :kind)',
          FilterExpression: '#status = :pending AND #requestedAt >= :since',
          ExpressionAttributeNames: { '#status': 'status', '#requestedAt': 'requestedAt' },
          ExpressionAttributeValues: {
            ':pk': key(tenantId, kind, '').pk,
            ':kind': key(tenantId, kind, '').sk,
            ':pending': 'pending',
            ':since': since,
          },
          Select: 'COUNT',
          // Every start recorded before the version was read is seen.
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return { count, version };
  }

  async start(request: DataRequest, version: number): Promise<boolean> {
    const expiresAt = this.expiresAt(request);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...key(request.tenantId, request.kind, request.id), ...request, expiresAt },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: startsKey(request.tenantId, request.kind),
                UpdateExpression: 'SET #starts = :next, #expiresAt = :expiresAt',
                ConditionExpression: version === 0 ? 'attribute_not_exists(#starts)' : '#starts = :version',
                ExpressionAttributeNames: { '#starts': 'starts', '#expiresAt': 'expiresAt' },
                ExpressionAttributeValues: {
                  ':next': version + 1,
                  ':expiresAt': expiresAt,
                  ...(version === 0 ? {} : { ':version': version }),
                },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      const cancelled = error as { name?: string; CancellationReasons?: Array<{ Code?: string }> };
      if (cancelled.name !== 'TransactionCanceledException') throw error;
      const [put, starts] = (cancelled.CancellationReasons ?? []).map((reason) => reason.Code);
      // A fresh id (a ULID) that exists already is no race: let it fail loudly.
      if (put === 'ConditionalCheckFailed') throw error;
      // Another start moved the count on, or wrote it at the same moment (DynamoDB cancels both
      // transactions of a conflict): count again.
      if (
        starts === 'ConditionalCheckFailed' ||
        (cancelled.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict')
      )
        return false;
      throw error;
    }
  }

  async answer(
    tenantId: string,
    kind: RequestKind,
    id: string,
    service: string,
    answer: Answer,
  ): Promise<DataRequest | undefined> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(tenantId, kind, id),
          UpdateExpression: 'SET #answers.#service = :answer',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#answers': 'answers', '#service': service },
          ExpressionAttributeValues: { ':answer': answer },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes as DataRequest;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async finish(tenantId: string, kind: RequestKind, id: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(tenantId, kind, id),
          UpdateExpression: 'SET #status = :done, #doneAt = :at',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status', '#doneAt': 'doneAt' },
          ExpressionAttributeValues: { ':done': 'done', ':pending': 'pending', ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

/**
 * Deletes a tenant's API keys, found through the byTenant index (portal tokens are not in it: they
 * leave the table by TTL a day after they expire, within an hour of being made).
 */
export async function eraseTenantApiKeys(
  db: DynamoDBDocumentClient,
  tableName: string,
  tenantId: string,
): Promise<number> {
  let erased = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'byTenant',
        KeyConditionExpression: '#tenant = :tenant',
        ExpressionAttributeNames: { '#tenant': 'tenantId', '#pk': 'pk' },
        ExpressionAttributeValues: { ':tenant': tenantId },
        ProjectionExpression: '#pk',
        ExclusiveStartKey: start,
        Limit: 25,
      }),
    );
    const keys = (page.Items ?? []).map((item) => ({ DeleteRequest: { Key: { pk: item.pk } } }));
    let requests = keys;
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error('API keys left undeleted after 8 attempts');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
    erased += keys.length;
    start = page.LastEvaluatedKey;
  } while (start);
  return erased;
}
