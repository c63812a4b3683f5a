import type { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  deleteItems,
  deleteObjectsPage,
  queryPartitionPage,
  scanPrefixPage,
  type PartitionSpec,
} from '@herald/shared/tenant-data/aws';
import { uploadsPrefix, type IngestTenantStore } from '../tenant-data';

type Item = Record<string, unknown>;

/** Ingest's tables and uploads bucket, as a tenant's export and erasure read and delete them. */
export class AwsIngestTenantStore implements IngestTenantStore {
  readonly hasLimitsTable: boolean;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly s3: S3Client,
    private readonly names: {
      bucket: string;
      uploads: string;
      idempotency: string;
      eventTypes: string;
      limits?: string;
      /** Items a page of a partition (a scan's page is larger: most of what it reads is not the tenant's). */
      pageSize?: number;
    },
  ) {
    this.hasLimitsTable = names.limits !== undefined;
  }

  deleteUploadFiles(
    tenantId: string,
    cursor: string | undefined,
    matches: (key: string) => Promise<boolean>,
  ) {
    return deleteObjectsPage(this.s3, this.names.bucket, uploadsPrefix(tenantId), cursor, matches);
  }

  async readUploadFile(key: string): Promise<string | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.names.bucket, Key: key }));
      return await (out.Body as Readable & { transformToString(): Promise<string> }).transformToString();
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async deleteUploadRecords(tenantId: string, uploadId: string): Promise<number> {
    const spec: PartitionSpec = {
      db: this.db,
      table: this.names.uploads,
      partition: (t) => `TENANT#${t}#UPLOAD#${uploadId}`,
      attributes: [],
      pageSize: this.names.pageSize,
    };
    let erased = 0;
    let cursor: string | undefined;
    do {
      const page = await queryPartitionPage(
        spec,
        { tenantId } as Parameters<typeof queryPartitionPage>[1],
        cursor,
      );
      erased += await deleteItems(this.db, this.names.uploads, page.items);
      cursor = page.cursor;
    } while (cursor !== undefined);
    return erased;
  }

  async erasePrefixes(
    table: 'uploads' | 'idempotency' | 'limits',
    prefixes: readonly string[],
    cursor?: string,
  ) {
    const name = this.names[table];
    if (name === undefined) return { erased: 0 };
    const page = await scanPrefixPage(this.db, name, prefixes, cursor);
    // The idempotency and limits tables have a partition key alone.
    const keys = table === 'uploads' ? ['pk', 'sk'] : ['pk'];
    return { erased: await deleteItems(this.db, name, page.items, keys), cursor: page.cursor };
  }

  private catalogSpec(attributes?: readonly string[]): PartitionSpec {
    return {
      db: this.db,
      table: this.names.eventTypes,
      partition: (t) => `TENANT#${t}`,
      pageSize: this.names.pageSize,
      ...(attributes ? { attributes } : {}),
    };
  }

  async eraseCatalogPage(tenantId: string, cursor: string | undefined) {
    const page = await queryPartitionPage(this.catalogSpec([]), { tenantId } as never, cursor);
    return { erased: await deleteItems(this.db, this.names.eventTypes, page.items), cursor: page.cursor };
  }

  catalogPage(tenantId: string, cursor: string | undefined): Promise<{ items: Item[]; cursor?: string }> {
    return queryPartitionPage(this.catalogSpec(), { tenantId } as never, cursor);
  }

  uploadRecordsPage(tenantId: string, cursor: string | undefined) {
    return scanPrefixPage(this.db, this.names.uploads, [`TENANT#${tenantId}#UPLOAD#`], cursor);
  }
}
