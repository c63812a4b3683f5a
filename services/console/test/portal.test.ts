import { describe, expect, test } from '@jest/globals';
import { createHeraldClient } from '@herald/client';
import {
  portalSession,
  portalTokenFromFragment,
  probeScopes,
  scopeProbes,
  PORTAL_MAX_MS,
} from '../src/auth/portal';

const token = `hk_portal_${'A'.repeat(30)}_-`;

describe('portal sign-in', () => {
  test('the token comes from #token= or #portal_token=, and the rest of the fragment is kept', () => {
    expect(portalTokenFromFragment(`#token=${token}`)).toEqual({ token, rest: '' });
    expect(portalTokenFromFragment(`#portal_token=${token}`)).toEqual({ token, rest: '' });
    expect(portalTokenFromFragment(`#token=${token}&section=keys`)).toEqual({ token, rest: '#section=keys' });
    expect(portalTokenFromFragment('#section=keys')).toBeUndefined();
    expect(portalTokenFromFragment('')).toBeUndefined();
  });

  test('a value that is not a portal token is removed from the fragment, and not used', () => {
    expect(portalTokenFromFragment('#token=eyJhbGciOi.x.y')).toEqual({ rest: '' });
    expect(portalTokenFromFragment(`#token=hk_live_${'A'.repeat(32)}`)).toEqual({ rest: '' });
  });

  test('a scope is held unless its probe answers 403; a 401 fails the sign-in', async () => {
    const answer = (status?: number) => () =>
      status === undefined ? Promise.resolve() : Promise.reject(Object.assign(new Error(), { status }));
    const statusOf = (error: unknown) => (error as { status?: number }).status;
    await expect(
      probeScopes(
        {
          'events:read': answer(),
          'keys:read': answer(403),
          'events:write': answer(404),
          'subscriptions:write': answer(422),
        },
        statusOf,
      ),
    ).resolves.toEqual(['events:read', 'events:write', 'subscriptions:write']);
    await expect(probeScopes({ 'events:read': answer(401) }, statusOf)).rejects.toMatchObject({
      status: 401,
    });
    // No answer at all tells nothing: the scope is not assumed.
    await expect(probeScopes({ 'events:read': answer(undefined) }, () => undefined)).resolves.toEqual([
      'events:read',
    ]);
    await expect(
      probeScopes({ 'events:read': () => Promise.reject(new Error('offline')) }, () => undefined),
    ).resolves.toEqual([]);
  });

  test("each probe asks for something that changes nothing: the export and erasure ones, ids that match the routes' pattern", async () => {
    const asked: string[] = [];
    const api = createHeraldClient({
      baseUrls: {
        ingest: 'http://i',
        processing: 'http://p',
        notifications: 'http://n',
        tenants: 'http://t',
      },
      token,
      fetch: async (request: Request) => {
        asked.push(`${request.method} ${request.url}`);
        return new Response(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 }), {
          status: 404,
          headers: { 'content-type': 'application/problem+json' },
        });
      },
    });
    const probes = scopeProbes(api);
    await expect(probeScopes(probes, (error) => (error as { status?: number }).status)).resolves.toEqual(
      Object.keys(probes),
    );
    expect(asked.filter((line) => line.includes('/v1/tenant/'))).toEqual([
      `GET http://t/v1/tenant/exports/exp_${'0'.repeat(26)}`,
      `GET http://t/v1/tenant/erasures/ers_${'0'.repeat(26)}`,
    ]);
    expect(asked.every((line) => /^(GET|PATCH) /.test(line))).toBe(true);
    expect(Object.keys(probes)).toEqual(expect.arrayContaining(['tenant:export', 'tenant:erase']));
  });

  test('a portal session lasts an hour at most and names its tenant', () => {
    expect(portalSession(token, 'acme', ['events:read'], 1000)).toEqual({
      accessToken: token,
      expiresAt: 1000 + PORTAL_MAX_MS,
      scopes: ['events:read'],
      tenant: 'acme',
      portal: true,
    });
  });
});
