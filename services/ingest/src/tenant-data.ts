/**
 * What ingest holds of a tenant, for its export and erasure (the runner is
 * @herald/shared/tenant-data/job):
 *
 * - the uploads bucket: uploads/<tenant>/<upload id>.ndjson (versioned: each file, written once, is
 *   deleted by its version id, or the delete would only hide it behind a delete marker);
 * - the uploads table: pk TENANT#<tenant>#UPLOAD#<id>, the upload and its pages of rejected lines;
 * - the idempotency table: pk TENANT#<tenant>#KEY#<key>, the ids a request chose (a day);
 * - the event-types table: the tenant's catalog, partition TENANT#<tenant>;
 * - the limits table, where the stage has one: RATE#<tenant>#... and QUOTA#<tenant>#... counters.
 *
 * The uploads, idempotency and limits tables are keyed per item, not per tenant partition, so their
 * steps scan with a filter on the tenant's prefix (paged, the whole table over the pages).
 *
 * A subject's erasure: an uploaded file holding a line whose `subject` is the subject is deleted
 * with its upload record and rejected lines, since its other lines cannot be cut
 * out without writing the file again, which would upload it again; and every idempotency record of
 * the tenant goes, since a record holds the ids a request chose and ingest cannot tell which of them
 * were the subject's events (those are processing's to know). The price: a producer retrying a
 * request within a day of a subject erasure has it treated as new (its events get new ids unless it
 * gave its own). The catalog and the counters hold no event and stay.
 */
import type { ErasureRequestedDetail } from '@herald/shared/contracts/tenant-data';
import type { ErasureStep, ExportStep, PageResult } from '@herald/shared/tenant-data/job';
import { UPLOAD_PREFIX } from './uploads';

type Item = Record<string, unknown>;

/** Whether an NDJSON file has a line that is an event with this subject. */
export function fileHasSubject(text: string, subject: string): boolean {
  const needle = JSON.stringify(subject).slice(1, -1);
  for (const line of text.split('\n')) {
    // Cheap test first: a line without the subject's text cannot name it.
    if (!line.includes(needle) && !line.includes('\\u')) continue;
    try {
      if ((JSON.parse(line) as { subject?: unknown }).subject === subject) return true;
    } catch {
      // A line that is not JSON is no event (the upload's report rejected it).
    }
  }
  return false;
}

export const uploadsPrefix = (tenantId: string) => `${UPLOAD_PREFIX}${tenantId}/`;
/** The upload id of an object key uploads/<tenant>/<id>.ndjson. */
export const uploadIdOf = (key: string) => key.slice(key.lastIndexOf('/') + 1).replace(/\.ndjson$/, '');

/** What the steps need of ingest's tables and bucket. */
export interface IngestTenantStore {
  /** A page of versions under the tenant's upload prefix, deleted when `matches` says so. */
  deleteUploadFiles(
    tenantId: string,
    cursor: string | undefined,
    matches: (key: string) => Promise<boolean>,
  ): Promise<PageResult & { erased: number }>;
  readUploadFile(key: string): Promise<string | undefined>;
  /** Deletes an upload's record and pages of rejected lines; how many items. */
  deleteUploadRecords(tenantId: string, uploadId: string): Promise<number>;
  /** A page of a per-item-keyed table's items under the prefixes, deleted; how many. */
  erasePrefixes(
    table: 'uploads' | 'idempotency' | 'limits',
    prefixes: readonly string[],
    cursor: string | undefined,
  ): Promise<PageResult & { erased: number }>;
  eraseCatalogPage(tenantId: string, cursor: string | undefined): Promise<PageResult & { erased: number }>;
  catalogPage(tenantId: string, cursor: string | undefined): Promise<PageResult & { items: Item[] }>;
  uploadRecordsPage(tenantId: string, cursor: string | undefined): Promise<PageResult & { items: Item[] }>;
  hasLimitsTable: boolean;
}

const nothing = async () => ({ erased: 0 });
const wholeTenant = (request: ErasureRequestedDetail) => request.scope === 'tenant';

export function ingestSteps(store: IngestTenantStore): {
  erasureSteps: ErasureStep[];
  exportSteps: ExportStep[];
} {
  const erasureSteps: ErasureStep[] = [
    {
      name: 'uploads-bucket',
      async page(request, cursor) {
        if (wholeTenant(request)) return store.deleteUploadFiles(request.tenantId, cursor, async () => true);
        const subject = request.subject!;
        return store.deleteUploadFiles(request.tenantId, cursor, async (key) => {
          const text = await store.readUploadFile(key);
          // A file gone since the listing has nothing left to erase.
          if (text === undefined || !fileHasSubject(text, subject)) return false;
          await store.deleteUploadRecords(request.tenantId, uploadIdOf(key));
          return true;
        });
      },
    },
    {
      name: 'uploads',
      page: (request, cursor) =>
        wholeTenant(request)
          ? store.erasePrefixes('uploads', [`TENANT#${request.tenantId}#UPLOAD#`], cursor)
          : nothing(),
    },
    {
      name: 'idempotency',
      page: (request, cursor) =>
        store.erasePrefixes('idempotency', [`TENANT#${request.tenantId}#KEY#`], cursor),
    },
    {
      name: 'event-types',
      page: (request, cursor) =>
        wholeTenant(request) ? store.eraseCatalogPage(request.tenantId, cursor) : nothing(),
    },
  ];
  if (store.hasLimitsTable) {
    erasureSteps.push({
      name: 'limits',
      page: (request, cursor) =>
        wholeTenant(request)
          ? store.erasePrefixes('limits', [`RATE#${request.tenantId}#`, `QUOTA#${request.tenantId}#`], cursor)
          : nothing(),
    });
  }
  const strip = ({ pk: _pk, sk: _sk, expiresAt: _expiresAt, ...rest }: Item) => rest;
  return {
    erasureSteps,
    exportSteps: [
      {
        name: 'event-types',
        async page(request, cursor) {
          const page = await store.catalogPage(request.tenantId, cursor);
          return { lines: page.items.map((item) => JSON.stringify(strip(item))), cursor: page.cursor };
        },
      },
      {
        name: 'uploads',
        async page(request, cursor) {
          const page = await store.uploadRecordsPage(request.tenantId, cursor);
          return {
            lines: page.items
              .filter((item) => item.sk === 'UPLOAD')
              .map((item) => JSON.stringify(strip(item))),
            cursor: page.cursor,
          };
        },
      },
    ],
  };
}
