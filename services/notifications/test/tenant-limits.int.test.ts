/**
 * Per-tenant limits on the local cloud: a tenant's own subscription and replay limits take over the
 * stage's defaults at the same enforcement points. Until the tenants service hands settings through
 * the authorizer end to end, the tenants' own values come from the local stage's `tenantLimits`
 * (serverless.yml): limits-subs may have 2 subscriptions, limits-replays 1 replay at once.
 */
import { describe, expect, test } from '@jest/globals';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { awsClients } from '../../../test/setup/local-cloud';
import { endpointUrl, signedEvent, tenantApi } from './support/cloud';

const DELIVERIES_TABLE = 'herald-local-notifications-deliveries';

/** Events kept for replay, as dispatch keeps them, so a replay's job runs a while. */
async function storeNoise(tenant: string, count: number): Promise<void> {
  const { dynamodb } = awsClients();
  const start = Date.now() - 20 * 60_000;
  const items = Array.from({ length: count }, (_, i) => {
    const envelope = signedEvent(tenant, 'noise.tick', { i });
    return {
      pk: `TENANT#${tenant}`,
      sk: `EVT#${new Date(start + i).toISOString()}#${envelope.id}`,
      envelope: JSON.stringify(envelope),
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    };
  });
  for (let i = 0; i < items.length; i += 25) {
    let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const out = await dynamodb.send(
        new BatchWriteCommand({ RequestItems: { [DELIVERIES_TABLE]: pending } }),
      );
      pending = (out.UnprocessedItems?.[DELIVERIES_TABLE] ?? []) as typeof pending;
    }
  }
}

describe("a tenant's own limits", () => {
  test('subscriptions: the third of a tenant limited to 2 is a 409 quota-exceeded naming its limit', async () => {
    const api = tenantApi('limits-subs');
    const run = Date.now().toString(36);
    const create = (i: number) =>
      api('POST', '/v1/subscriptions', {
        url: endpointUrl(`limits-subs-${run}-${i}`),
        eventTypes: ['order.*'],
      });
    expect((await create(1)).status).toBe(201);
    expect((await create(2)).status).toBe(201);
    const refused = await create(3);
    expect(refused.status).toBe(409);
    expect(refused.contentType).toBe('application/problem+json');
    expect(refused.body).toMatchObject({
      type: 'https://herald.dev/problems/quota-exceeded',
      quota: 'subscriptions',
      limit: 2,
      current: 2,
    });
    // Another tenant keeps the stage's default (100).
    const other = await tenantApi('limits-subs-other')('POST', '/v1/subscriptions', {
      url: endpointUrl(`limits-subs-other-${run}`),
      eventTypes: ['order.*'],
    });
    expect(other.status).toBe(201);
  }, 120_000);

  test('replays: the second at once of a tenant limited to 1 is a 409 quota-exceeded', async () => {
    const tenant = 'limits-replays';
    const api = tenantApi(tenant);
    await storeNoise(tenant, 3000);
    const run = Date.now().toString(36);
    const ids: string[] = [];
    for (const i of [1, 2]) {
      const created = await api('POST', '/v1/subscriptions', {
        url: endpointUrl(`limits-replays-${run}-${i}`),
        eventTypes: ['order.*'],
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id as string);
    }
    const since = new Date(Date.now() - 30 * 60_000).toISOString();
    const answers = await Promise.all(
      ids.map((id) => api('POST', `/v1/subscriptions/${id}/replay`, { since })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 409]);
    expect(answers.find((answer) => answer.status === 409)!.body).toMatchObject({
      type: 'https://herald.dev/problems/quota-exceeded',
      quota: 'concurrentReplays',
      limit: 1,
      current: 1,
    });
  }, 180_000);
});
