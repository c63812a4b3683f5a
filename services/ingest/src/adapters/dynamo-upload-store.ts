import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BeginResult, Rejection, UploadOutcome, UploadRecord, UploadStore } from '../uploads';

/**
 * The uploads table. Each upload is its own partition, which starts with the tenant, so a lookup
 * built from a token's tenant can only reach that tenant's uploads:
 *
 *   pk = TENANT#<tenant>#UPLOAD#<id>   sk = UPLOAD            the upload and its summary
 *                                      sk = REJECTED#<page>   one page of its rejected lines
 */
const partition = (tenantId: string, uploadId: string) => `TENANT#${tenantId}#UPLOAD#${uploadId}`;
const RECORD = 'UPLOAD';
const page = (n: number) => `REJECTED#${String(n).padStart(6, '0')}`;

export class DynamoUploadStore implements UploadStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(record: UploadRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: partition(record.tenantId, record.uploadId), sk: RECORD, ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(tenantId: string, uploadId: string): Promise<UploadRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: partition(tenantId, uploadId), sk: RECORD } }),
    );
    return out.Item ? strip<UploadRecord>(out.Item) : undefined;
  }

  async begin(tenantId: string, uploadId: string, now: Date): Promise<BeginResult> {
    const Key = { pk: partition(tenantId, uploadId), sk: RECORD };
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression:
            'SET #status = :processing, startedAt = if_not_exists(startedAt, :now) ADD attempts :one',
          ConditionExpression: 'attribute_exists(pk) AND #status IN (:pending, :processing)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':processing': 'processing',
            ':pending': 'pending',
            ':now': now.toISOString(),
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { state: 'started', record: strip<UploadRecord>(out.Attributes!) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const record = await this.get(tenantId, uploadId);
    return record ? { state: 'finished', record } : { state: 'unknown' };
  }

  async putRejections(
    tenantId: string,
    uploadId: string,
    n: number,
    rejections: readonly Rejection[],
  ): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: partition(tenantId, uploadId), sk: page(n), rejections },
      }),
    );
  }

  async getRejections(tenantId: string, uploadId: string, n: number): Promise<Rejection[] | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: partition(tenantId, uploadId), sk: page(n) } }),
    );
    return out.Item ? (out.Item.rejections as Rejection[]) : undefined;
  }

  async finish(tenantId: string, uploadId: string, outcome: UploadOutcome, now: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: partition(tenantId, uploadId), sk: RECORD },
        UpdateExpression:
          'SET #status = :status, summary = :summary, rejectionPages = :pages, completedAt = :now' +
          (outcome.failure === undefined ? '' : ', failure = :failure'),
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': outcome.status,
          ':summary': outcome.summary,
          ':pages': outcome.rejectionPages,
          ':now': now.toISOString(),
          ...(outcome.failure === undefined ? {} : { ':failure': outcome.failure }),
        },
      }),
    );
  }
}

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}
