/**
 * Reads the tenants service's authorizer's context (shared/src/tenants/authorizer-context.ts) from an
 * HTTP API event, strictly: a context this code does not fully understand is a broken contract (an
 * authorizer of a newer version deployed before the functions, or a bug), never an allow. The auth
 * middleware turns the verdict into the request's AuthContext or its 401/403 problem.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type {
  CredentialKind,
  DestinationKind,
  TenantLimits,
  TenantSettings,
} from '../tenants/authorizer-context';

/** The context breaks the contract: the request cannot be judged, and fails as a server error. */
export class AuthorizerContextError extends Error {
  override readonly name = 'AuthorizerContextError';
}

export type Verdict =
  | { outcome: 'refuse'; reason: string; status: 401 | 403; credential?: CredentialKind }
  | {
      outcome: 'allow';
      credential: CredentialKind;
      tenantId: string;
      subject: string;
      scopes: string[];
      keyId?: string;
      /** Epoch seconds. */
      expiresAt?: number;
      settings?: TenantSettings;
    };

const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;
// A reason becomes a metric dimension and a log field: a short snake_case word, nothing else.
const REASON = /^[a-z][a-z0-9_]{0,63}$/;
// RFC 6749 scope-token.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const KEY_ID = /^[A-Za-z0-9_-]{1,128}$/;
const LIMITS: ReadonlyArray<keyof TenantLimits> = [
  'ingestRequestsPerSecond',
  'ingestEventsPerSecond',
  'maxSubscriptions',
  'maxConcurrentReplays',
  'uploadBytesPerDay',
  'dailyEmailCap',
];
const DESTINATIONS: readonly DestinationKind[] = ['webhook', 'email', 'aws'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The authorizer's context on the event, or undefined when no Lambda authorizer ran: API Gateway's
 * JWT authorizer gives `authorizer.jwt` alone, and serverless-offline puts an empty `lambda` on every
 * route that declares an authorizer when the local cloud's front passed no context (no authorizer
 * answered), which is no verdict either.
 */
export function authorizerContextOf(event: APIGatewayProxyEventV2): Record<string, unknown> | undefined {
  const authorizer = (event.requestContext as { authorizer?: unknown } | undefined)?.authorizer;
  if (!isObject(authorizer)) return undefined;
  const { lambda } = authorizer;
  if (lambda === undefined || lambda === null) return undefined;
  if (!isObject(lambda)) throw new AuthorizerContextError('the authorizer context is not an object');
  return Object.keys(lambda).length === 0 ? undefined : lambda;
}

function fail(message: string): never {
  throw new AuthorizerContextError(message);
}

/** A number API Gateway may have passed on as a string. */
function integer(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) fail(`${field} is not an integer`);
  return number;
}

function text(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail(`${field} is not a string`);
  return value;
}

function credentialOf(value: unknown): CredentialKind | undefined {
  if (value === undefined) return undefined;
  if (value !== 'jwt' && value !== 'api_key') fail('credential is neither jwt nor api_key');
  return value;
}

function settingsOf(value: string): TenantSettings {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    fail('settings is not JSON');
  }
  if (!isObject(parsed)) fail('settings is not an object');
  const settings: TenantSettings = {};
  if (parsed.limits !== undefined) {
    if (!isObject(parsed.limits)) fail('settings.limits is not an object');
    const limits: Partial<TenantLimits> = {};
    for (const name of LIMITS) {
      const limit = parsed.limits[name];
      if (limit === undefined) continue;
      if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0)
        fail(`settings.limits.${name} is not a number of at least 0`);
      limits[name] = limit;
    }
    settings.limits = limits;
  }
  if (parsed.retentionDays !== undefined) {
    const days = parsed.retentionDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1)
      fail('settings.retentionDays is not a whole number of days');
    settings.retentionDays = days;
  }
  if (parsed.allowedDestinations !== undefined) {
    const kinds = parsed.allowedDestinations;
    if (!Array.isArray(kinds) || !kinds.every((kind) => DESTINATIONS.includes(kind as DestinationKind)))
      fail('settings.allowedDestinations is not a list of destination kinds');
    settings.allowedDestinations = kinds as DestinationKind[];
  }
  return settings;
}

/** The verdict the context carries; an AuthorizerContextError when it breaks the contract. */
export function parseVerdict(context: Record<string, unknown>): Verdict {
  const version = integer(context.v, 'v');
  if (version !== 1) fail(`contract version ${String(context.v)} is not known`);
  const credential = credentialOf(context.credential);

  if (context.outcome === 'refuse') {
    const reason = text(context.reason, 'reason');
    if (reason === undefined || !REASON.test(reason)) fail('a refusal needs a snake_case reason');
    const status = integer(context.status, 'status');
    if (status !== 401 && status !== 403) fail('a refusal is 401 or 403');
    return { outcome: 'refuse', reason, status, ...(credential ? { credential } : {}) };
  }
  if (context.outcome !== 'allow') fail('outcome is neither allow nor refuse');

  if (!credential) fail('an allow names its credential');
  const tenantId = text(context.tenantId, 'tenantId');
  if (tenantId === undefined || !TENANT_ID.test(tenantId)) fail('an allow needs a valid tenantId');
  const subject = text(context.subject, 'subject');
  if (!subject || subject.length > 256) fail('an allow needs a subject');
  const scopes = (text(context.scopes, 'scopes') ?? '').split(' ').filter((scope) => scope.length > 0);
  if (!scopes.every((scope) => SCOPE_TOKEN.test(scope))) fail('scopes holds an invalid scope');
  const keyId = text(context.keyId, 'keyId');
  if (credential === 'api_key') {
    if (keyId === undefined || !KEY_ID.test(keyId)) fail('an API key allow needs its keyId');
    if (subject !== `key:${keyId}`) fail("an API key's subject is key:<keyId>");
  } else if (keyId !== undefined) fail('a JWT allow has no keyId');
  const expiresAt = integer(context.expiresAt, 'expiresAt');
  const settings = text(context.settings, 'settings');
  return {
    outcome: 'allow',
    credential,
    tenantId,
    subject,
    scopes,
    ...(keyId === undefined ? {} : { keyId }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(settings === undefined ? {} : { settings: settingsOf(settings) }),
  };
}
