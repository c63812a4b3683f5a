/**
 * A tenant's API keys (scopes keys:write, keys:read) and portal tokens. A key's scopes are chosen
 * from the caller's own (never tenants:admin, which is the operator's); the key is shown once, in
 * the creation's answer, and kept only as its SHA-256. Revoking is idempotent and takes effect
 * within the authorizer's caches (docs/architecture.md, the tenants service).
 *
 * Given the route's `audit` (the request's entry maker), a key created, a key revoked (by the call
 * that revokes it, not a repeat) and a portal token minted are recorded in the tenant's audit log in
 * the same write (audit/record.ts, writeAudited), with the credential's scopes and expiry, never
 * the credential. The entry is kept for the tenant's retention as the authorizer handed it over.
 */
import type { AuditOf } from '@herald/shared/audit';
import type { AuthContext } from '@herald/shared/entry/http';
import { writeAudited, type AuditChain } from '../audit/record';
import { mintKey, newKeyId, publicKey, type ApiKey } from '../model/api-key';
import type { ApiKeyStore } from '../ports';
import { InvalidInput, NotFound, type FieldProblem } from '../problems';
import { OPERATOR_SCOPE } from '../authorizer/authorize';

export interface KeyDeps {
  store: ApiKeyStore;
  now?: () => Date;
  /** The stage's console, for a portal token's URL; none when empty. */
  consoleUrl?: string;
  /** The audit chain, for the routes that record their changes. */
  chain?: AuditChain;
}

/** The members a creation's body named (values are never recorded). */
const named = (input: object) =>
  Object.keys(input).filter((name) => (input as Record<string, unknown>)[name] !== undefined);

/** Scopes a key or token may never carry: the operator's, and (for portal tokens) minting keys. */
const NEVER_FOR_KEYS = new Set([OPERATOR_SCOPE]);
const NEVER_FOR_PORTAL = new Set([OPERATOR_SCOPE, 'keys:write']);

function scopeProblems(requested: readonly string[], caller: AuthContext, never: ReadonlySet<string>) {
  const problems: FieldProblem[] = [];
  requested.forEach((scope, i) => {
    if (never.has(scope))
      problems.push({ pointer: `/body/scopes/${i}`, message: 'may not be given to a key' });
    else if (!caller.scopes.includes(scope)) {
      problems.push({ pointer: `/body/scopes/${i}`, message: 'is not one of your own scopes' });
    }
  });
  return problems;
}

export async function createApiKey(
  caller: AuthContext,
  input: { name: string; scopes: string[]; expiresAt?: string; environment?: 'live' | 'test' },
  deps: KeyDeps,
  audit?: AuditOf,
) {
  const now = deps.now?.() ?? new Date();
  const problems = scopeProblems(input.scopes, caller, NEVER_FOR_KEYS);
  if (input.expiresAt !== undefined && Date.parse(input.expiresAt) <= now.getTime()) {
    problems.push({ pointer: '/body/expiresAt', message: 'must be in the future' });
  }
  if (problems.length > 0) throw new InvalidInput(problems);
  const environment = input.environment ?? 'live';
  const { key, hash, prefix } = mintKey(environment);
  const record: ApiKey = {
    id: newKeyId(),
    tenantId: caller.tenantId,
    hash,
    name: input.name,
    prefix,
    environment,
    scopes: [...input.scopes],
    createdAt: now.toISOString(),
    createdBy: caller.subject,
    ...(input.expiresAt === undefined ? {} : { expiresAt: new Date(input.expiresAt).toISOString() }),
  };
  const entry = audit?.(
    {
      action: 'api_key.created',
      resource: { type: 'api_key', id: record.id },
      changedFields: named(input),
      grant: { scopes: record.scopes, ...(record.expiresAt ? { expiresAt: record.expiresAt } : {}) },
    },
    now,
  );
  await writeAudited(entry, caller.settings, deps.chain, (append) => deps.store.create(record, append));
  return { ...publicKey(record), key };
}

export async function listApiKeys(
  tenantId: string,
  limit: number,
  cursor: string | undefined,
  deps: Pick<KeyDeps, 'store'>,
) {
  const page = await deps.store.list(tenantId, limit, cursor);
  return { items: page.items.map(publicKey), ...(page.next ? { next: page.next } : {}) };
}

export async function readApiKey(tenantId: string, keyId: string, deps: Pick<KeyDeps, 'store'>) {
  const key = await deps.store.get(tenantId, keyId);
  if (!key) throw new NotFound('API key');
  return publicKey(key);
}

export async function revokeApiKey(
  caller: Pick<AuthContext, 'tenantId' | 'settings'>,
  keyId: string,
  deps: KeyDeps,
  audit?: AuditOf,
): Promise<void> {
  const now = deps.now?.() ?? new Date();
  const entry = audit?.({ action: 'api_key.revoked', resource: { type: 'api_key', id: keyId } }, now);
  const revoked = await writeAudited(entry, caller.settings, deps.chain, (append) =>
    deps.store.revoke(caller.tenantId, keyId, now.toISOString(), append),
  );
  if (!revoked) throw new NotFound('API key');
}

const readScopes = (caller: AuthContext) =>
  caller.scopes.filter((scope) => scope.endsWith(':read') && !NEVER_FOR_PORTAL.has(scope));

/**
 * A short-lived key (`hk_portal_…`) for a tenant's own product to embed the console: the caller's
 * read scopes unless others (of its own) are asked for, at most an hour. The console URL carries
 * it in its fragment, which browsers never send to a server.
 */
export async function createPortalToken(
  caller: AuthContext,
  input: { scopes?: string[]; ttlSeconds?: number },
  deps: KeyDeps,
  audit?: AuditOf,
) {
  const now = deps.now?.() ?? new Date();
  const scopes = input.scopes ?? readScopes(caller);
  const problems = input.scopes ? scopeProblems(input.scopes, caller, NEVER_FOR_PORTAL) : [];
  if (scopes.length === 0)
    problems.push({ pointer: '/body/scopes', message: 'none of your scopes can be given' });
  if (problems.length > 0) throw new InvalidInput(problems);
  const { key, hash, prefix } = mintKey('portal');
  const expiresAt = new Date(now.getTime() + (input.ttlSeconds ?? 900) * 1000).toISOString();
  const record: ApiKey = {
    id: newKeyId(),
    tenantId: caller.tenantId,
    hash,
    name: 'portal',
    prefix,
    environment: 'portal',
    scopes: [...scopes],
    createdAt: now.toISOString(),
    createdBy: caller.subject,
    expiresAt,
  };
  const entry = audit?.(
    {
      action: 'portal_token.created',
      resource: { type: 'portal_token', id: record.id },
      changedFields: named(input),
      grant: { scopes: record.scopes, expiresAt },
    },
    now,
  );
  await writeAudited(entry, caller.settings, deps.chain, (append) => deps.store.create(record, append));
  const url = deps.consoleUrl ? `${deps.consoleUrl.replace(/\/$/, '')}/#portal_token=${key}` : undefined;
  return { token: key, id: record.id, scopes, expiresAt, ...(url ? { url } : {}) };
}
