/**
 * A tenant's own limits end to end: set by the operator on the tenants service, handed to every
 * HTTP function by the tenants authorizer (`context.auth.settings.limits`), and enforced by ingest
 * (events a second, upload bytes a day) and notifications (subscriptions) in place of the stage's
 * defaults. Each refusal is one the limit decides whatever the timing: a batch larger than the
 * tenant's events a second, an upload larger than its bytes of the day, a second subscription.
 *
 * It needs the services' routes behind the tenants authorizer (serverless.shared.yml's request
 * authorizer); on a template whose routes still carry the JWT authorizer, no settings reach the
 * functions, and the suite is skipped (the per-tenant values are then the stage's `tenantLimits`,
 * which services/ingest/test/limits.int.test.ts and notifications' tenant-limits.int.test.ts cover).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { callService, localCloud, tokenFor } from '../setup/local-cloud';

type Json = Record<string, unknown>;

/** Whether the packaged ingest template puts POST /v1/events behind a Lambda (REQUEST) authorizer. */
function behindTenantsAuthorizer(): boolean {
  const template = JSON.parse(
    readFileSync('services/ingest/.serverless/cloudformation-template-update-stack.json', 'utf8'),
  ) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  return Object.values(template.Resources).some(
    (resource) =>
      resource.Type === 'AWS::ApiGatewayV2::Route' &&
      resource.Properties.RouteKey === 'POST /v1/events' &&
      resource.Properties.AuthorizationType === 'CUSTOM',
  );
}

const run = Date.now().toString(36);
const tenant = `limits-own-${run}`;
const operator = tokenFor({ tenant: `ops-${run}`, scopes: ['tenants:admin'] });
const producer = tokenFor({ tenant, scopes: ['events:write', 'subscriptions:write', 'subscriptions:read'] });

(behindTenantsAuthorizer() ? describe : describe.skip)(
  "a tenant's own limits, through the authorizer",
  () => {
    test('its events a second, upload bytes a day and subscriptions take over the stage defaults', async () => {
      const created = await callService<Json>('tenants', await operator, 'POST', '/v1/tenants', {
        body: {
          id: tenant,
          settings: { limits: { ingestEventsPerSecond: 5, uploadBytesPerDay: 500, maxSubscriptions: 1 } },
        },
      });
      expect(created.status).toBe(201);
      const token = await producer;
      const batch = (n: number) => ({
        events: Array.from({ length: n }, (_, i) => ({ type: 'order.created', data: { i } })),
      });

      // Six events can never fit the tenant's five a second (the stage's default is 1000).
      const refused = await callService<Json>('ingest', token, 'POST', '/v1/events', { body: batch(6) });
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({
        type: 'https://herald.dev/problems/rate-limited',
        quota: 'ingestEventsPerSecond',
        limit: 5,
        requested: 6,
        refusedWhole: true,
      });
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refused.headers.get('ratelimit-policy')).toContain('"events";q=5;w=1');

      const upload = await callService<Json>('ingest', token, 'POST', '/v1/uploads', { body: { size: 501 } });
      expect(upload.status).toBe(409);
      expect(upload.body).toMatchObject({
        quota: 'uploadBytesPerDay',
        limit: 500,
        current: 0,
        requested: 501,
      });

      const subscribe = () =>
        callService<Json>('notifications', token, 'POST', '/v1/subscriptions', {
          body: { url: `${localCloud().endpoints.webhooks}/limits-own-${run}`, eventTypes: ['order.*'] },
        });
      expect((await subscribe()).status).toBe(201);
      const second = await subscribe();
      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({ quota: 'subscriptions', limit: 1, current: 1 });
    }, 60_000);
  },
);
