/**
 * A tenant's rates and daily upload bytes on the local cloud, through the API: over its rate a
 * request gets 429 with Retry-After and the RateLimit fields and nothing of it is stored by
 * processing; a batch over what is left of the events is refused whole; an upload past the day's
 * bytes is a 409. The tenants' own values come from the local stage's `tenantLimits`
 * (serverless.yml) until the tenants service hands settings through the authorizer end to end:
 * limits-rate 3 requests and 150 events a second, limits-events 20 events a second, limits-upload
 * 3000 bytes a day.
 */
import { describe, expect, test } from '@jest/globals';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { functionClientConfig } from '@herald/local-cloud/client';
import { awsClients, localCloud, tokenFor } from '../../../test/setup/local-cloud';
import { drained } from '../../../test/e2e/support/barrier';

const cloud = localCloud();
const { dynamodb } = awsClients();
const api = cloud.endpoints.services.ingest;
const run = Date.now().toString(36);

async function post(tenant: string, path: string, body: unknown) {
  const token = await tokenFor({ tenant, scopes: ['events:write'] });
  const response = await fetch(`${api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** The ids processing stored for the tenant that this run sent. */
async function storedIds(tenant: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let start: Record<string, unknown> | undefined;
  do {
    const out = await dynamodb.send(
      new QueryCommand({
        TableName: 'herald-local-processing-events',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `TENANT#${tenant}` },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? [])
      if (String(item.eventId).startsWith(run)) ids.add(item.eventId as string);
    start = out.LastEvaluatedKey;
  } while (start);
  return ids;
}

const RATE_FIELDS = /^"requests";r=\d+;t=\d+, "events";r=\d+;t=\d+$/;

describe("a tenant's rates and upload bytes", () => {
  test('over its requests a second: 429 with Retry-After and the RateLimit fields, and nothing of it stored', async () => {
    const tenant = 'limits-rate';
    // 12 at once: at 3 a second, some are refused however the windows fall.
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        post(tenant, '/v1/events', { id: `${run}-r${i}`, type: 'order.created', data: { i } }),
      ),
    );
    const accepted = answers.flatMap((answer, i) => (answer.status === 202 ? [`${run}-r${i}`] : []));
    const refused = answers.flatMap((answer, i) => (answer.status === 429 ? [`${run}-r${i}`] : []));
    expect(accepted.length + refused.length).toBe(12);
    expect(refused.length).toBeGreaterThan(0);
    const success = answers.find((answer) => answer.status === 202)!;
    expect(success.headers.get('ratelimit-policy')).toBe('"requests";q=3;w=1, "events";q=150;w=1');
    expect(success.headers.get('ratelimit')).toMatch(RATE_FIELDS);
    const problem = answers.find((answer) => answer.status === 429)!;
    expect(problem.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(problem.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(problem.headers.get('ratelimit')).toMatch(/^"requests";r=0;t=\d+, /);
    expect(problem.body).toMatchObject({
      type: 'https://herald.dev/problems/rate-limited',
      status: 429,
      quota: 'ingestRequestsPerSecond',
      limit: 3,
    });

    await drained([cloud.outputs.processing.InboundQueueUrl!]);
    expect([...(await storedIds(tenant))].sort()).toEqual(accepted.sort());
  }, 120_000);

  test('a batch over what is left of the events is refused whole, and none of it is stored', async () => {
    const tenant = 'limits-events';
    const batch = (label: string, n: number) => ({
      events: Array.from({ length: n }, (_, i) => ({
        id: `${run}-${label}${i}`,
        type: 'order.created',
        data: { i },
      })),
    });
    // 21 events can never fit a 20-a-second window: refused whole without waiting.
    const never = await post(tenant, '/v1/events', batch('n', 21));
    expect(never.status).toBe(429);
    expect(never.body).toMatchObject({
      quota: 'ingestEventsPerSecond',
      limit: 20,
      requested: 21,
      refusedWhole: true,
    });
    expect(never.body.detail).toMatch(/refused whole: none was accepted.*split it/);

    // Two batches of 15 at once: one window cannot take both, so one is refused whole (or, split by
    // a window's edge, both pass; then a third at once with them is refused).
    const answers = await Promise.all(
      ['a', 'b', 'c'].map((label) => post(tenant, '/v1/events', batch(label, 15))),
    );
    const refused = answers.flatMap((answer, i) => (answer.status === 429 ? [['a', 'b', 'c'][i]!] : []));
    const accepted = answers.flatMap((answer, i) => (answer.status === 202 ? [['a', 'b', 'c'][i]!] : []));
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of answers.filter((a) => a.status === 429)) {
      expect(answer.body).toMatchObject({
        quota: 'ingestEventsPerSecond',
        requested: 15,
        refusedWhole: true,
      });
      expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
    }

    await drained([cloud.outputs.processing.InboundQueueUrl!]);
    const expected = accepted.flatMap((label) => Array.from({ length: 15 }, (_, i) => `${run}-${label}${i}`));
    expect([...(await storedIds(tenant))].sort()).toEqual(expected.sort());
  }, 120_000);

  test("an upload past the tenant's bytes of the day is a 409 naming the quota, the limit and the count", async () => {
    const tenant = 'limits-upload';
    const first = await post(tenant, '/v1/uploads', { size: 2000 });
    expect(first.status).toBe(201);
    expect(first.headers.get('ratelimit-policy')).toMatch(/^"requests";q=10000;w=1/);
    const refused = await post(tenant, '/v1/uploads', { size: 1001 });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      type: 'https://herald.dev/problems/quota-exceeded',
      quota: 'uploadBytesPerDay',
      limit: 3000,
      current: expect.any(Number),
    });
    expect(refused.body.current).toBeGreaterThanOrEqual(2000);
  }, 60_000);

  test("acceptEvents' role may count rate windows only, not upload bytes (dynamodb:LeadingKeys)", async () => {
    const gateway = cloud.endpoints.gateways.dynamodb!;
    const accept = new DynamoDBClient(functionClientConfig(gateway, 'herald-ingest-local-acceptEvents'));
    const count = (pk: string) =>
      accept.send(
        new UpdateItemCommand({
          TableName: 'herald-local-ingest-limits',
          Key: { pk: { S: pk } },
          UpdateExpression: 'ADD probe :one SET expiresAt = :at',
          ExpressionAttributeValues: {
            ':one': { N: '1' },
            ':at': { N: String(Math.floor(Date.now() / 1000) + 60) },
          },
        }),
      );
    await count(`RATE#limits-probe#${run}`);
    const error = await count(`QUOTA#limits-probe#UPLOADBYTES#${run}`).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.name).toMatch(/^AccessDenied(Exception)?$/);
    expect(error?.message).toContain('dynamodb:UpdateItem');
  });
});
