/**
 * Ingest's per-tenant rate limiter: the candidates of services/ingest/src/limits.ts measured against
 * DynamoDB Local, with --containers callers ("Lambda containers") of one tenant at once, each making
 * --requests requests one after another, under limits none of them reach (the cost of admitting a
 * request, paid by every request):
 *
 * - fixed window (chosen): one conditional UpdateItem ADD on the tenant's item of the second
 *   (DynamoRateLimitStore.take, the adapter ingest runs);
 * - token bucket: a consistent GetItem of the tenant's bucket, the refill computed here, then a
 *   PutItem conditional on the bucket being unchanged since the read, again from the read when
 *   another container's write won;
 * - none: the request without a limiter (0 calls).
 *
 * It reports AWS calls and ms per request for each. DynamoDB Local is not DynamoDB: its latency is
 * a local JVM's, so read the call counts and the ratio, not the milliseconds, as AWS's.
 *
 *   npm run bench -- rate-limiter [--containers 8] [--requests 200]
 */
import { parseArgs } from 'node:util';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { freePort, startDynamoDb } from '@herald/local-cloud';
import { DynamoRateLimitStore } from '../../services/ingest/src/adapters/dynamo-rate-limit-store';
import { takeRate } from '../../services/ingest/src/limits';
import { figure } from './lib/figures';
import { percentile } from './lib/stats';

const { values } = parseArgs({
  options: { containers: { type: 'string', default: '8' }, requests: { type: 'string', default: '200' } },
});
const containers = Number(values.containers);
const requests = Number(values.requests);
const TABLE = 'bench-limits';
const LIMITS = { ingestRequestsPerSecond: 1_000_000, ingestEventsPerSecond: 100_000_000 };

interface Result {
  calls: number;
  ms: number[];
}

/** A token bucket in one item: tokens left and when they were counted (read, refill, conditional write). */
async function bucketTake(
  db: DynamoDBDocumentClient,
  tenant: string,
  cost: number,
  counter: { calls: number },
) {
  const rate = LIMITS.ingestEventsPerSecond;
  for (;;) {
    counter.calls += 1;
    const { Item } = await db.send(
      new GetCommand({ TableName: TABLE, Key: { pk: `BUCKET#${tenant}` }, ConsistentRead: true }),
    );
    const now = Date.now();
    const tokens = Item ? Math.min(rate, Item.tokens + ((now - Item.at) / 1000) * rate) : rate;
    if (tokens < cost) return false;
    try {
      counter.calls += 1;
      await db.send(
        new PutCommand({
          TableName: TABLE,
          Item: { pk: `BUCKET#${tenant}`, tokens: tokens - cost, at: now, version: (Item?.version ?? 0) + 1 },
          ConditionExpression: Item ? 'version = :version' : 'attribute_not_exists(pk)',
          ...(Item ? { ExpressionAttributeValues: { ':version': Item.version } } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

async function run(take: (tenant: string, counter: { calls: number }) => Promise<unknown>): Promise<Result> {
  const counter = { calls: 0 };
  const ms: number[] = [];
  await Promise.all(
    Array.from({ length: containers }, async () => {
      for (let i = 0; i < requests; i++) {
        const started = performance.now();
        await take('acme', counter);
        ms.push(performance.now() - started);
      }
    }),
  );
  return { calls: counter.calls, ms };
}

const port = await freePort();
const java = await startDynamoDb(port);
try {
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  const db = DynamoDBDocumentClient.from(client);
  const store = new DynamoRateLimitStore(db, TABLE);
  // One warm-up of each, so neither pays the first connection.
  await store.take('warm', 0, 1, { requests: 10, events: 10 }, 0);
  await bucketTake(db, 'warm', 1, { calls: 0 });

  const candidates: Array<[string, (tenant: string, counter: { calls: number }) => Promise<unknown>]> = [
    ['none', async () => undefined],
    [
      'fixed window (UpdateItem)',
      async (tenant, counter) => {
        counter.calls += 1;
        return takeRate(tenant, 10, LIMITS, { windowSeconds: 1 }, { store, now: () => new Date() });
      },
    ],
    [
      'token bucket (GetItem + conditional PutItem)',
      (tenant, counter) => bucketTake(db, tenant, 10, counter),
    ],
  ];
  console.log(
    `Rate limiter, ${containers} containers × ${requests} requests of one tenant (DynamoDB Local):`,
  );
  const results = new Map<string, Result>();
  for (const [name, take] of candidates) {
    const result = await run(take);
    results.set(name, result);
    const perRequest = result.calls / (containers * requests);
    console.log(
      `  ${name}: ${perRequest.toFixed(2)} calls/request, p50 ${percentile(result.ms, 50).toFixed(2)} ms, p99 ${percentile(result.ms, 99).toFixed(2)} ms`,
    );
    figure({
      figure: `rate limiter ${name}: AWS calls per request`,
      value: perRequest,
      unit: 'calls/request',
    });
    figure({ figure: `rate limiter ${name}: p50 per request`, value: percentile(result.ms, 50), unit: 'ms' });
  }
  client.destroy();
} finally {
  java.kill('SIGKILL');
}
