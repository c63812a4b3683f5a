/**
 * Sign-in with a portal token: a tenant's own product links to the console with a short-lived
 * `hk_portal_…` key in the URL's fragment (`#token=…`, or `#portal_token=…` as the tenants service's
 * link writes it), which browsers never send to a server. The console takes it from the fragment
 * and removes it from the address bar at once (history.replaceState), so it is not left in the
 * history, a bookmark or a copied link, keeps it in memory only, as every token, and never logs it.
 *
 * A portal token is not a JWT: the console cannot read its scopes, tenant or expiry from it. The
 * tenant comes from GET /v1/tenant, and each scope a page or button needs from a request that needs
 * that scope alone and changes nothing (a listing of one item; for a write scope a request about
 * something that does not exist): 403 means the token lacks it, anything else that it has it.
 */
import type { Api } from '../api';
import { SCOPES, type Session } from './session';

export const PORTAL_TOKEN = /^hk_portal_[A-Za-z0-9_-]{32}$/;

/** The fragment's parameters that may carry a portal token. */
const NAMES = ['token', 'portal_token'];

/**
 * The portal token a URL fragment carries, and the fragment without it (`''` when nothing else
 * was there); undefined when it names none. A value that is not a portal token is still removed
 * from the fragment (it is a credential of some kind), and not used.
 */
export function portalTokenFromFragment(hash: string): { token?: string; rest: string } | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const found = NAMES.map((name) => params.get(name)).find((value) => value !== null);
  if (found === undefined || found === null) return undefined;
  for (const name of NAMES) params.delete(name);
  const rest = params.toString();
  return { ...(PORTAL_TOKEN.test(found) ? { token: found } : {}), rest: rest ? `#${rest}` : '' };
}

/** A portal token lives an hour at most: the session ends then, or at the first 401. */
export const PORTAL_MAX_MS = 3600_000;

export type Probe = () => Promise<unknown>;

/** Each scope the console shows something for, and the request that tells whether a token has it. */
export function scopeProbes(api: Api): Record<string, Probe> {
  return {
    [SCOPES.eventsRead]: () => api.events.list({ pageSize: 1 }).next(),
    [SCOPES.subscriptionsRead]: () => api.subscriptions.list({ pageSize: 1 }).next(),
    [SCOPES.keysRead]: () => api.apiKeys.list({ pageSize: 1 }).next(),
    [SCOPES.auditRead]: () => api.audit.page({ pageSize: 1 }),
    // Writes: a request about an upload or a subscription that does not exist changes nothing.
    [SCOPES.eventsWrite]: () => api.uploads.get('upl_portal_scope_probe'),
    [SCOPES.subscriptionsWrite]: () => api.subscriptions.update('sub_portal_scope_probe', {}),
    // An export or erasure that does not exist (a well-formed id, so the answer is 404, not 422).
    [SCOPES.tenantExport]: () => api.tenant.getExport(`exp_${'0'.repeat(26)}`),
    [SCOPES.tenantErase]: () => api.tenant.getErasure(`ers_${'0'.repeat(26)}`),
  };
}

/** 401 (the token itself refused) ends the sign-in; 403 says the scope is missing; else it is held. */
export async function probeScopes(
  probes: Record<string, Probe>,
  statusOf: (error: unknown) => number | undefined,
): Promise<string[]> {
  const held = await Promise.all(
    Object.entries(probes).map(async ([scope, probe]) => {
      try {
        await probe();
        return scope;
      } catch (error) {
        const status = statusOf(error);
        if (status === 401) throw error;
        return status === 403 || status === undefined ? undefined : scope;
      }
    }),
  );
  return held.filter((scope): scope is string => scope !== undefined);
}

export function portalSession(token: string, tenant: string, scopes: string[], now = Date.now()): Session {
  return { accessToken: token, expiresAt: now + PORTAL_MAX_MS, scopes, tenant, portal: true };
}
