/**
 * The API keys, audit and tenant pages' forms as request values: which scopes a new key may be
 * given, a new key's body, the audit log's filters as GET /v1/audit's query, a tenant's settings as
 * rows to show, and the typed confirmation an erasure asks for.
 */
import type { AuditQuery, NewApiKey, TenantSettings } from '@herald/client';
import { localInputToIso } from './format';

/** Scopes no key can hold (tenants:admin), or that are not Herald permissions (openid). */
const NOT_FOR_KEYS = new Set(['tenants:admin', 'openid']);

/** A key's scopes are chosen from the signed-in user's own, less those a key may never hold. */
export function grantableScopes(own: readonly string[]): string[] {
  return [...new Set(own)].filter((scope) => !NOT_FOR_KEYS.has(scope)).sort();
}

export interface KeyFormValues {
  name: string;
  scopes: readonly string[];
  /** A `<input type="datetime-local">` value; empty for a key that never expires. */
  expires: string;
  environment: 'live' | 'test';
}

export function newKeyBody(values: KeyFormValues): NewApiKey {
  const expiresAt = localInputToIso(values.expires);
  return {
    name: values.name.trim(),
    scopes: [...values.scopes],
    ...(expiresAt ? { expiresAt } : {}),
    ...(values.environment === 'test' ? { environment: 'test' as const } : {}),
  };
}

export interface AuditFilterValues {
  action: string;
  resourceType: string;
  resourceId: string;
  actor: string;
  since: string;
  until: string;
}

/** The filters set, as GET /v1/audit's query (empty ones left out; the API checks the values). */
export function auditQuery(values: AuditFilterValues, pageSize: number): AuditQuery {
  const since = localInputToIso(values.since);
  const until = localInputToIso(values.until);
  return {
    ...(values.action ? { action: values.action } : {}),
    ...(values.resourceType ? { resourceType: values.resourceType } : {}),
    ...(values.resourceType && values.resourceId.trim() ? { resourceId: values.resourceId.trim() } : {}),
    ...(values.actor.trim() ? { actor: values.actor.trim() } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    pageSize,
  } as AuditQuery;
}

const LIMIT_LABELS: Record<string, string> = {
  ingestRequestsPerSecond: 'Ingest requests a second',
  ingestEventsPerSecond: 'Ingest events a second',
  maxSubscriptions: 'Subscriptions',
  maxConcurrentReplays: 'Replays at once',
  uploadBytesPerDay: 'Upload bytes a day',
  dailyEmailCap: 'E-mails a day',
};

/** A tenant's settings as label/value rows; a setting it does not hold shows the stage's default. */
export function settingRows(settings: TenantSettings): Array<[string, string]> {
  const fallback = "the stage's default";
  return [
    ['Retention', settings.retentionDays === undefined ? fallback : `${settings.retentionDays} days`],
    [
      'Allowed destinations',
      settings.allowedDestinations === undefined ? 'all' : settings.allowedDestinations.join(', ') || 'none',
    ],
    ...Object.entries(LIMIT_LABELS).map(([key, label]): [string, string] => {
      const value = settings.limits?.[key as keyof NonNullable<TenantSettings['limits']>];
      return [label, value === undefined ? fallback : value.toLocaleString('en')];
    }),
  ];
}

/** An erasure or a deletion goes ahead only when the user typed the name it asks for, exactly. */
export function confirmed(typed: string, expected: string): boolean {
  return expected !== '' && typed.trim() === expected;
}

/**
 * GET /v1/audit's actions and resource types for the filters' choices: the API's enums, as
 * @herald/client generates them from its document.
 */
export { AUDIT_ACTIONS, AUDIT_RESOURCE_TYPES } from '@herald/client';
