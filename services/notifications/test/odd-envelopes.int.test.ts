/**
 * Envelopes a DynamoDB map cannot hold (a number such as 1.5e-300, 40 levels of nesting, a
 * `__proto__` member, emoji) are fanned out, delivered and replayed on the local cloud, verified at
 * every step; an item kept as a map before the event log kept text is still replayed; odd webhook
 * addresses and forged cursors get a 4xx, never a 500.
 */
import { describe, expect, test } from '@jest/globals';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Envelope } from '@herald/shared/contracts';
import { encodeCursor } from '@herald/shared/cursor';
import { ulid } from 'ulid';
import { awsClients } from '../../../test/setup/local-cloud';
import {
  configureEndpoint,
  endpointName,
  endpointUrl,
  publishStored,
  receivedAtLeast,
  signedEvent,
  tenantApi,
} from './support/cloud';

const DELIVERIES_TABLE = 'herald-local-notifications-deliveries';

const deep = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level++) value = { level: value };
  return value;
};

/** Data no DynamoDB map can keep as it is. */
const oddData = () =>
  JSON.parse(
    `{"tiny":1.5e-300,"deep":${JSON.stringify(deep(40))},"__proto__":{"polluted":true},"emoji":"😀👍🏽","big":9007199254740991}`,
  ) as Record<string, unknown>;

async function subscribed(tenant: string) {
  const api = tenantApi(tenant);
  const endpoint = endpointName('odd');
  const created = await api('POST', '/v1/subscriptions', {
    url: endpointUrl(endpoint),
    eventTypes: ['odd.*'],
  });
  expect(created.status).toBe(201);
  // The receiver verifies what arrives with the subscription's secret.
  await configureEndpoint(endpoint, { secret: created.body.secret });
  return { api, endpoint, id: created.body.id as string };
}

describe('odd envelopes travel', () => {
  test('delivered with exactly the data signed, and replayed from the event log', async () => {
    const tenant = `odd-${ulid().toLowerCase()}`;
    const { api, endpoint, id } = await subscribed(tenant);
    const since = new Date(Date.now() - 1000).toISOString();
    const envelope = signedEvent(tenant, 'odd.event', oddData());
    await publishStored(envelope);

    const [first] = await receivedAtLeast(endpoint, 1, 60_000);
    expect(first!.verified).toBe(true);
    expect(JSON.stringify(first!.json!.data)).toBe(JSON.stringify(envelope.data));

    // Replay reads the kept envelope back from the table.
    const replay = await api('POST', `/v1/subscriptions/${id}/replay`, { since });
    expect(replay.status).toBe(202);
    const requests = await receivedAtLeast(endpoint, 2, 60_000);
    expect(JSON.stringify(requests[1]!.json!.data)).toBe(JSON.stringify(envelope.data));
  }, 90_000);

  test('an envelope kept as a map, as before, is still replayed', async () => {
    const tenant = `odd-${ulid().toLowerCase()}`;
    const { api, endpoint, id } = await subscribed(tenant);
    const envelope: Envelope = signedEvent(tenant, 'odd.legacy', { total: 42, lines: [{ sku: 'a-1' }] });
    const busTime = new Date(Date.now() - 60_000).toISOString();
    await awsClients().dynamodb.send(
      new PutCommand({
        TableName: DELIVERIES_TABLE,
        Item: {
          pk: `TENANT#${tenant}`,
          sk: `EVT#${busTime}#${envelope.id}`,
          envelope,
          expiresAt: Math.floor(Date.now() / 1000) + 3600,
        },
      }),
    );
    const replay = await api('POST', `/v1/subscriptions/${id}/replay`, {
      since: new Date(Date.now() - 120_000).toISOString(),
    });
    expect(replay.status).toBe(202);
    const [request] = await receivedAtLeast(endpoint, 1, 60_000);
    expect(request!.verified).toBe(true);
    expect(request!.json).toMatchObject({ id: envelope.id, data: envelope.data });
  }, 90_000);
});

describe('odd input gets a 4xx, never a 500', () => {
  test('IPv4-compatible IPv6 webhook addresses are judged by the IPv4 host inside', async () => {
    const api = tenantApi(`odd-${ulid().toLowerCase()}`);
    for (const url of ['https://[::10.0.0.1]/', 'https://[::169.254.169.254]/', 'https://[::0.0.0.2]/']) {
      const answer = await api('POST', '/v1/subscriptions', { url, eventTypes: ['odd.*'] });
      expect([url, answer.status]).toEqual([url, 422]);
    }
    // Loopback is what the local stage allows (its webhook receiver is on 127.0.0.1).
    const loopback = await api('POST', '/v1/subscriptions', {
      url: 'https://[::127.0.0.1]/',
      eventTypes: ['odd.*'],
    });
    expect(loopback.status).toBeLessThan(500);
  }, 90_000);

  test('forged cursors on both list routes', async () => {
    const tenant = `odd-${ulid().toLowerCase()}`;
    const { api, id } = await subscribed(tenant);
    const partition = `TENANT#${tenant}`;
    const index = `${partition}#SUB#${id}`;
    const forged = [
      'x',
      encodeCursor([]),
      encodeCursor([partition, '']),
      encodeCursor([partition, 'DLV#x']),
      encodeCursor([partition, 'EVT#2026']),
      encodeCursor([partition, 'SUB#']),
      encodeCursor([partition, 'SUB#\ud800']),
      encodeCursor([partition, `SUB#${'x'.repeat(600)}`]),
      encodeCursor(['TENANT#other', 'SUB#sub_x']),
      encodeCursor([index, '', partition, 'DLV#x']),
      encodeCursor([index, 'not-a-time', partition, 'SUB#x']),
      encodeCursor([index, '2026-01-01T00:00:00.000Z#msg_x', partition, '']),
      encodeCursor([index, 'x'.repeat(300), partition, 'x'.repeat(300)]),
      Buffer.from('["a",1]').toString('base64url'),
    ];
    for (const cursor of forged) {
      const subscriptions = await api('GET', `/v1/subscriptions?cursor=${encodeURIComponent(cursor)}`);
      const history = await api(
        'GET',
        `/v1/subscriptions/${id}/deliveries?cursor=${encodeURIComponent(cursor)}`,
      );
      expect([cursor, subscriptions.status < 500, history.status < 500]).toEqual([cursor, true, true]);
    }
  }, 90_000);
});
