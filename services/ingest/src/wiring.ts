/**
 * The one place the ingest functions are wired: adapters built from the environment once per
 * container, on first use, so a function only reads the variables (and creates the clients) its own
 * work needs. Each getter is marked pure so a function's bundle keeps only the adapters it uses.
 */
import { eventBridgeAuditPut } from '@herald/shared/audit-outbox';
import { countCalls } from '@herald/shared/aws/call-counter';
import { dynamoDocumentClient } from '@herald/shared/aws/dynamodb';
import { s3Client } from '@herald/shared/aws/s3';
import { secretString } from '@herald/shared/aws/secrets';
import { eventBridgeClient } from '@herald/shared/aws/eventbridge';
import { sqsClient } from '@herald/shared/aws/sqs';
import { tenantDataAdapters } from '@herald/shared/tenant-data/aws';
import type { TenantDataDeps } from '@herald/shared/tenant-data/job';
import { numberEnv, requireEnv } from '@herald/shared/env';
import { lazy } from '@herald/shared/lazy';
import { logger } from '@herald/shared/logger';
import { createEnvelopeSigner } from '@herald/shared/signing';
import { stageTenantLimits } from '@herald/shared/tenants/limits';
import { DynamoEventTypeStore } from './adapters/dynamo-event-type-store';
import { DynamoIdempotencyStore } from './adapters/dynamo-idempotency-store';
import { DynamoRateLimitStore } from './adapters/dynamo-rate-limit-store';
import { DynamoUploadStore } from './adapters/dynamo-upload-store';
import { presignPut, presigningClient, S3UploadFiles } from './adapters/s3-upload-files';
import { SqsEnvelopeQueue, type RefusedEnvelope } from './adapters/sqs-envelope-queue';
import { AwsIngestTenantStore } from './adapters/tenant-store';
import { CatalogCache } from './catalog-cache';
import type { RaiseDeps } from './operational-events';
import type { AcceptEventsPorts, AcceptEventsSettings } from './routes/accept-events';
import type { LimitSettings } from './routes/limits';
import type { CreateUploadPorts, CreateUploadSettings } from './routes/uploads';
import validateLine from './schemas/upload-line.validator.generated';
import { ingestSteps } from './tenant-data';
import type { UploadNotificationDeps, UploadNotificationSettings } from './upload-notifications';

/** Every AWS call is counted (call-counter.ts): acceptEvents and onUpload log theirs. */
const dynamo = /* @__PURE__ */ lazy(() => countCalls(dynamoDocumentClient(), 'DynamoDB'));

/** publishAudit: each event-type change's audit entry put on processing's bus as audit.recorded. */
export const auditPut = /* @__PURE__ */ lazy(() =>
  eventBridgeAuditPut(countCalls(eventBridgeClient(), 'EventBridge'), requireEnv('EVENT_BUS_NAME')),
);
const sqs = /* @__PURE__ */ lazy(() => countCalls(sqsClient(), 'SQS'));
const s3Reader = /* @__PURE__ */ lazy(() => countCalls(s3Client(), 'S3'));

/** The private signing key is read from Secrets Manager once; a failed read is tried again. */
const envelopeSigner = /* @__PURE__ */ lazy(() =>
  secretString(requireEnv('SIGNING_KEY_SECRET_ID')).then(createEnvelopeSigner),
);

const envelopeQueue = (onRefused: (refused: RefusedEnvelope[]) => void) =>
  new SqsEnvelopeQueue(sqs(), requireEnv('INBOUND_QUEUE_URL'), onRefused);

export const uploadStore = /* @__PURE__ */ lazy(
  () => new DynamoUploadStore(dynamo(), requireEnv('UPLOADS_TABLE')),
);

export const eventTypeStore = /* @__PURE__ */ lazy(
  () => new DynamoEventTypeStore(dynamo(), requireEnv('EVENT_TYPES_TABLE')),
);

/**
 * The container's copy of tenants' catalogs (catalog-cache.ts): a schema change takes effect within
 * CATALOG_TTL_SECONDS. Each compile is logged with its duration.
 */
const catalogCache = /* @__PURE__ */ lazy(
  () =>
    new CatalogCache(eventTypeStore(), {
      ttlMs: numberEnv('CATALOG_TTL_SECONDS', 60) * 1000,
      maxTenants: numberEnv('CATALOG_MAX_TENANTS', 500),
      maxValidators: numberEnv('CATALOG_MAX_VALIDATORS', 1000),
      maxCatalogBytes: numberEnv('CATALOG_MAX_BYTES', 32 * 1024 * 1024),
      maxValidatorBytes: numberEnv('CATALOG_MAX_VALIDATOR_BYTES', 16 * 1024 * 1024),
      onCompile: (details) => logger.info('Compiled an event type schema', details),
    }),
);
const catalog = (tenantId: string) => catalogCache().forTenant(tenantId);

/** The tenants' rate windows and daily counters, shared by every container (limits.ts). */
const rateLimitStore = /* @__PURE__ */ lazy(
  () => new DynamoRateLimitStore(dynamo(), requireEnv('LIMITS_TABLE')),
);

/** The stage's limits (params); a tenant's own settings, from the authorizer, take over each. */
const limitSettings = (): LimitSettings => ({
  windowSeconds: numberEnv('RATE_WINDOW_SECONDS', 1),
  defaults: {
    ingestRequestsPerSecond: numberEnv('INGEST_REQUESTS_PER_SECOND', 100),
    ingestEventsPerSecond: numberEnv('INGEST_EVENTS_PER_SECOND', 1000),
    uploadBytesPerDay: numberEnv('UPLOAD_BYTES_PER_DAY', 1024 ** 3),
  },
  tenants: stageTenantLimits(process.env.TENANT_LIMITS),
});

export const acceptEventsPorts = /* @__PURE__ */ lazy(async (): Promise<AcceptEventsPorts> => ({
  limits: rateLimitStore(),
  signer: await envelopeSigner(),
  queue: envelopeQueue((refused) => logger.error('Could not queue envelopes', { refused })),
  idempotency: new DynamoIdempotencyStore(dynamo(), requireEnv('IDEMPOTENCY_TABLE')),
  catalog,
}));

export const acceptEventsSettings = (): AcceptEventsSettings => ({
  maxBodyBytes: numberEnv('MAX_BODY_BYTES', 1024 * 1024),
  idempotencyTtlSeconds: numberEnv('IDEMPOTENCY_TTL_SECONDS', 24 * 60 * 60),
  limits: limitSettings(),
});

export const createUploadPorts = /* @__PURE__ */ lazy((): CreateUploadPorts => {
  const s3 = presigningClient();
  const bucket = requireEnv('UPLOADS_BUCKET');
  return {
    store: uploadStore(),
    presign: (request) => presignPut(s3, bucket, request),
    limits: rateLimitStore(),
  };
});

export const createUploadSettings = (): CreateUploadSettings => ({
  maxUploadBytes: numberEnv('MAX_UPLOAD_BYTES', 10 * 1024 * 1024),
  urlExpirySeconds: numberEnv('UPLOAD_URL_EXPIRY_SECONDS', 300),
  retentionDays: numberEnv('UPLOAD_RETENTION_DAYS', 7),
  limits: limitSettings(),
});

export const uploadNotificationDeps = /* @__PURE__ */ lazy(async (): Promise<UploadNotificationDeps> => ({
  signer: await envelopeSigner(),
  validateLine,
  catalog,
  store: uploadStore(),
  files: new S3UploadFiles(s3Reader(), requireEnv('UPLOADS_BUCKET')),
  // processUpload sends refused envelopes again, and fails the attempt if they stay refused.
  queue: envelopeQueue((refused) =>
    logger.warn('Could not queue envelopes; retrying', { count: refused.length, refused }),
  ),
  now: () => new Date(),
  maxAttempts: numberEnv('UPLOAD_MAX_ATTEMPTS', 3),
  raiseCompletion: true,
  warn: (message, details) => logger.warn(message, details),
}));

/** raiseOperationalEvents signs and queues as acceptEvents does; a refused envelope is retried by SQS. */
export const operationalEventDeps = /* @__PURE__ */ lazy(async (): Promise<RaiseDeps> => ({
  signer: await envelopeSigner(),
  queue: envelopeQueue((refused) => logger.warn('Could not queue an operational event', { refused })),
  now: () => new Date(),
}));

export const uploadNotificationSettings = /* @__PURE__ */ lazy((): UploadNotificationSettings => ({
  bucket: requireEnv('UPLOADS_BUCKET'),
}));

/** A tenant's export and erasure: the uploads bucket and the four tables (tenant-data.ts). */
export const tenantDataDeps = /* @__PURE__ */ lazy((): TenantDataDeps => ({
  service: 'ingest',
  ...ingestSteps(
    new AwsIngestTenantStore(dynamo(), s3Reader(), {
      bucket: requireEnv('UPLOADS_BUCKET'),
      uploads: requireEnv('UPLOADS_TABLE'),
      idempotency: requireEnv('IDEMPOTENCY_TABLE'),
      eventTypes: requireEnv('EVENT_TYPES_TABLE'),
      ...(process.env.LIMITS_TABLE ? { limits: process.env.LIMITS_TABLE } : {}),
      pageSize: numberEnv('TENANT_DATA_PAGE_SIZE', 100),
    }),
  ),
  ...tenantDataAdapters({
    s3: s3Reader(),
    sqs: sqs(),
    eventBridge: countCalls(eventBridgeClient(), 'EventBridge'),
    queueUrl: requireEnv('TENANT_DATA_QUEUE_URL'),
    busName: requireEnv('EVENT_BUS_NAME'),
  }),
  pagesPerInvocation: numberEnv('TENANT_DATA_PAGES_PER_INVOCATION', 20),
  now: () => new Date(),
}));
