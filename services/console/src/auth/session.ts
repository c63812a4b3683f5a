/**
 * The signed-in session: tokens held in memory only (never Web Storage, where any script of the
 * origin could read them), so a reload signs in again. Scopes and tenant come from the access
 * token's claims, read the way Herald's auth middleware reads them (`scope` or `scp`, space-separated
 * or a list; the tenant claim of the configuration).
 */
import { decodeJwtPayload, type TokenSet } from './oidc';

export interface Session {
  accessToken: string;
  idToken?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  scopes: readonly string[];
  tenant?: string;
  subject?: string;
  /**
   * Signed in with a portal token (`hk_portal_…`, from the URL's fragment) rather than through the
   * identity provider: no ID token, no provider to sign out of, scopes found by asking the APIs.
   */
  portal?: boolean;
}

export const SCOPES = {
  eventsRead: 'events:read',
  eventsWrite: 'events:write',
  subscriptionsRead: 'subscriptions:read',
  subscriptionsWrite: 'subscriptions:write',
  keysRead: 'keys:read',
  keysWrite: 'keys:write',
  auditRead: 'audit:read',
  tenantExport: 'tenant:export',
  tenantErase: 'tenant:erase',
  tenantsAdmin: 'tenants:admin',
} as const;

export function grantedScopes(claims: Record<string, unknown>): string[] {
  const granted = new Set<string>();
  for (const claim of [claims.scope, claims.scp]) {
    const values = typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim : [];
    for (const value of values) if (typeof value === 'string' && value.length > 0) granted.add(value);
  }
  return [...granted];
}

export function sessionFromTokens(tokens: TokenSet, tenantClaim: string): Session {
  const claims = decodeJwtPayload(tokens.accessToken);
  const tenant = claims[tenantClaim];
  // The token's own expiry wins over expires_in when it is sooner.
  const expiresAt =
    typeof claims.exp === 'number' ? Math.min(tokens.expiresAt, claims.exp * 1000) : tokens.expiresAt;
  const fromClaims = grantedScopes(claims);
  return {
    accessToken: tokens.accessToken,
    ...(tokens.idToken ? { idToken: tokens.idToken } : {}),
    expiresAt,
    scopes: fromClaims.length > 0 ? fromClaims : grantedScopes({ scope: tokens.scope }),
    ...(typeof tenant === 'string' ? { tenant } : {}),
    ...(typeof claims.sub === 'string' ? { subject: claims.sub } : {}),
  };
}

export function can(session: Pick<Session, 'scopes'> | undefined, scope: string): boolean {
  return session?.scopes.includes(scope) ?? false;
}

/** Milliseconds left before the session's token expires (0 once expired). */
export function timeLeft(session: Pick<Session, 'expiresAt'>, now = Date.now()): number {
  return Math.max(0, session.expiresAt - now);
}
