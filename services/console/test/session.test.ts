import { describe, expect, test } from '@jest/globals';
import { base64url } from '../src/auth/oidc';
import { can, grantedScopes, SCOPES, sessionFromTokens, timeLeft } from '../src/auth/session';

const jwt = (claims: Record<string, unknown>) =>
  `e30.${base64url(new TextEncoder().encode(JSON.stringify(claims)))}.sig`;

describe('session', () => {
  test('reads scopes, tenant and subject from the access token', () => {
    const session = sessionFromTokens(
      {
        accessToken: jwt({ scope: 'events:read subscriptions:read', tenant: 'acme', sub: 'dev@acme' }),
        expiresAt: 10_000,
      },
      'tenant',
    );
    expect(session).toMatchObject({
      scopes: ['events:read', 'subscriptions:read'],
      tenant: 'acme',
      subject: 'dev@acme',
    });
    expect(can(session, SCOPES.eventsRead)).toBe(true);
    expect(can(session, SCOPES.subscriptionsWrite)).toBe(false);
    expect(can(undefined, SCOPES.eventsRead)).toBe(false);
  });

  test('reads the tenant from the configured claim', () => {
    expect(
      sessionFromTokens({ accessToken: jwt({ org: 'acme', tenant: 'x' }), expiresAt: 1 }, 'org').tenant,
    ).toBe('acme');
  });

  test('reads scope and scp, as strings or lists, like the APIs do', () => {
    expect(grantedScopes({ scope: 'a  b', scp: ['c', 'a', 3] })).toEqual(['a', 'b', 'c']);
    expect(grantedScopes({})).toEqual([]);
  });

  test("falls back to the token answer's scope when the token carries none", () => {
    expect(
      sessionFromTokens({ accessToken: jwt({}), expiresAt: 1, scope: 'events:write' }, 'tenant').scopes,
    ).toEqual(['events:write']);
  });

  test('expires at the sooner of expires_in and the token exp', () => {
    expect(sessionFromTokens({ accessToken: jwt({ exp: 5 }), expiresAt: 9_000 }, 'tenant').expiresAt).toBe(
      5_000,
    );
    expect(sessionFromTokens({ accessToken: jwt({ exp: 50 }), expiresAt: 9_000 }, 'tenant').expiresAt).toBe(
      9_000,
    );
    expect(timeLeft({ expiresAt: 9_000 }, 8_000)).toBe(1_000);
    expect(timeLeft({ expiresAt: 9_000 }, 10_000)).toBe(0);
  });
});
