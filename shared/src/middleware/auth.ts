import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { authConfig } from '../auth-config';
import type { AuthConfig, JwksSource } from '../auth-config';
import { logger } from '../logger';
import { createMetrics, MetricUnit, type Metrics } from '../metrics';
import { HttpProblem, problemType } from '../problem';
import type { CredentialKind, TenantSettings } from '../tenants/authorizer-context';
import {
  AuthorizerContextError,
  authorizerContextOf,
  parseVerdict,
  type Verdict,
} from './authorizer-verdict';
import { getHeader } from './headers';
import { localKeySet, remoteKeySet } from './jwks';
// The token rules the tenants service's authorizer applies too: one copy, in jwt.ts.
import {
  BEARER,
  CLOCK_TOLERANCE_SECONDS,
  grantedScopes,
  JwtError,
  REQUIRED_CLAIMS,
  TENANT_ID,
  verifyJwt,
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
// RFC 6749 scope-token: printable ASCII without space, quote or backslash.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const REALM = 'Bearer realm="herald"';

const DESCRIPTIONS: Record<string, string> = {
  token_expired: 'The access token expired',
  token_not_yet_valid: 'The access token is not yet valid',
  malformed_authorization: 'The Authorization header must carry a Bearer token',
  key_expired: 'The API key expired',
  key_revoked: 'The API key was revoked',
};

// What a refusal the tenants service's authorizer answers 403 says (the tenant, not the token).
const FORBIDDEN_DETAILS: Record<string, string> = {
  tenant_suspended: 'The tenant is suspended',
  unknown_tenant: 'The tenant is not known',
};

// API keys are `hk_live_...` / `hk_test_...`: only the tenants service's authorizer can check one.
const API_KEY_PREFIX = 'hk_';

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

function rejection(reason: string): HttpProblem {
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

/** A 403 that is not about scopes: the authorizer refused the tenant. */
function forbidden(reason: string): HttpProblem {
  return new HttpProblem(403, {
    type: problemType('forbidden'),
    detail: FORBIDDEN_DETAILS[reason] ?? 'The credential may not be used here',
  });
}

function insufficientScope(requiredScopes: readonly string[]): HttpProblem {
  const description = 'The access token lacks a required scope';
  return new HttpProblem(403, {
    type: problemType('insufficient-scope'),
    detail: description,
    headers: {
      'www-authenticate': `${REALM}, error="insufficient_scope", error_description="${description}", scope="${requiredScopes.join(' ')}"`,
    },
  });
}

/** The authorizer's context broke the contract: logged, answered as a server error, never an allow. */
function brokenContract(event: APIGatewayProxyEventV2, error: Error): HttpProblem {
  logger.error('The authorizer context cannot be trusted', {
    error: error.message,
    route: event.routeKey,
  });
  return new HttpProblem(500, { detail: 'Authentication could not be completed' });
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
 * Judges the request's credential, then sets `context.auth`. With the tenants service's authorizer's
 * context on the event (every route in AWS and on the local cloud), its verdict: a refusal becomes
 * the 401/403 problem, an allow the AuthContext, after the route's scopes and the credential's expiry
 * (API Gateway's cache may outlive it) are checked here; a JWT is verified here again all the same,
 * and must name the tenant and subject the authorizer saw. Without a context (unit tests, a route
 * that lost its authorizer), a JWT is verified here alone and an API key is refused: only the
 * authorizer can check one. Failures are 401/403 problems carrying an RFC 6750 challenge.
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
    requiredClaims: REQUIRED_CLAIMS,
  };

  const refuse = (
    event: APIGatewayProxyEventV2,
    reason: string,
    extra: Record<string, unknown> = {},
  ): never => {
    securityEvent(event, 401, reason, extra);
    throw rejection(reason);
  };

  /** The bearer token of the Authorization header; a 401 without one. */
  const bearerToken = (event: APIGatewayProxyEventV2): string => {
    const header = getHeader(event.headers, 'authorization');
    if (header === undefined || header.trim() === '') return refuse(event, 'missing_authorization');
    return BEARER.exec(header.trim())?.[1] ?? refuse(event, 'malformed_authorization');
  };

  /** The JWT's claims as today's checks find them: tenant, subject and scopes. */
  const verifiedJwt = async (event: APIGatewayProxyEventV2, token: string) => {
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
      return refuse(event, reason, claim === undefined ? {} : { claim });
    }
    const subject = payload.sub;
    if (typeof subject !== 'string' || subject.length === 0) return refuse(event, 'invalid_subject');
    const tenantId = payload[config.tenantClaim];
    if (typeof tenantId !== 'string' || !TENANT_ID.test(tenantId))
      return refuse(event, 'invalid_tenant', { subject });
    return { tenantId, subject, scopes: grantedScopes(payload) };
  };

  /** The AuthContext the authorizer's verdict gives, or the refusal it carries. */
  const fromAuthorizer = async (
    event: APIGatewayProxyEventV2,
    context: Record<string, unknown>,
  ): Promise<AuthContext> => {
    let verdict: Verdict;
    try {
      verdict = parseVerdict(context);
    } catch (error) {
      if (error instanceof AuthorizerContextError) throw brokenContract(event, error);
      throw error;
    }
    if (verdict.outcome === 'refuse') {
      const { reason, status } = verdict;
      const extra = verdict.credential ? { credential: verdict.credential } : {};
      securityEvent(event, status, reason, extra);
      throw status === 401 ? rejection(reason) : forbidden(reason);
    }

    const { credential, tenantId, subject, keyId, expiresAt, settings } = verdict;
    const token = bearerToken(event);
    let scopes = verdict.scopes;
    if (credential === 'jwt') {
      // Defence in depth, as before the authorizer: the token is verified here too, and must be the
      // one the authorizer judged (a cached verdict is keyed on the same header).
      const jwt = await verifiedJwt(event, token);
      if (jwt.tenantId !== tenantId || jwt.subject !== subject)
        throw brokenContract(event, new Error('the JWT names another tenant or subject than the context'));
      scopes = scopes.filter((scope) => jwt.scopes.includes(scope));
    } else if (!token.startsWith(API_KEY_PREFIX)) {
      throw brokenContract(event, new Error('an API key verdict for a header that holds no API key'));
    }
    // API Gateway caches the verdict for the authorizer's TTL, which may outlive the credential.
    const tolerance = credential === 'jwt' ? CLOCK_TOLERANCE_SECONDS : 0;
    if (expiresAt !== undefined && expiresAt <= Math.floor(Date.now() / 1000) - tolerance)
      refuse(event, credential === 'jwt' ? 'token_expired' : 'key_expired', { credential });
    return {
      tenantId,
      subject,
      scopes,
      credential,
      ...(keyId === undefined ? {} : { keyId }),
      ...(settings === undefined ? {} : { settings }),
    };
  };

  /** No authorizer ran: a JWT is verified here alone; an API key cannot be, and is refused. */
  const withoutAuthorizer = async (event: APIGatewayProxyEventV2): Promise<AuthContext> => {
    const token = bearerToken(event);
    if (token.startsWith(API_KEY_PREFIX)) return refuse(event, 'unverified_api_key');
    return { ...(await verifiedJwt(event, token)), credential: 'jwt' };
  };

  const before = async (request: { event: APIGatewayProxyEventV2; context: AuthRequestContext }) => {
    const { event } = request;
    let context: Record<string, unknown> | undefined;
    try {
      context = authorizerContextOf(event);
    } catch (error) {
      if (error instanceof AuthorizerContextError) throw brokenContract(event, error);
      throw error;
    }
    const auth =
      context === undefined ? await withoutAuthorizer(event) : await fromAuthorizer(event, context);

    const missing = requiredScopes.filter((scope) => !auth.scopes.includes(scope));
    if (missing.length > 0) {
      securityEvent(event, 403, 'insufficient_scope', {
        subject: auth.subject,
        tenantId: auth.tenantId,
        missingScopes: missing,
      });
      throw insufficientScope(requiredScopes);
    }

    request.context.auth = auth;
    logger.appendKeys({ tenant_id: auth.tenantId });
  };

  return { name: 'auth', before };
}
