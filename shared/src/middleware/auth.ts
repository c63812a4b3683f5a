import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { authConfig } from '../auth-config';
import type { AuthConfig, JwksSource } from '../auth-config';
import { logger } from '../logger';
import { createMetrics, MetricUnit, type Metrics } from '../metrics';
import { HttpProblem, problemType } from '../problem';
import type { CredentialKind, TenantSettings } from '../tenants/authorizer-context';
import { getHeader } from './headers';
import { localKeySet, remoteKeySet } from './jwks';
import {
  JwtError,
  verifyJwt,
  type JwtFailure,
  type JwtPayload,
  type JwtVerifyOptions,
  type KeySet,
} from './jwt';

export interface AuthContext {
  tenantId: string;
  /** The JWT's `sub`, or `key:<keyId>` for an API key. */
  subject: string;
  scopes: readonly string[];
  credential: CredentialKind;
  /** The API key's id (never the key), when the credential is one. */
  keyId?: string;
  /**
   * The tenant's settings, as the tenants service's authorizer read them (its limits, retention,
   * destinations); absent when no authorizer ran (a JWT verified here alone), and then every
   * setting takes the stage's default.
   */
  settings?: TenantSettings;
}

export interface AuthOptions {
  /** Every one of these scopes must be granted to the token. */
  scopes?: readonly string[];
  /** Defaults to the container's config read from the environment. */
  config?: AuthConfig;
  algorithms?: readonly string[];
}

type AuthRequestContext = Context & { auth?: AuthContext };

export const DEFAULT_ALGORITHMS: readonly string[] = ['RS256', 'ES256', 'EdDSA', 'PS256'];
const ASYMMETRIC_ALGORITHM = /^(RS|PS|ES)(256|384|512)$|^ES256K$|^(EdDSA|Ed25519)$/;
const CLOCK_TOLERANCE_SECONDS = 30;
const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;
// RFC 6750 b64token; anything else in the header is not a bearer token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
// RFC 6749 scope-token: printable ASCII without space, quote or backslash.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const REALM = 'Bearer realm="herald"';

type FailureReason =
  'missing_authorization' | 'malformed_authorization' | JwtFailure | 'invalid_subject' | 'invalid_tenant';

const DESCRIPTIONS: Partial<Record<FailureReason, string>> = {
  token_expired: 'The access token expired',
  token_not_yet_valid: 'The access token is not yet valid',
  malformed_authorization: 'The Authorization header must carry a Bearer token',
};

// One key set per container: a remote set caches fetched keys between invocations.
const keySets = new Map<string, KeySet>();

export function keySetFor(source: JwksSource): KeySet {
  const cacheKey = 'url' in source ? source.url.href : JSON.stringify(source.keys);
  let keySet = keySets.get(cacheKey);
  if (!keySet) {
    keySet = 'url' in source ? remoteKeySet(source.url) : localKeySet(source.keys);
    keySets.set(cacheKey, keySet);
  }
  return keySet;
}

function checkAlgorithms(algorithms: readonly string[]): string[] {
  if (algorithms.length === 0) throw new Error('auth: at least one algorithm must be allowed');
  for (const alg of algorithms) {
    if (!ASYMMETRIC_ALGORITHM.test(alg))
      throw new Error(`auth: algorithm ${alg} is not an asymmetric JWS algorithm`);
  }
  return [...algorithms];
}

function checkScopes(scopes: readonly string[]): readonly string[] {
  for (const scope of scopes) {
    if (!SCOPE_TOKEN.test(scope)) throw new Error(`auth: invalid scope ${JSON.stringify(scope)}`);
  }
  return scopes;
}

function rejection(reason: FailureReason): HttpProblem {
  const description = DESCRIPTIONS[reason] ?? 'The access token is invalid';
  const challenge =
    reason === 'missing_authorization'
      ? REALM
      : `${REALM}, error="invalid_token", error_description="${description}"`;
  return new HttpProblem(401, {
    type: problemType('unauthorized'),
    detail: reason === 'missing_authorization' ? 'An access token is required' : description,
    headers: { 'www-authenticate': challenge },
  });
}

function grantedScopes(payload: JwtPayload): string[] {
  const granted = new Set<string>();
  for (const claim of [payload.scope, payload.scp]) {
    const values = typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim : [];
    for (const value of values) if (typeof value === 'string' && value.length > 0) granted.add(value);
  }
  return [...granted];
}

// One per container, as the logger.
let failureMetrics: Metrics | undefined;

/**
 * AuthFailures in namespace Herald, by service and by service and reason (one EMF line, both
 * dimension sets), which the services' alarms and dashboards read. Written at once: the request
 * ends here, before any handler whose metrics would be flushed.
 */
function countFailure(reason: string): void {
  failureMetrics ??= createMetrics({ namespace: 'Herald', dimensions: 'service' });
  failureMetrics.addDimensions({}); // the service alone
  failureMetrics.addDimensions({ reason });
  failureMetrics.addMetric('AuthFailures', MetricUnit.Count, 1);
  failureMetrics.publishStoredMetrics();
}

function securityEvent(
  event: APIGatewayProxyEventV2 | undefined,
  status: number,
  reason: string,
  extra: Record<string, unknown> = {},
): void {
  countFailure(reason);
  logger.warn('Authentication failed', {
    securityEvent: 'auth.failure',
    reason,
    status,
    route: event?.routeKey,
    sourceIp: event?.requestContext?.http?.sourceIp,
    ...extra,
  });
}

/**
 * Verifies the bearer JWT against the configured key set and required scopes, then sets
 * `context.auth`. Failures are 401/403 problems carrying an RFC 6750 challenge.
 */
export function auth(
  options: AuthOptions = {},
): MiddlewareObj<APIGatewayProxyEventV2, unknown, Error, Context> {
  const config = options.config ?? authConfig();
  const requiredScopes = checkScopes(options.scopes ?? []);
  const keySet = keySetFor(config.jwks);
  const verifyOptions: JwtVerifyOptions = {
    issuer: config.issuer,
    audience: config.audience,
    algorithms: checkAlgorithms(options.algorithms ?? DEFAULT_ALGORITHMS),
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['exp', 'sub'],
  };

  const before = async (request: { event: APIGatewayProxyEventV2; context: AuthRequestContext }) => {
    const { event } = request;
    const header = getHeader(event.headers, 'authorization');
    if (header === undefined || header.trim() === '') {
      securityEvent(event, 401, 'missing_authorization');
      throw rejection('missing_authorization');
    }
    const token = BEARER.exec(header.trim())?.[1];
    if (!token) {
      securityEvent(event, 401, 'malformed_authorization');
      throw rejection('malformed_authorization');
    }

    let payload: JwtPayload;
    try {
      payload = await verifyJwt(token, keySet, verifyOptions);
    } catch (error) {
      if (!(error instanceof JwtError)) {
        // Not the token's fault (key set unreachable, broken key): the caller may retry.
        logger.error('Token verification could not run', error as Error);
        throw new HttpProblem(503, {
          detail: 'Authentication is temporarily unavailable',
          headers: { 'retry-after': '5' },
        });
      }
      const { reason, claim } = error;
      securityEvent(event, 401, reason, claim === undefined ? {} : { claim });
      throw rejection(reason);
    }

    const subject = payload.sub;
    if (typeof subject !== 'string' || subject.length === 0) {
      securityEvent(event, 401, 'invalid_subject');
      throw rejection('invalid_subject');
    }
    const tenantId = payload[config.tenantClaim];
    if (typeof tenantId !== 'string' || !TENANT_ID.test(tenantId)) {
      securityEvent(event, 401, 'invalid_tenant', { subject });
      throw rejection('invalid_tenant');
    }

    const scopes = grantedScopes(payload);
    const missing = requiredScopes.filter((scope) => !scopes.includes(scope));
    if (missing.length > 0) {
      securityEvent(event, 403, 'insufficient_scope', { subject, tenantId, missingScopes: missing });
      const description = 'The access token lacks a required scope';
      throw new HttpProblem(403, {
        type: problemType('insufficient-scope'),
        detail: description,
        headers: {
          'www-authenticate': `${REALM}, error="insufficient_scope", error_description="${description}", scope="${requiredScopes.join(' ')}"`,
        },
      });
    }

    request.context.auth = { tenantId, subject, scopes, credential: 'jwt' };
    logger.appendKeys({ tenant_id: tenantId });
  };

  return { name: 'auth', before };
}
