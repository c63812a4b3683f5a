/**
 * The abuse limits on the local cloud: a subscription's rate limit holding a burst to its rate with
 * every event delivered and no attempt failed, one replay per subscription and a limited number per
 * tenant running at once, bounded replay windows, subscriptions per tenant, and webhook ports.
 */
import { describe, expect, test } from '@jest/globals';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { awsClients } from '../../../test/setup/local-cloud';
import {
  configureEndpoint,
  endpointName,
  endpointUrl,
  eventually,
  publishStored,
  receivedAtLeast,
  signedEvent,
  tenantApi,
} from './support/cloud';

/** The local stage's limits (serverless.yml params). */
const LOCAL = { replayWindowHours: 12, concurrentReplays: 5, subscriptions: 100 };

async function webhook(api: ReturnType<typeof tenantApi>, label: string, body: Record<string, unknown> = {}) {
  const name = endpointName(label);
  const created = await api('POST', '/v1/subscriptions', {
    url: endpointUrl(name),
    eventTypes: ['order.*'],
    ...body,
  });
  expect(created.status).toBe(201);
  await configureEndpoint(name, { secret: created.body.secret });
  return { name, id: created.body.id as string, body: created.body };
}

const DELIVERIES_TABLE = 'herald-local-notifications-deliveries';

/**
 * `count` events of a type no subscription takes, kept for replay as dispatch keeps them (written
 * straight to the table: quicker than the bus), in the last 20 minutes. A replay's job pages through
 * them a hundred at a time, so it runs for a while whatever the machine's load.
 */
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

async function inBatches<T>(count: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += size) {
    const batch = Array.from({ length: Math.min(size, count - start) }, (_, i) => make(start + i));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

describe('abuse limits on the local cloud', () => {
  test('a subscription limited to 2/s: a burst of 10 arrives over at least 4 s, all delivered, no attempt failed', async () => {
    const api = tenantApi('it-rate-limit');
    const { name, id, body } = await webhook(api, 'rate', { rateLimit: 2 });
    expect(body.rateLimit).toBe(2);
    const events = Array.from({ length: 10 }, (_, i) => signedEvent('it-rate-limit', 'order.created', { i }));
    await publishStored(...events);

    const requests = await receivedAtLeast(name, 10, 60_000);
    expect(requests).toHaveLength(10);
    expect(requests.every((request) => request.verified)).toBe(true);
    expect(new Set(requests.map((request) => request.json?.id))).toEqual(new Set(events.map((e) => e.id)));
    const times = requests.map((request) => Date.parse(request.time)).sort((a, b) => a - b);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(4000);
    // One every 500 ms: never four within a second, even with one held up on its way (the queue, the
    // poller and this machine's load can make a delivery late, and it then goes at once).
    for (let i = 3; i < times.length; i++) expect(times[i]! - times[i - 3]!).toBeGreaterThanOrEqual(900);

    const history = await api('GET', `/v1/subscriptions/${id}/deliveries?limit=20`);
    expect(history.body.items).toHaveLength(10);
    for (const delivery of history.body.items!) {
      expect(delivery).toMatchObject({ status: 'succeeded' });
      expect(delivery.attempts).toEqual([expect.objectContaining({ attempt: 1, outcome: 'succeeded' })]);
    }
    const after = await api('GET', `/v1/subscriptions/${id}`);
    expect(after.body).toMatchObject({ status: 'active', rateLimit: 2 });
    expect(after.body.consecutiveFailures ?? 0).toBe(0);
  }, 120_000);

  test('replays: one per subscription at a time, a limited number per tenant, windows bounded', async () => {
    const tenant = 'it-replay-limits';
    const api = tenantApi(tenant);
    // Enough stored events that each replay's job takes many pages (150, each its own message on the
    // jobs queue): long after the last of these replays is admitted, the first is still running. With
    // 3,000 a first replay admitted a second before the others had finished before the last came.
    await storeNoise(tenant, 15_000);
    const subscriptions = await inBatches(LOCAL.concurrentReplays + 1, 3, (i) => webhook(api, `replay-${i}`));
    const since = new Date(Date.now() - 30 * 60_000).toISOString();
    const replay = (id: string, window: Record<string, unknown> = { since }) =>
      api('POST', `/v1/subscriptions/${id}/replay`, window);

    const answers = await Promise.all(subscriptions.map(({ id }) => replay(id)));
    const accepted = answers.filter((answer) => answer.status === 202);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(accepted).toHaveLength(LOCAL.concurrentReplays);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.contentType).toBe('application/problem+json');
    expect(refused[0]!.body).toMatchObject({
      type: 'https://herald.dev/problems/quota-exceeded',
      status: 409,
      quota: 'concurrentReplays',
      limit: LOCAL.concurrentReplays,
      current: LOCAL.concurrentReplays,
    });

    // A second replay of a subscription whose replay is running: refused with the running one's id.
    const first = answers.findIndex((answer) => answer.status === 202);
    const running = subscriptions[first]!;
    const again = await replay(running.id);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      type: 'https://herald.dev/problems/replay-running',
      replayId: answers[first]!.body.replayId,
    });

    // Once the jobs have queued their last pages, replays start again.
    await eventually(
      async () => ((await replay(running.id)).status === 202 ? true : undefined),
      180_000,
      'a replay accepted once the earlier one finished',
    );

    const tooLong = await replay(running.id, {
      since: new Date(Date.now() - (LOCAL.replayWindowHours + 1) * 3600_000).toISOString(),
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.errors).toEqual([
      {
        pointer: '/body/since',
        message: `the window from since to until must be at most ${LOCAL.replayWindowHours} hour(s) (the stage's maxReplayWindowHours)`,
      },
    ]);
  }, 420_000);

  test('subscriptions per tenant: the one past the limit is a 409 quota-exceeded, also when created at once', async () => {
    const api = tenantApi('it-subscription-quota');
    const create = (i: number) =>
      api('POST', '/v1/subscriptions', { url: endpointUrl(`quota-${i}`), eventTypes: ['order.*'] });
    const made = await inBatches(LOCAL.subscriptions - 1, 4, create);
    expect(made.map((answer) => answer.status)).toEqual(Array(LOCAL.subscriptions - 1).fill(201));

    // One place left, three asking at once: one gets it.
    const racing = await Promise.all([1, 2, 3].map((i) => create(1000 + i)));
    expect(racing.map((answer) => answer.status).sort()).toEqual([201, 409, 409]);
    for (const refused of racing.filter((answer) => answer.status === 409)) {
      expect(refused.body).toMatchObject({
        type: 'https://herald.dev/problems/quota-exceeded',
        quota: 'subscriptions',
        limit: LOCAL.subscriptions,
        current: LOCAL.subscriptions,
      });
    }
    const listed = await api('GET', '/v1/subscriptions?limit=100');
    expect(listed.body.items).toHaveLength(LOCAL.subscriptions);

    // Deleting one makes room for one.
    expect((await api('DELETE', `/v1/subscriptions/${made[0]!.body.id}`)).status).toBe(204);
    expect((await create(2000)).status).toBe(201);
    expect((await create(2001)).status).toBe(409);
  }, 180_000);

  test('a webhook on a port the stage does not allow is a 422 naming the port', async () => {
    const api = tenantApi('it-ports');
    const refused = await api('POST', '/v1/subscriptions', {
      url: 'https://hooks.example.com:8443/herald',
      eventTypes: ['order.*'],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      { pointer: '/body/url', message: expect.stringMatching(/not port 8443$/) },
    ]);
  });
});
