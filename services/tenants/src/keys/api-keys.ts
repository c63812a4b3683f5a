/**
 * A tenant's API keys (scopes keys:write, keys:read) and portal tokens. A key's scopes are chosen
 * from the caller's own (never tenants:admin, which is the operator's); the key is shown once, in
 * the creation's answer, and kept only as its SHA-256. Revoking is idempotent and takes effect
 * within the authorizer's caches (docs/architecture.md, the tenants service).
 */
import type { AuthContext } from '@herald/shared/entry/http';
import { mintKey, newKeyId, publicKey, type ApiKey } from '../model/api-key';
import type { ApiKeyStore } from '../ports';
import { InvalidInput, NotFound, type FieldProblem } from '../problems';
import { OPERATOR_SCOPE } from '../authorizer/authorize';

export interface KeyDeps {
  store: ApiKeyStore;
  now?: () => Date;
  /** The stage's console, for a portal token's URL; none when empty. */
  consoleUrl?: string;
}

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
  await deps.store.create(record);
  return { ...publicKey(record), key };
}

export async function listApiKeys(
  tenantId: string,
  limit: number,
  cursor: string | undefined,
  deps: KeyDeps,
) {
  const page = await deps.store.list(tenantId, limit, cursor);
  return { items: page.items.map(publicKey), ...(page.next ? { next: page.next } : {}) };
}

export async function readApiKey(tenantId: string, keyId: string, deps: KeyDeps) {
  const key = await deps.store.get(tenantId, keyId);
  if (!key) throw new NotFound('API key');
  return publicKey(key);
}

export async function revokeApiKey(tenantId: string, keyId: string, deps: KeyDeps): Promise<void> {
  const at = (deps.now?.() ?? new Date()).toISOString();
  if (!(await deps.store.revoke(tenantId, keyId, at))) throw new NotFound('API key');
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
  await deps.store.create(record);
  const url = deps.consoleUrl ? `${deps.consoleUrl.replace(/\/$/, '')}/#portal_token=${key}` : undefined;
  return { token: key, id: record.id, scopes, expiresAt, ...(url ? { url } : {}) };
}
