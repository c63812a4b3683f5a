/**
 * The authorizer's verdict on an Authorization header: who the caller is (an API key, or a JWT as
 * the auth middleware checks it) and whether its tenant is served, as the authorizer context every
 * HTTP function reads (shared/src/tenants/authorizer-context.ts). A refusal is a verdict in the
 * context, never a thrown error: the function answers it as problem+json. What cannot be judged
 * (the key set or a table unreachable) throws, and API Gateway answers 500 without caching it.
 */
import { auditEntry, type AuditRequest } from '@herald/shared/audit';
import { BEARER, JwtError, TENANT_ID, grantedScopes, type JwtPayload } from '@herald/shared/middleware/jwt';
import type { AuthorizerContext, TenantSettings } from '@herald/shared/tenants/authorizer-context';
import { API_KEY, hashKey, looksLikeApiKey, type ApiKey } from '../model/api-key';
import { autoCreatedTenant, type Tenant } from '../model/tenant';
import { writeAudited, type AuditChain } from '../audit/record';
import type { ApiKeyStore, TenantStore } from '../ports';
import { TtlCache } from './ttl-cache';

/** The operator's scope: its tokens need no tenant record (there is none before the first is made). */
export const OPERATOR_SCOPE = 'tenants:admin';

export interface AuthorizeDeps {
  keys: Pick<ApiKeyStore, 'byHash' | 'touch'>;
  tenants: Pick<TenantStore, 'get' | 'create'>;
  /** The claims of a token whose signature and registered claims hold; a JwtError otherwise. */
  verifyJwt: (token: string) => Promise<JwtPayload>;
  tenantClaim: string;
  /** A token naming a tenant never created: create it (local stage) or refuse `unknown_tenant`. */
  autoCreateTenants: boolean;
  /**
   * The audit chain: a tenant created on its first use is recorded in its own log (tenant.created),
   * the first caller (its verified subject) as the actor, in the creation's write.
   */
  chain?: AuditChain;
  now?: () => number;
}

/** The request being authorized, for the audit entry of a tenant it creates. */
export type AuthorizedRequest = AuditRequest & { correlationId: string };

export interface AuthorizeOptions {
  /**
   * How long a key's and a tenant's record are kept per container. A revoked key, or a suspended
   * tenant, is refused within this plus API Gateway's result TTL.
   */
  cacheMs?: number;
  /** Last-use writes, at most one per key per this long per container. */
  touchEveryMs?: number;
  /** Records kept per cache at most (the oldest leave first). */
  maxEntries?: number;
}

export const DEFAULT_CACHE_MS = 30_000;
export const DEFAULT_TOUCH_EVERY_MS = 60_000;

const refuse = (
  reason: string,
  status: 401 | 403,
  who: Partial<AuthorizerContext> = {},
): AuthorizerContext => ({
  v: 1,
  outcome: 'refuse',
  reason,
  status,
  ...who,
});

const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export type Authorizer = (
  authorization: string | undefined,
  request?: AuthorizedRequest,
) => Promise<AuthorizerContext>;

export function createAuthorizer(deps: AuthorizeDeps, options: AuthorizeOptions = {}): Authorizer {
  const now = deps.now ?? Date.now;
  const cacheMs = options.cacheMs ?? DEFAULT_CACHE_MS;
  const touchEveryMs = options.touchEveryMs ?? DEFAULT_TOUCH_EVERY_MS;
  const maxEntries = options.maxEntries ?? 5_000;
  const keyCache = new TtlCache<ApiKey | null>(cacheMs, maxEntries, now);
  const tenantCache = new TtlCache<Tenant | null>(cacheMs, maxEntries, now);
  const touchedAt = new Map<string, number>();

  const keyByHash = (hash: string) => keyCache.get(hash, async () => (await deps.keys.byHash(hash)) ?? null);
  const tenantById = (id: string) => tenantCache.get(id, async () => (await deps.tenants.get(id)) ?? null);

  /** Its last use, unless recorded from this container within touchEveryMs. */
  async function touch(key: ApiKey): Promise<void> {
    const at = now();
    if (at - (touchedAt.get(key.id) ?? -Infinity) < touchEveryMs) return;
    touchedAt.set(key.id, at);
    if (touchedAt.size > maxEntries) touchedAt.delete(touchedAt.keys().next().value!);
    await deps.keys.touch(key.hash, new Date(at).toISOString());
  }

  /** The tenant's verdict, for a caller already identified. */
  async function served(
    tenantId: string,
    who: Partial<AuthorizerContext>,
    create: boolean,
    request: AuthorizedRequest | undefined,
  ): Promise<AuthorizerContext> {
    let tenant = await tenantById(tenantId);
    if (!tenant && create) {
      const at = new Date(now());
      const made = autoCreatedTenant(tenantId, at);
      const entry =
        deps.chain && request && who.subject !== undefined
          ? auditEntry(
              { tenantId, subject: who.subject, credential: who.credential, keyId: who.keyId },
              request,
              request.correlationId,
              { action: 'tenant.created', resource: { type: 'tenant', id: tenantId } },
              at,
            )
          : undefined;
      // Another container may have made it meanwhile (and recorded it): read what is there.
      const created = await writeAudited(entry, made.settings, deps.chain, (append) =>
        deps.tenants.create(made, append),
      );
      tenant = created ? made : ((await deps.tenants.get(tenantId)) ?? null);
      tenantCache.set(tenantId, tenant);
    }
    if (!tenant) {
      const operator = (who.scopes ?? '').split(' ').includes(OPERATOR_SCOPE);
      if (!operator) return refuse('unknown_tenant', 403, who);
      return allow(who, {});
    }
    if (tenant.status !== 'active') return refuse('tenant_suspended', 403, who);
    return allow(who, tenant.settings);
  }

  const allow = (who: Partial<AuthorizerContext>, settings: TenantSettings): AuthorizerContext => ({
    v: 1,
    outcome: 'allow',
    ...who,
    settings: JSON.stringify(settings),
  });

  async function byApiKey(token: string, request?: AuthorizedRequest): Promise<AuthorizerContext> {
    if (!API_KEY.test(token)) return refuse('unknown_key', 401, { credential: 'api_key' });
    const key = await keyByHash(hashKey(token));
    if (!key) return refuse('unknown_key', 401, { credential: 'api_key' });
    const who: Partial<AuthorizerContext> = {
      credential: 'api_key',
      tenantId: key.tenantId,
      subject: `key:${key.id}`,
      keyId: key.id,
    };
    if (key.revokedAt !== undefined) return refuse('key_revoked', 401, who);
    if (key.expiresAt !== undefined && Date.parse(key.expiresAt) <= now()) {
      return refuse('key_expired', 401, who);
    }
    await touch(key);
    return served(
      key.tenantId,
      {
        ...who,
        scopes: key.scopes.join(' '),
        ...(key.expiresAt === undefined ? {} : { expiresAt: epochSeconds(key.expiresAt) }),
      },
      // A key made before its tenant had a record (no authorizer in front of the key routes yet).
      deps.autoCreateTenants,
      request,
    );
  }

  async function byJwt(token: string, request?: AuthorizedRequest): Promise<AuthorizerContext> {
    let payload: JwtPayload;
    try {
      payload = await deps.verifyJwt(token);
    } catch (error) {
      if (error instanceof JwtError) return refuse(error.reason, 401, { credential: 'jwt' });
      throw error;
    }
    const subject = payload.sub;
    if (typeof subject !== 'string' || subject.length === 0) {
      return refuse('invalid_subject', 401, { credential: 'jwt' });
    }
    const tenantId = payload[deps.tenantClaim];
    if (typeof tenantId !== 'string' || !TENANT_ID.test(tenantId)) {
      return refuse('invalid_tenant', 401, { credential: 'jwt', subject });
    }
    return served(
      tenantId,
      {
        credential: 'jwt',
        tenantId,
        subject,
        scopes: grantedScopes(payload).join(' '),
        ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp } : {}),
      },
      deps.autoCreateTenants,
      request,
    );
  }

  return async (authorization, request) => {
    if (authorization === undefined || authorization.trim() === '') {
      return refuse('missing_authorization', 401);
    }
    const token = BEARER.exec(authorization.trim())?.[1];
    if (!token) return refuse('malformed_authorization', 401);
    return looksLikeApiKey(token) ? byApiKey(token, request) : byJwt(token, request);
  };
}
