/**
 * Content filters on the local cloud (the functions in their containers, DynamoDB Local, every
 * answer judged by the OpenAPI document): a subscription with {"data":{"total":[{"numeric":[">",100]}]}}
 * receives only the events it matches at its webhook receiver while one without a filter receives
 * them all; a replay and a replay's dry run honour the filter; test-filter answers which stored
 * events match; a refused filter is a 422 naming its pointer.
 */
import { describe, expect, test, beforeAll } from '@jest/globals';
import {
  configureEndpoint,
  endpointName,
  endpointUrl,
  eventually,
  publishStored,
  received,
  receivedAtLeast,
  signedEvent,
  tenantApi,
  webhookSubscription,
} from './support/cloud';

const unique = () => `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
const tenant = `it-filters-${unique()}`;
const api = tenantApi(tenant);
const FILTER = { data: { total: [{ numeric: ['>', 100] }] } };
const started = new Date(Date.now() - 1000).toISOString();
const events = [250, 50, 150, 100].map((total) => signedEvent(tenant, 'order.created', { total }));
const untotalled = signedEvent(tenant, 'order.created', { note: 'no total' });
const big = events.filter((e) => (e.data as { total: number }).total > 100).map((e) => e.id);
let filtered: { id: string; name: string };
let everything: { id: string; name: string };

const totals = async (name: string) =>
  (await received(name)).map((request) => (request.json?.data as { total?: number }).total);

beforeAll(async () => {
  const name = endpointName('filtered');
  const created = await api('POST', '/v1/subscriptions', {
    url: endpointUrl(name),
    eventTypes: ['order.*'],
    filter: FILTER,
  });
  expect(created.status).toBe(201);
  expect(created.body.filter).toEqual(FILTER);
  await configureEndpoint(name, { secret: created.body.secret });
  filtered = { id: created.body.id as string, name };
  everything = await webhookSubscription(api, 'unfiltered', ['order.*']);
  await publishStored(...events, untotalled);
}, 60_000);

describe('content filters on the local cloud', () => {
  test('only the matching events reach the filtered subscription; the other gets them all', async () => {
    // Once the unfiltered receiver has all five, dispatch has fanned every event out.
    await receivedAtLeast(everything.name, 5, 40_000);
    const requests = await receivedAtLeast(filtered.name, 2, 20_000);
    expect(requests.map((r) => r.json?.id).sort()).toEqual([...big].sort());
    expect(requests.every((r) => r.verified)).toBe(true);
    expect((await totals(filtered.name)).sort()).toEqual([150, 250]);
  }, 70_000);

  test('GET and the list show the filter', async () => {
    const got = await api('GET', `/v1/subscriptions/${filtered.id}`);
    expect(got.body.filter).toEqual(FILTER);
    const listed = await api('GET', '/v1/subscriptions');
    expect(listed.body.items!.find((s) => s.id === filtered.id)!.filter).toEqual(FILTER);
  });

  test('test-filter answers which stored events match, newest first', async () => {
    const answer = await eventually(
      async () => {
        const out = await api('POST', '/v1/subscriptions/test-filter', { filter: FILTER, since: started });
        return out.status === 200 && (out.body.examined as number) >= 5 ? out : undefined;
      },
      20_000,
      'test-filter seeing the five stored events',
    );
    expect(answer.body).toMatchObject({ examined: 5, truncated: false });
    const matched = answer.body.matched as Array<{ id: string; type: string; time: string }>;
    expect(matched.map((m) => m.id).sort()).toEqual([...big].sort());
    expect(matched[0]!.time >= matched[1]!.time).toBe(true);
    const none = await api('POST', '/v1/subscriptions/test-filter', {
      filter: FILTER,
      eventTypes: ['invoice.*'],
      since: started,
    });
    expect(none.body).toMatchObject({ matched: [], examined: 5 });
    const limited = await api('POST', '/v1/subscriptions/test-filter', { filter: FILTER, limit: 2 });
    expect(limited.body).toMatchObject({ examined: 2, truncated: true });
  }, 30_000);

  test("a replay's dry run counts, and the replay sends, only the matching events", async () => {
    const preview = await api('POST', `/v1/subscriptions/${filtered.id}/replay`, {
      since: started,
      dryRun: true,
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ dryRun: true, events: 2 });
    const all = await api('POST', `/v1/subscriptions/${everything.id}/replay`, {
      since: started,
      dryRun: true,
    });
    expect(all.body).toMatchObject({ events: 5 });

    const replay = await api('POST', `/v1/subscriptions/${filtered.id}/replay`, { since: started });
    expect(replay.status).toBe(202);
    await receivedAtLeast(filtered.name, 4, 30_000);
    // Settle: nothing else may arrive after the replay's two.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await totals(filtered.name)).sort()).toEqual([150, 150, 250, 250]);
  }, 45_000);

  test('a refused filter is a 422 naming its pointer; PATCH null removes the filter', async () => {
    const refused = await api('POST', '/v1/subscriptions', {
      url: endpointUrl(endpointName('refused')),
      eventTypes: ['order.*'],
      filter: { data: { total: [{ numeric: ['>', 'a hundred'] }] } },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ pointer: '/body/filter/data/total/0', message: expect.any(String) }),
    ]);
    const tooMany = await api('PATCH', `/v1/subscriptions/${filtered.id}`, {
      filter: { data: { n: Array.from({ length: 101 }, (_, i) => i) } },
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors).toEqual([
      expect.objectContaining({
        pointer: '/body/filter',
        message: expect.stringMatching(/at most 100 values/),
      }),
    ]);
    const removed = await api('PATCH', `/v1/subscriptions/${filtered.id}`, { filter: null });
    expect(removed.status).toBe(200);
    expect(removed.body).not.toHaveProperty('filter');
    const badTest = await api('POST', '/v1/subscriptions/test-filter', { filter: { type: 'order.created' } });
    expect(badTest.status).toBe(422);
    expect(badTest.body.errors).toEqual([expect.objectContaining({ pointer: '/body/filter/type' })]);
  });
});
