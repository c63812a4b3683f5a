/**
 * What the tenants service's authorizer (`services/tenants`, function `authorize`) tells every
 * HTTP function about its caller. API Gateway hands it to the function as
 * `event.requestContext.authorizer.lambda`; the local cloud's HTTP front does the same through
 * serverless-offline. API Gateway caches it per Authorization header for the authorizer's TTL, so
 * everything here is a property of the credential and its tenant, never of the request.
 *
 * The authorizer answers `isAuthorized: true` for every request that carries an Authorization
 * header and puts its verdict here: the function turns a refusal into the project's
 * `application/problem+json` 401/403 with its RFC 6750 challenge (API Gateway's own refusals have
 * a fixed body), and records it in the security log with the route.
 *
 * Values are flat strings, numbers and booleans (what API Gateway passes on); lists and settings are
 * encoded as documented beside each field.
 */

/** A tenant's limits; a missing one takes the stage's default (each service's params). */
export interface TenantLimits {
  /** ingest: requests a second (token bucket shared across containers). */
  ingestRequestsPerSecond: number;
  /** ingest: events a second (a batch of 100 counts 100). */
  ingestEventsPerSecond: number;
  /** notifications: subscriptions, whatever their status. */
  maxSubscriptions: number;
  /** notifications: replays running at once. */
  maxConcurrentReplays: number;
  /** ingest: bytes uploaded (NDJSON) per UTC day. */
  uploadBytesPerDay: number;
  /** notifications: e-mails sent per UTC day. */
  dailyEmailCap: number;
}

export type DestinationKind = 'webhook' | 'email' | 'aws';

export interface TenantSettings {
  limits?: Partial<TenantLimits>;
  /** Days stored events and delivery history are kept (at most the stage's). */
  retentionDays?: number;
  /** Destination kinds the tenant may subscribe with; all when absent. */
  allowedDestinations?: DestinationKind[];
}

export type CredentialKind = 'jwt' | 'api_key';

export interface AuthorizerContext {
  /** The contract's version: a consumer refuses a version it does not know. */
  v: 1;
  outcome: 'allow' | 'refuse';
  /**
   * refuse: why, one of the auth middleware's failure reasons (e.g. `token_expired`,
   * `invalid_signature`, `invalid_tenant`) or the tenants service's own: `unknown_key`,
   * `key_revoked`, `key_expired`, `unknown_tenant`, `tenant_suspended`.
   */
  reason?: string;
  /** 401 or 403 for a refusal. */
  status?: number;
  credential?: CredentialKind;
  tenantId?: string;
  /** The JWT's `sub`, or `key:<keyId>` for an API key. */
  subject?: string;
  /** Granted scopes, space-separated. */
  scopes?: string;
  /** The API key's id (never the key), when the credential is one. */
  keyId?: string;
  /** When the credential stops being valid, epoch seconds: the function checks it, as the cache may outlive it. */
  expiresAt?: number;
  /** The tenant's settings, JSON of `TenantSettings`. */
  settings?: string;
}
