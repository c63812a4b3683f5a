/**
 * The one place the tenants functions are wired: the adapters each function needs, built once per
 * container from its environment. Every getter is lazy: a function only reads the variables (and
 * creates the clients) its own work uses, which is also all its IAM role allows.
 */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { authConfig } from '@herald/shared/auth-config';
import { dynamoDocumentClient } from '@herald/shared/aws/dynamodb';
import { eventBridgeClient } from '@herald/shared/aws/eventbridge';
import { s3Client } from '@herald/shared/aws/s3';
import { tenantDataEntry, type TenantDataDetails } from '@herald/shared/contracts/tenant-data';
import { requireEnv } from '@herald/shared/env';
import { lazy } from '@herald/shared/lazy';
import { DEFAULT_ALGORITHMS, keySetFor } from '@herald/shared/middleware/auth';
import { CLOCK_TOLERANCE_SECONDS, REQUIRED_CLAIMS, verifyJwt } from '@herald/shared/middleware/jwt';
import { DynamoApiKeyStore } from './adapters/dynamo-api-key-store';
import { DynamoAuditLog } from './adapters/dynamo-audit-log';
import { DynamoDataRequests, eraseTenantApiKeys } from './adapters/dynamo-data-requests';
import { eraseTenantExports, presignExportFile } from './adapters/s3-exports';
import { DynamoTenantStore } from './adapters/dynamo-tenant-store';
import { EventBridgeTenantEvents } from './adapters/eventbridge-tenant-events';
import { auditRetentionDays, recordAuditEntry, type AuditChain, type RecordDeps } from './audit/record';
import { createAuthorizer, type Authorizer } from './authorizer/authorize';
import type { OrchestrateDeps } from './tenant-data/orchestrate';
import type { TenantRequestDeps } from './tenant-data/tenant-requests';

// The audit table where the function's environment names it: its changes are written with their
// entries (the functions that record them; their roles may append to it).
export const tenantStore = /* @__PURE__ */ lazy(
  () => new DynamoTenantStore(dynamoDocumentClient(), requireEnv('TENANTS_TABLE'), process.env.AUDIT_TABLE),
);
export const apiKeyStore = /* @__PURE__ */ lazy(
  () => new DynamoApiKeyStore(dynamoDocumentClient(), requireEnv('API_KEYS_TABLE'), process.env.AUDIT_TABLE),
);
export const tenantEvents = /* @__PURE__ */ lazy(
  () => new EventBridgeTenantEvents(eventBridgeClient(), requireEnv('EVENT_BUS_NAME')),
);

/** The JWT check of the auth middleware (same issuer, audience, key set, algorithms and rules). */
function jwtVerifier() {
  const config = authConfig();
  const keySet = keySetFor(config.jwks);
  const options = {
    issuer: config.issuer,
    audience: config.audience,
    algorithms: DEFAULT_ALGORITHMS,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: REQUIRED_CLAIMS,
  };
  return { verify: (token: string) => verifyJwt(token, keySet, options), tenantClaim: config.tenantClaim };
}

export const authorizer = /* @__PURE__ */ lazy((): Authorizer => {
  const jwt = jwtVerifier();
  return createAuthorizer({
    keys: apiKeyStore(),
    tenants: tenantStore(),
    verifyJwt: jwt.verify,
    tenantClaim: jwt.tenantClaim,
    autoCreateTenants: process.env.AUTO_CREATE_TENANTS === 'true',
    // Only where tenants are made on first use: the stages without it never record here.
    ...(process.env.AUTO_CREATE_TENANTS === 'true' ? { chain: auditChain() } : {}),
  });
});

/**
 * The routes that only read tenants or keys: the store alone, so they bundle neither the bus's
 * contracts nor the audit log's adapter, which the getters below would bring in unused.
 */
export const tenantReads = /* @__PURE__ */ lazy(() => ({ store: tenantStore() }));
export const keyReads = /* @__PURE__ */ lazy(() => ({ store: apiKeyStore() }));

/** The bus is reached only by the functions that publish (and whose role and environment name it). */
export const operatorDeps = /* @__PURE__ */ lazy(() => ({
  store: tenantStore(),
  get events() {
    return tenantEvents();
  },
  get chain() {
    return auditChain();
  },
}));

export const keyDeps = /* @__PURE__ */ lazy(() => ({
  store: apiKeyStore(),
  consoleUrl: process.env.CONSOLE_URL ?? '',
  get chain() {
    return auditChain();
  },
}));

/** The audit table: listAudit reads it, recordAudit appends to it (its only write, PutItem). */
export const auditLog = /* @__PURE__ */ lazy(
  () => new DynamoAuditLog(dynamoDocumentClient(), requireEnv('AUDIT_TABLE')),
);

/**
 * This service's own changes, recorded in their write: the chain's head, and each entry kept for
 * its tenant's retention (the setting the change reads, never below the stage's floor).
 */
export const auditChain = /* @__PURE__ */ lazy((): AuditChain => {
  const stage = {
    defaultDays: Number(requireEnv('AUDIT_RETENTION_DAYS')),
    minimumDays: Number(requireEnv('AUDIT_MIN_RETENTION_DAYS')),
  };
  return {
    head: (tenantId) => auditLog().head(tenantId),
    retentionDays: (settings) => auditRetentionDays(settings, stage),
    now: () => new Date(),
  };
});

/** recordAudit: each entry kept for its tenant's retention (its setting, never below the stage's floor). */
export const recordDeps = /* @__PURE__ */ lazy((): RecordDeps => ({
  log: auditLog(),
  retentionDays: async (tenantId) =>
    auditRetentionDays((await tenantStore().get(tenantId))?.settings, {
      defaultDays: Number(requireEnv('AUDIT_RETENTION_DAYS')),
      minimumDays: Number(requireEnv('AUDIT_MIN_RETENTION_DAYS')),
    }),
  now: () => new Date(),
}));

/** A tenant's export and erasure: the requests' records, the tenant's keys, the bus, the audit log. */
export const orchestrateDeps = /* @__PURE__ */ lazy((): OrchestrateDeps => ({
  requests: new DynamoDataRequests(
    dynamoDocumentClient(),
    requireEnv('DATA_REQUESTS_TABLE'),
    Number(requireEnv('DATA_REQUESTS_KEPT_DAYS')),
  ),
  eraseExports: (tenantId) => eraseTenantExports(s3Client(), requireEnv('EXPORT_BUCKET'), tenantId),
  eraseApiKeys: (tenantId) =>
    eraseTenantApiKeys(dynamoDocumentClient(), requireEnv('API_KEYS_TABLE'), tenantId),
  async requestErasure(detail) {
    const out = await eventBridgeClient().send(
      new PutEventsCommand({
        Entries: [
          {
            ...tenantDataEntry('tenant.erasure.requested', detail),
            EventBusName: requireEnv('EVENT_BUS_NAME'),
          },
        ],
      }),
    );
    if ((out.FailedEntryCount ?? 0) > 0) {
      throw new Error(`The bus refused tenant.erasure.requested: ${out.Entries?.[0]?.ErrorCode ?? ''}`);
    }
  },
  recordAudit: (entry) => recordAuditEntry(entry, recordDeps()),
  now: () => new Date(),
}));

/** Puts one tenant-data request on processing's bus, as herald.tenants. */
async function putTenantData<T extends 'tenant.erasure.requested' | 'tenant.export.requested'>(
  type: T,
  detail: TenantDataDetails[T],
): Promise<void> {
  const out = await eventBridgeClient().send(
    new PutEventsCommand({
      Entries: [{ ...tenantDataEntry(type, detail), EventBusName: requireEnv('EVENT_BUS_NAME') }],
    }),
  );
  if ((out.FailedEntryCount ?? 0) > 0) {
    throw new Error(`The bus refused ${type}: ${out.Entries?.[0]?.ErrorCode ?? ''}`);
  }
}

/** A tenant's own export and erasure routes: the requests' records, the bus, signed links, the audit log. */
export const tenantRequestDeps = /* @__PURE__ */ lazy((): TenantRequestDeps => {
  const bucket = requireEnv('EXPORT_BUCKET');
  return {
    requests: new DynamoDataRequests(
      dynamoDocumentClient(),
      requireEnv('DATA_REQUESTS_TABLE'),
      Number(requireEnv('DATA_REQUESTS_KEPT_DAYS')),
    ),
    exportBucket: bucket,
    requestExport: (detail) => putTenantData('tenant.export.requested', detail),
    requestErasure: (detail) => putTenantData('tenant.erasure.requested', detail),
    presign: (key, seconds) => presignExportFile(s3Client(), bucket, key, seconds),
    recordAudit: (entry) => recordAuditEntry(entry, recordDeps()),
    now: () => new Date(),
  };
});
