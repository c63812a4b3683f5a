/**
 * @herald/client against the shared local cloud: the services started for real, called through the
 * client as a producer and a subscriber would, with a tenant of this file's own (its events, uploads
 * and subscriptions are no other test's business; the subscriptions are deleted at the end).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from '@jest/globals';
import { createHeraldClient, HeraldProblem, type StoredEvent } from '../src';
import { eventually, localCloud, tokenFor } from '../../../test/setup/local-cloud';

const tenant = `client-${randomBytes(6).toString('hex')}`;
const baseUrls = () => localCloud().endpoints.services;
const clientWith = (scopes: string[]) =>
  createHeraldClient({ baseUrls: baseUrls(), getToken: () => tokenFor({ tenant, scopes }) });
const client = clientWith(['events:write', 'events:read', 'subscriptions:read', 'subscriptions:write']);
const created: string[] = [];

afterAll(async () => {
  for (const id of created) await client.subscriptions.delete(id);
});

async function allEvents(type: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of client.events.list({ type, pageSize: 100 })) events.push(event);
  return events;
}

describe('@herald/client on the local cloud', () => {
  test('250 events go in three batches and are all stored, listed back through the cursors', async () => {
    const type = 'client.bulk.sent';
    const events = Array.from({ length: 250 }, (_, index) => ({ type, data: { index } }));
    const result = await client.sendEvents(events);

    expect(result).toMatchObject({ accepted: 250, rejected: 0 });
    const ids = result.results.map((r) => (r.status === 'accepted' ? r.id : 'rejected'));
    expect(new Set(ids).size).toBe(250);
    const stored = await eventually(
      async () => {
        const listed = await allEvents(type);
        return listed.length >= 250 ? listed : undefined;
      },
      60_000,
      '250 events stored',
    );
    expect(new Set(stored.map((event) => event.id))).toEqual(new Set(ids));
    const one = await client.events.get(ids[42]!);
    expect(one).toMatchObject({ id: ids[42], type, data: { index: 42 } });
  }, 120_000);

  test('a batch with one invalid event is refused whole (422), naming it, while the next batch is accepted', async () => {
    // Ingest validates a request before queuing any of it, so one bad event refuses its batch; a 207
    // (some queued, some not) only comes of the queue failing part of a batch, which the unit tests play.
    const type = 'client.mixed.sent';
    const events = [
      { type, data: 1 },
      { type: 'Not A Type', data: 2 },
      { type, data: 3 },
    ];
    const result = await client.sendEvents(events, { batchSize: 2 });

    expect(result.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'accepted']);
    const rejection = result.results[1];
    if (rejection?.status !== 'rejected') throw new Error('expected a rejection');
    expect(rejection.retryable).toBe(false);
    expect(rejection.error).toBeInstanceOf(HeraldProblem);
    expect(rejection.error).toMatchObject({ status: 422, slug: 'validation-failed' });
    expect((rejection.error as HeraldProblem).errors?.map((e) => e.pointer)).toContain('/body/events/1/type');
  });

  test('an NDJSON file goes through the presigned URL, and its report comes back', async () => {
    const type = 'client.uploaded';
    const lines = [
      ...Array.from({ length: 20 }, (_, index) => JSON.stringify({ type, data: { index } })),
      '',
      '{"type": "no good"',
    ];
    const progress: Array<{ sent: number; total: number }> = [];
    const upload = await client.uploadNdjson(new Blob([lines.join('\n')]), {
      onProgress: (p) => progress.push(p),
      pollIntervalMs: 250,
    });

    expect(upload.status).toBe('completed');
    expect(upload.report).toMatchObject({ lines: 22, accepted: 20, blank: 1 });
    expect(upload.report?.rejections).toEqual([expect.objectContaining({ line: 22 })]);
    expect(progress.at(-1)).toEqual({ sent: upload.size, total: upload.size });
    await eventually(
      async () => ((await allEvents(type)).length === 20 ? true : undefined),
      60_000,
      'uploaded events',
    );
  }, 120_000);

  test('subscriptions are created, listed across pages, updated, paused and resumed', async () => {
    const url = `${localCloud().endpoints.webhooks}/${tenant}-${randomBytes(4).toString('hex')}`;
    // Filters no event of this file matches: nothing is delivered to the receiver.
    for (let i = 0; i < 3; i++) {
      const subscription = await client.subscriptions.create({ url, eventTypes: [`client.never${i}.*`] });
      created.push(subscription.id);
      expect(subscription.secret).toMatch(/^whsec_/);
    }
    const listed: string[] = [];
    for await (const subscription of client.subscriptions.list({ pageSize: 2 })) listed.push(subscription.id);
    expect(listed.sort()).toEqual([...created].sort());

    const [first] = created;
    await client.subscriptions.update(first!, { description: 'through the client' });
    expect(await client.subscriptions.pause(first!)).toMatchObject({ status: 'paused' });
    expect(await client.subscriptions.resume(first!)).toMatchObject({ status: 'active' });
    expect(await client.subscriptions.get(first!)).toMatchObject({ description: 'through the client' });
  });

  test('a bad request is thrown as a HeraldProblem naming the field', async () => {
    const thrown = await client.subscriptions
      .create({ url: 'https://example.com/hook', eventTypes: [] })
      .catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(HeraldProblem);
    expect(thrown).toMatchObject({ status: 422, slug: 'validation-failed' });
    expect((thrown as HeraldProblem).errors?.map((e) => e.pointer)).toContain('/body/eventTypes');
  });

  test('a token without the scope gets a 403 HeraldProblem', async () => {
    const reader = clientWith(['events:read']);
    const thrown = await reader.subscriptions
      .list()
      .next()
      .catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(HeraldProblem);
    expect(thrown).toMatchObject({ status: 403 });
    const missing = await reader.events.get('01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC').catch((error: unknown) => error);
    expect(missing).toMatchObject({ status: 404 });
  });

  test("the tenants service: the caller's tenant, an API key created, listed, used and revoked, a portal token, the audit log", async () => {
    const keys = clientWith(['keys:read', 'keys:write', 'subscriptions:read', 'audit:read']);
    expect(await keys.tenant.get()).toMatchObject({ id: tenant, status: 'active' });
    const key = await keys.apiKeys.create({ name: 'client-test', scopes: ['subscriptions:read'] });
    expect(key.key).toMatch(/^hk_live_/);
    const listed = [];
    for await (const each of keys.apiKeys.list({ pageSize: 1 })) listed.push(each);
    expect(listed.map((each) => each.id)).toContain(key.id);
    expect(listed.find((each) => each.id === key.id)).not.toHaveProperty('key');

    const withKey = createHeraldClient({ baseUrls: baseUrls(), token: key.key });
    await expect(withKey.subscriptions.list().next()).resolves.toBeDefined();
    await expect(withKey.apiKeys.list().next()).rejects.toMatchObject({ status: 403 });
    await keys.apiKeys.revoke(key.id);
    expect(await keys.apiKeys.get(key.id)).toMatchObject({ revokedAt: expect.any(String) });

    const portal = await keys.portalTokens.create({ scopes: ['subscriptions:read'], ttlSeconds: 300 });
    expect(portal).toMatchObject({
      token: expect.stringMatching(/^hk_portal_/),
      scopes: ['subscriptions:read'],
    });

    // Some of this file's subscription changes are in the tenant's audit log, newest first.
    const entries = await eventually(async () => {
      const page = await keys.audit.page({ resourceType: 'subscription', pageSize: 100 });
      return page.items.length > 0 ? page.items : undefined;
    }, 30_000);
    expect(
      entries.every((entry) => entry.tenantId === tenant && entry.resource.type === 'subscription'),
    ).toBe(true);
  });
});
