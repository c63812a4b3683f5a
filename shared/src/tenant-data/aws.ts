/**
 * The AWS side of a tenant's export and erasure, the same in every service: pages of a DynamoDB
 * partition (or, for the tables not keyed by tenant partition, a filtered scan), the versions under
 * an S3 prefix, the export file, the follow-up message and the completion on the bus.
 */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchWriteCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  tenantDataEntry,
  type TenantDataDetails,
  type TenantDataDetailTypeName,
} from '../contracts/tenant-data';
import type { Continuation, ErasureStep, ExportStep, PageResult, TenantDataDeps } from './job';
import type { ErasureRequestedDetail, ExportRequestedDetail } from '../contracts/tenant-data';

type Item = Record<string, unknown>;
type Request = ErasureRequestedDetail | ExportRequestedDetail;

const encodeCursor = (key: Item | undefined): string | undefined =>
  key === undefined ? undefined : Buffer.from(JSON.stringify(key)).toString('base64url');
const decodeCursor = (cursor: string | undefined): Item | undefined =>
  cursor === undefined ? undefined : (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Item);

/** Where a step reads: one partition (by tenant) of a table, optionally the sort keys under a prefix. */
export interface PartitionSpec {
  db: DynamoDBDocumentClient;
  table: string;
  /** The partition key's value for the request's tenant. */
  partition: (tenantId: string) => string;
  sortKeyPrefix?: string;
  /** Only these attributes are read (the keys are always added). */
  attributes?: readonly string[];
  pageSize?: number;
}

/** A page of the request's partition. A cursor that names another partition is refused. */
export async function queryPartitionPage(
  spec: PartitionSpec,
  request: Request,
  cursor: string | undefined,
): Promise<{ items: Item[]; cursor?: string }> {
  const pk = spec.partition(request.tenantId);
  const start = decodeCursor(cursor);
  if (start !== undefined && start.pk !== pk) throw new Error('A tenant-data cursor names another partition');
  const names: Record<string, string> = { '#pk': 'pk' };
  let condition = '#pk = :pk';
  const values: Item = { ':pk': pk };
  if (spec.sortKeyPrefix !== undefined) {
    names['#sk'] = 'sk';
    condition += ' AND begins_with(#sk, :prefix)';
    values[':prefix'] = spec.sortKeyPrefix;
  }
  let projection: string | undefined;
  if (spec.attributes) {
    const all = [...new Set(['pk', 'sk', ...spec.attributes])];
    all.forEach((name, i) => (names[`#a${i}`] = name));
    projection = all.map((_, i) => `#a${i}`).join(', ');
  }
  const out = await spec.db.send(
    new QueryCommand({
      TableName: spec.table,
      KeyConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ProjectionExpression: projection,
      ExclusiveStartKey: start,
      Limit: spec.pageSize ?? 100,
    }),
  );
  return { items: out.Items ?? [], cursor: encodeCursor(out.LastEvaluatedKey) };
}

/**
 * A page of a table keyed per item rather than per tenant (`pk` = TENANT#<t>#...): a scan filtered on
 * the tenant's prefixes. It reads the whole table over its pages, which an erasure can afford and the
 * request path never does.
 */
export async function scanPrefixPage(
  db: DynamoDBDocumentClient,
  table: string,
  prefixes: readonly string[],
  cursor: string | undefined,
  pageSize = 500,
): Promise<{ items: Item[]; cursor?: string }> {
  const out = await db.send(
    new ScanCommand({
      TableName: table,
      FilterExpression: prefixes.map((_, i) => `begins_with(#pk, :p${i})`).join(' OR '),
      ExpressionAttributeNames: { '#pk': 'pk' },
      ExpressionAttributeValues: Object.fromEntries(prefixes.map((prefix, i) => [`:p${i}`, prefix])),
      ExclusiveStartKey: decodeCursor(cursor),
      Limit: pageSize,
    }),
  );
  return { items: out.Items ?? [], cursor: encodeCursor(out.LastEvaluatedKey) };
}

/** Deletes items by key, 25 to a BatchWriteItem, until none is left unprocessed. */
export async function deleteItems(
  db: DynamoDBDocumentClient,
  table: string,
  keys: readonly Item[],
  keyAttributes: readonly string[] = ['pk', 'sk'],
): Promise<number> {
  for (let i = 0; i < keys.length; i += 25) {
    let requests = keys.slice(i, i + 25).map((item) => ({
      DeleteRequest: { Key: Object.fromEntries(keyAttributes.map((name) => [name, item[name]])) },
    }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      if (attempt > 8) throw new Error(`${table}: deletes left unprocessed after ${attempt} attempts`);
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  }
  return keys.length;
}

/** An erasure step over one partition: deletes every item the request matches (all, by default). */
export function partitionEraser(
  name: string,
  spec: PartitionSpec,
  matches: (item: Item, request: ErasureRequestedDetail) => boolean = () => true,
): ErasureStep {
  return {
    name,
    async page(request, cursor) {
      const page = await queryPartitionPage(spec, request, cursor);
      const erased = await deleteItems(
        spec.db,
        spec.table,
        page.items.filter((item) => matches(item, request)),
      );
      return { erased, cursor: page.cursor };
    },
  };
}

/** An export step over one partition: a line per item `toLine` keeps. */
export function partitionExporter(
  name: string,
  spec: PartitionSpec,
  toLine: (item: Item) => string | undefined,
): ExportStep {
  return {
    name,
    async page(request, cursor) {
      const page = await queryPartitionPage(spec, request, cursor);
      const lines = page.items.map(toLine).filter((line): line is string => line !== undefined);
      return { lines, cursor: page.cursor };
    },
  };
}

/**
 * The objects under a prefix that `matchesKey` chooses, deleted a page (up to 1,000 listed) at a
 * time. In a versioned bucket a delete by key only hides the data behind a delete marker, so each
 * object's current version is read (HeadObject) and deleted by its version id, which removes it for
 * good. That is the whole object for a bucket whose objects are written once (the uploads bucket's
 * presigned PUT carries If-None-Match: *); an older version of an overwritten object would be left
 * to the bucket's lifecycle (noncurrent versions expire).
 */
export async function deleteObjectsPage(
  s3: S3Client,
  bucket: string,
  prefix: string,
  cursor: string | undefined,
  matchesKey: (key: string) => boolean | Promise<boolean> = () => true,
  options: { versioned?: boolean } = {},
): Promise<PageResult & { erased: number }> {
  const out = await s3.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: cursor, MaxKeys: 1000 }),
  );
  let erased = 0;
  for (const { Key } of out.Contents ?? []) {
    if (Key === undefined || !(await matchesKey(Key))) continue;
    // An unversioned bucket (`versioned: false`) deletes by key, without reading the object first.
    const version =
      options.versioned === false
        ? undefined
        : (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key }))).VersionId;
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key, VersionId: version }));
    erased += 1;
  }
  return { erased, cursor: out.IsTruncated ? out.NextContinuationToken : undefined };
}

/** The ports every service's runner shares, from its clients and its own queue. */
export function tenantDataAdapters(clients: {
  s3: S3Client;
  sqs: SQSClient;
  eventBridge: EventBridgeClient;
  queueUrl: string;
  busName: string;
}): Pick<TenantDataDeps, 'writeFile' | 'continueLater' | 'publishErasureCompleted' | 'publishExportWritten'> {
  const publish = async <T extends TenantDataDetailTypeName>(type: T, detail: TenantDataDetails[T]) => {
    const out = await clients.eventBridge.send(
      new PutEventsCommand({
        Entries: [{ ...tenantDataEntry(type, detail), EventBusName: clients.busName }],
      }),
    );
    if (out.FailedEntryCount) {
      throw new Error(`${type} not put on the bus: ${out.Entries?.[0]?.ErrorCode ?? 'unknown error'}`);
    }
  };
  return {
    async writeFile(bucket, key, body) {
      await clients.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/x-ndjson' }),
      );
    },
    async continueLater(message: Continuation) {
      await clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: clients.queueUrl,
          MessageBody: JSON.stringify(message),
          // Fair queues: one tenant's long job does not hold up another's.
          MessageGroupId: message.job.request.tenantId,
        }),
      );
    },
    publishErasureCompleted: (detail) => publish('tenant.erasure.completed', detail),
    publishExportWritten: (detail) => publish('tenant.export.written', detail),
  };
}
