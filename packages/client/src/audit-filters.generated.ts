// Written by `npm run openapi` (scripts/openapi/client-types.ts) from openapi/herald.openapi.json:
// its query parameters' enums. Do not edit: change the sources of the document and run it again.

import type { operations } from './herald-api.generated';

/** GET /v1/audit's `action` values. */
export const AUDIT_ACTIONS = [
  'subscription.created',
  'subscription.updated',
  'subscription.deleted',
  'subscription.paused',
  'subscription.resumed',
  'subscription.secret_rotated',
  'replay.started',
  'delivery.redelivered',
  'event_type.put',
  'event_type.deprecated',
  'api_key.created',
  'api_key.revoked',
  'tenant.created',
  'tenant.settings_updated',
  'tenant.suspended',
  'tenant.resumed',
  'tenant.deleted',
  'tenant.export_requested',
  'tenant.erasure_requested',
  'tenant.erasure_completed',
  'portal_token.created',
] as const satisfies ReadonlyArray<
  NonNullable<NonNullable<operations['listAuditEntries']['parameters']['query']>['action']>
>;

/** GET /v1/audit's `resourceType` values. */
export const AUDIT_RESOURCE_TYPES = [
  'subscription',
  'replay',
  'delivery',
  'event_type',
  'api_key',
  'tenant',
  'portal_token',
] as const satisfies ReadonlyArray<
  NonNullable<NonNullable<operations['listAuditEntries']['parameters']['query']>['resourceType']>
>;
