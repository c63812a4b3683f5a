/**
 * Bulk uploads: POST /v1/uploads hands out a presigned PUT URL for one NDJSON file under the
 * tenant's prefix; the file's arrival triggers onUpload (process-upload.ts), which records a report;
 * GET /v1/uploads/{id} shows it. This module is the upload record, its object key and its views.
 */
import { decodeCursor, encodeCursor } from '@herald/shared/cursor';
import type { CreateUploadBody } from './schemas/create-upload.types.generated';
import type { Upload as UploadView } from './schemas/responses.types.generated';

export const UPLOAD_CONTENT_TYPE = 'application/x-ndjson';
/** Rejected lines are stored, and listed by GET, in pages of this many. */
export const REJECTIONS_PER_PAGE = 500;

/**
 * `pending`: waiting for the file. `processing`: the file arrived and is being read. `completed`: every
 * line was read, valid events queued, the others reported. `rejected`: the file as a whole was refused
 * (not the size declared, wrong type); nothing was sent. `failed`: reading stopped on an error after
 * every attempt; see `failure`.
 */
export type UploadStatus = UploadView['status'];

type UploadReport = NonNullable<UploadView['report']>;

/** The counts of a report as stored: `lines` counts every line read, blank ones included. */
export type UploadSummary = Omit<UploadReport, 'rejections' | 'nextCursor'>;

/** A rejected line, stored and shown as GET /v1/uploads/{id} lists it. */
export type Rejection = UploadReport['rejections'][number];

export interface UploadRecord {
  tenantId: string;
  uploadId: string;
  status: UploadStatus;
  /** The size the client declared, bound into the presigned URL: the file is exactly this long. */
  size: number;
  /** Of the POST /v1/uploads request; carried by every event of the file. */
  correlationId: string;
  createdAt: string;
  urlExpiresAt: string;
  /** Epoch seconds; DynamoDB's TTL removes the record (the bucket's lifecycle removes the file). */
  expiresAt: number;
  attempts?: number;
  startedAt?: string;
  completedAt?: string;
  summary?: UploadSummary;
  /** How many pages of rejections are stored. */
  rejectionPages?: number;
  /** Why the file was rejected or processing failed; never a line's content. */
  failure?: string;
}

export type BeginResult =
  | { state: 'started'; record: UploadRecord }
  /** Already completed, rejected or failed: a repeated notification. */
  | { state: 'finished'; record: UploadRecord }
  | { state: 'unknown' };

export interface UploadOutcome {
  status: Exclude<UploadStatus, 'pending' | 'processing'>;
  summary: UploadSummary;
  rejectionPages: number;
  failure?: string;
}

/** The upload records (one per upload, plus its pages of rejected lines). */
export interface UploadStore {
  create(record: UploadRecord): Promise<void>;
  get(tenantId: string, uploadId: string): Promise<UploadRecord | undefined>;
  /** Moves a pending or processing upload to processing and counts the attempt. */
  begin(tenantId: string, uploadId: string, now: Date): Promise<BeginResult>;
  putRejections(
    tenantId: string,
    uploadId: string,
    page: number,
    rejections: readonly Rejection[],
  ): Promise<void>;
  getRejections(tenantId: string, uploadId: string, page: number): Promise<Rejection[] | undefined>;
  finish(tenantId: string, uploadId: string, outcome: UploadOutcome, now: Date): Promise<void>;
}

/**
 * Every file sits under its tenant's prefix and is named by its upload id, so the key alone says
 * whose it is, and a presigned URL for one upload can write nowhere else.
 */
export const UPLOAD_PREFIX = 'uploads/';
export const UPLOAD_SUFFIX = '.ndjson';

export const uploadObjectKey = (tenantId: string, uploadId: string): string =>
  `${UPLOAD_PREFIX}${tenantId}/${uploadId}${UPLOAD_SUFFIX}`;

const OBJECT_KEY = /^uploads\/([A-Za-z0-9_-]{1,64})\/([0-9A-HJKMNP-TV-Z]{26})\.ndjson$/;

export function parseUploadObjectKey(key: string): { tenantId: string; uploadId: string } | undefined {
  const match = OBJECT_KEY.exec(key);
  return match ? { tenantId: match[1]!, uploadId: match[2]! } : undefined;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LINE_DIGITS = 6;
export const MAX_LINES = 32 ** LINE_DIGITS - 1;

/**
 * The id of a line that brings none: a ULID made of the upload id's time and first 50 random bits,
 * then the line number. The same line of the same upload always gets the same id, so reading a file
 * again after a failure stores nothing twice; ids still sort by upload time, then by line.
 */
export function lineEventId(uploadId: string, line: number): string {
  if (!Number.isSafeInteger(line) || line < 1 || line > MAX_LINES) {
    throw new RangeError(`line ${line} is outside 1-${MAX_LINES}`);
  }
  let suffix = '';
  for (let rest = line, i = 0; i < LINE_DIGITS; i++, rest = Math.floor(rest / 32)) {
    suffix = CROCKFORD[rest % 32] + suffix;
  }
  return uploadId.slice(0, 26 - LINE_DIGITS) + suffix;
}

/** The page cursor of GET /v1/uploads/{id}: opaque to clients, a page number to us. */
export const pageCursor = (page: number): string => encodeCursor([String(page)]);

export function pageOfCursor(cursor: string): number | undefined {
  let page: string;
  try {
    [page] = decodeCursor(cursor, 1) as [string];
  } catch {
    return undefined; // InvalidCursor: decodeCursor throws nothing else
  }
  return /^\d{1,9}$/.test(page) ? Number(page) : undefined;
}

/** What GET /v1/uploads/{id} shows: the record and one page of its rejected lines. */
export function uploadView(record: UploadRecord, page: number, rejections: readonly Rejection[]): UploadView {
  const view: UploadView = {
    id: record.uploadId,
    status: record.status,
    size: record.size,
    createdAt: record.createdAt,
  };
  if (record.status === 'pending') view.uploadUrlExpiresAt = record.urlExpiresAt;
  if (record.startedAt) view.startedAt = record.startedAt;
  if (record.completedAt) view.completedAt = record.completedAt;
  if (record.failure) view.failure = record.failure;
  if (record.summary) {
    const pages = record.rejectionPages ?? 0;
    view.report = {
      ...record.summary,
      rejections: [...rejections],
      ...(page + 1 < pages ? { nextCursor: pageCursor(page + 1) } : {}),
    };
  }
  return view;
}

export type GetUploadResult =
  { kind: 'found'; view: UploadView } | { kind: 'not-found' } | { kind: 'invalid-cursor' };

/** GET /v1/uploads/{id}: every key is built from the caller's tenant, so others' uploads are not found. */
export async function getUpload(
  tenantId: string,
  uploadId: string,
  cursor: string | undefined,
  store: UploadStore,
): Promise<GetUploadResult> {
  const page = cursor === undefined ? 0 : pageOfCursor(cursor);
  if (page === undefined) return { kind: 'invalid-cursor' };
  const record = await store.get(tenantId, uploadId);
  if (!record) return { kind: 'not-found' };
  const pages = record.rejectionPages ?? 0;
  if (page > 0 && page >= pages) return { kind: 'invalid-cursor' };
  const rejections = pages > 0 ? ((await store.getRejections(tenantId, uploadId, page)) ?? []) : [];
  return { kind: 'found', view: uploadView(record, page, rejections) };
}

export interface CreateUploadDeps {
  store: UploadStore;
  presign: (request: {
    key: string;
    contentType: string;
    size: number;
    expiresInSeconds: number;
  }) => Promise<{
    url: string;
    headers: Record<string, string>;
  }>;
  newId: () => string;
  now: () => Date;
  maxUploadBytes: number;
  urlExpirySeconds: number;
  retentionDays: number;
}

export type CreateUploadResult =
  | { kind: 'created'; record: UploadRecord; url: string; headers: Record<string, string> }
  | { kind: 'too-large'; maxUploadBytes: number };

export async function createUpload(
  request: CreateUploadBody,
  caller: { tenantId: string; correlationId: string },
  deps: CreateUploadDeps,
): Promise<CreateUploadResult> {
  if (request.size > deps.maxUploadBytes) return { kind: 'too-large', maxUploadBytes: deps.maxUploadBytes };
  const now = deps.now();
  const uploadId = deps.newId();
  const record: UploadRecord = {
    tenantId: caller.tenantId,
    uploadId,
    status: 'pending',
    size: request.size,
    correlationId: caller.correlationId,
    createdAt: now.toISOString(),
    urlExpiresAt: new Date(now.getTime() + deps.urlExpirySeconds * 1000).toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + deps.retentionDays * 86_400,
  };
  // The record first: a file can only ever arrive for an upload that is already known.
  await deps.store.create(record);
  const { url, headers } = await deps.presign({
    key: uploadObjectKey(caller.tenantId, uploadId),
    contentType: UPLOAD_CONTENT_TYPE,
    size: request.size,
    expiresInSeconds: deps.urlExpirySeconds,
  });
  return { kind: 'created', record, url, headers };
}
