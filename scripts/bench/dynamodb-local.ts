/**
 * DynamoDB Local with the JVM options the local cloud starts it with, against the JVM's defaults: the
 * time to write --items items (1 KB each, batches of 25, four writers at once, as dispatch and consume
 * write), the time of 300 newest-first queries of 100, and the JVM's resident memory after both.
 *
 *   npm run bench -- dynamodb-local [--items 20000]
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { DYNAMODB_JVM_OPTIONS, freePort, startDynamoDb } from '@herald/local-cloud';
import { figure } from './lib/figures';

const { values } = parseArgs({ options: { items: { type: 'string', default: '20000' } } });
const items = Number(values.items);
const WRITERS = 4;
const BATCH = 25;
const TABLE = 'bench-items';

interface Run {
  writeMs: number;
  queryMs: number;
  rssMiB: number;
}

async function measure(jvmOptions: readonly string[]): Promise<Run> {
  const port = await freePort();
  const java = await startDynamoDb(port, jvmOptions);
  try {
    const db = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    });
    await db.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    const written = performance.now();
    for (let batch = 0; batch < items / (WRITERS * BATCH); batch++) {
      await Promise.all(
        Array.from({ length: WRITERS }, (_, writer) =>
          db.send(
            new BatchWriteItemCommand({
              RequestItems: {
                [TABLE]: Array.from({ length: BATCH }, (_, i) => ({
                  PutRequest: {
                    Item: {
                      pk: { S: `tenant-${writer}` },
                      sk: { S: `${String(batch).padStart(6, '0')}-${i}` },
                      data: { S: 'x'.repeat(1000) },
                    },
                  },
                })),
              },
            }),
          ),
        ),
      );
    }
    const writeMs = performance.now() - written;
    const queried = performance.now();
    for (let query = 0; query < 300; query++) {
      await db.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: `tenant-${query % WRITERS}` } },
          ScanIndexForward: false,
          Limit: 100,
        }),
      );
    }
    const queryMs = performance.now() - queried;
    const rssMiB =
      Number(execFileSync('ps', ['-o', 'rss=', '-p', String(java.pid)], { encoding: 'utf8' })) / 1024;
    db.destroy();
    return { writeMs, queryMs, rssMiB };
  } finally {
    java.kill('SIGKILL');
  }
}

const defaults = await measure([]);
const chosen = await measure(DYNAMODB_JVM_OPTIONS);
const options = DYNAMODB_JVM_OPTIONS.join(' ');
console.log(`DynamoDB Local, ${items} items of 1 KB, then 300 queries (JVM defaults → ${options}):`);
for (const [name, unit, a, b] of [
  ['write', 'ms', defaults.writeMs, chosen.writeMs],
  ['query', 'ms', defaults.queryMs, chosen.queryMs],
  ['resident memory', 'MiB', defaults.rssMiB, chosen.rssMiB],
] as const) {
  console.log(`  ${name}: ${a.toFixed(0)} → ${b.toFixed(0)} ${unit}`);
  figure({
    figure: `DynamoDB Local ${name}, ${items} items (${options})`,
    value: b,
    unit,
    baseline: { value: a, label: 'JVM defaults' },
  });
}
