/**
 * API keys end to end on the shared local cloud, through the tenants service's Lambda authorizer as
 * each service's HTTP front runs it (as API Gateway does): a key made through the tenants API is
 * taken on ingest, processing and notifications routes for its own scopes alone, and once revoked is
 * refused within the cache times: API Gateway's answer per Authorization header (the local stage's
 * `authorizerCacheTtl`, 5 s; 60 s on a deployed stage by default), then the authorizer's own record
 * of the key in its container (30 s, services/tenants).
 */
import { describe, expect, test } from '@jest/globals';
import { callService, eventually, tokenFor } from '../setup/local-cloud';

const tenant = `api-keys-${Date.now().toString(36)}`;
/** The local stage's authorizerCacheTtl (each service's serverless.yml) and the authorizer's key cache. */
const CACHE_SECONDS = 5 + 30;

describe('API keys on every service', () => {
  test('a key works on ingest, processing and notifications for its scopes alone; revoked, it is refused within the cache time', async () => {
    const owner = await tokenFor({
      tenant,
      scopes: ['keys:write', 'keys:read', 'events:write', 'events:read', 'subscriptions:read'],
    });
    const created = await callService('tenants', owner, 'POST', '/v1/api-keys', {
      body: {
        name: 'machine',
        scopes: ['events:write', 'events:read', 'subscriptions:read'],
        environment: 'test',
      },
    });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    const keyId = created.body.id as string;
    expect(key).toMatch(/^hk_test_/);

    // Ingest takes an event from the key, for the key's tenant.
    const id = `key-${Date.now().toString(36)}`;
    const sent = await callService('ingest', key, 'POST', '/v1/events', {
      body: { id, type: 'order.created', data: { total: 1 } },
    });
    expect(sent.status).toBe(202);
    // Processing shows it to the same key (the tenant's own events).
    const stored = await eventually(
      async () => {
        const answer = await callService('processing', key, 'GET', `/v1/events/${id}`);
        return answer.status === 200 ? answer : undefined;
      },
      30_000,
      `event ${id} readable with the key`,
    );
    expect(stored.body).toMatchObject({ id });
    // And to the tenant's JWT: the key acted for its tenant, not another.
    const read = await callService(
      'processing',
      await tokenFor({ tenant, scopes: ['events:read'] }),
      'GET',
      `/v1/events/${id}`,
    );
    expect(read.status).toBe(200);
    expect((await callService('notifications', key, 'GET', '/v1/subscriptions')).status).toBe(200);

    // A scope the key was not given: the function's 403, naming the scope.
    const write = await callService('notifications', key, 'POST', '/v1/subscriptions', {
      body: { url: 'https://example.com/hook', eventTypes: ['order.created'] },
    });
    expect(write.status).toBe(403);
    expect(write.body.type).toBe('https://herald.dev/problems/insufficient-scope');

    // Revoked: refused on every service once the authorizer's cached answer has lapsed.
    expect((await callService('tenants', owner, 'DELETE', `/v1/api-keys/${keyId}`)).status).toBe(204);
    const revokedAt = Date.now();
    const refused = await eventually(
      async () => {
        const answer = await callService('ingest', key, 'POST', '/v1/events', {
          body: { type: 'order.created', data: {} },
        });
        return answer.status === 401 ? answer : undefined;
      },
      (CACHE_SECONDS + 5) * 1000,
      'the revoked key refused',
    );
    const took = Date.now() - revokedAt;
    expect(took).toBeLessThan((CACHE_SECONDS + 5) * 1000);
    console.info(`the revoked key was refused ${took} ms after its revocation`);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    for (const [service, path] of [
      ['processing', `/v1/events/${id}`],
      ['notifications', '/v1/subscriptions'],
    ] as const) {
      const answer = await callService(service, key, 'GET', path);
      expect({ service, status: answer.status, type: answer.body.type }).toEqual({
        service,
        status: 401,
        type: 'https://herald.dev/problems/unauthorized',
      });
    }
  }, 120_000);

  test('a key that was never issued is refused on every service, as a function problem', async () => {
    const forged = `hk_live_${'A'.repeat(32)}`;
    for (const [service, method, path] of [
      ['ingest', 'POST', '/v1/events'],
      ['processing', 'GET', '/v1/events'],
      ['notifications', 'GET', '/v1/subscriptions'],
      ['tenants', 'GET', '/v1/tenant'],
    ] as const) {
      const answer = await callService(service, forged, method, path, method === 'POST' ? { body: {} } : {});
      expect({ service, status: answer.status, type: answer.body.type }).toEqual({
        service,
        status: 401,
        type: 'https://herald.dev/problems/unauthorized',
      });
    }
  });
});
