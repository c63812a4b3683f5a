/**
 * DynamoDB Local with the JVM options the local cloud starts it with, against the JVM's defaults: the
 * time to write --items items (1 KB each, batches of 25, four writers at once, as dispatch and consume
 * write), the time of 300 newest-first queries of 100, and the JVM's resident memory and its database file after both.
 * Then what the stream-record indexes the local cloud adds save (dynamodb-database.ts), with and
 * without them: the time of a GetRecords on a quiet stream's shard once --items records of another
 * table's stream were written after its last one (as the local cloud's pollers read the
 * subscriptions table's stream), and of one that reads the last records of the busy stream (as they
 * read the events table's).
 * Last, the JVM's CPU time per item written the two ways Herald writes (a conditional PutItem a
 * request, as consume stores an event and deliver records an attempt; items of a BatchWriteItem, as
 * dispatch keeps envelopes), to a table with a stream: what DynamoDB Local costs the local cloud's
 * capacity per write, whoever makes it.
 *
 *   npm run bench -- dynamodb-local [--items 20000]
 */
import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { DYNAMODB_JVM_OPTIONS, freePort, startDynamoDb, type DynamoDbOptions } from '@herald/local-cloud';
import { figure } from './lib/figures';
import { processTree } from './lib/process-tree';

const { values } = parseArgs({ options: { items: { type: 'string', default: '20000' } } });
const items = Number(values.items);
const WRITERS = 4;
const BATCH = 25;
const TABLE = 'bench-items';
const QUIET_TABLE = 'bench-quiet';
const QUIET_READS = 100;
/** Items written for each CPU-per-write figure: a few seconds of the JVM's CPU each. */
const WRITE_CPU_ITEMS = 4000;

interface Run {
  writeMs: number;
  queryMs: number;
  rssMiB: number;
  /** Mean time of a GetRecords on the quiet stream's shard after the writes. */
  quietReadMs: number;
  /** Mean time of a GetRecords of the written table's last WRITERS * BATCH stream records. */
  busyReadMs: number;
}

const clientConfig = (port: number) => ({
  endpoint: `http://127.0.0.1:${port}`,
  region: 'us-east-1',
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
});

/** The table the benchmark writes: a tenant's partition and a sort key, as Herald's tables are, with a stream. */
function createItemsTable(db: DynamoDBClient, view: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES') {
  return db.send(
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
      StreamSpecification: { StreamEnabled: true, StreamViewType: view },
    }),
  );
}

/** A DynamoDB Local of its own for `use`, on a free port, killed after it. */
async function withDynamoDb<T>(
  jvmOptions: readonly string[],
  options: DynamoDbOptions,
  use: (port: number, java: ChildProcess) => Promise<T>,
): Promise<T> {
  const port = await freePort();
  const java = await startDynamoDb(port, jvmOptions, options);
  try {
    return await use(port, java);
  } finally {
    java.kill('SIGKILL');
  }
}

function measure(jvmOptions: readonly string[], options: DynamoDbOptions = {}): Promise<Run> {
  return withDynamoDb(jvmOptions, options, async (port, java) => {
    const client = clientConfig(port);
    const db = new DynamoDBClient(client);
    const streams = new DynamoDBStreamsClient(client);
    await db.send(
      new CreateTableCommand({
        TableName: QUIET_TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    /** An iterator past the stream's last record so far, as a poller that has caught up holds. */
    const latestIterator = async (table: string) => {
      const streamArn = (await db.send(new DescribeTableCommand({ TableName: table }))).Table!
        .LatestStreamArn!;
      const shard = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn })))
        .StreamDescription!.Shards![0]!.ShardId!;
      return (
        await streams.send(
          new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard, ShardIteratorType: 'LATEST' }),
        )
      ).ShardIterator;
    };
    await db.send(new PutItemCommand({ TableName: QUIET_TABLE, Item: { pk: { S: 'only' } } }));
    let iterator = await latestIterator(QUIET_TABLE);
    await createItemsTable(db, 'NEW_IMAGE');
    const batches = items / (WRITERS * BATCH);
    let busyIterator: string | undefined;
    const written = performance.now();
    for (let batch = 0; batch < batches; batch++) {
      // Before the last batch's records (what a poller keeping up with the table reads); its three
      // calls count in the write time, a few ms of seconds.
      if (batch === batches - 1) busyIterator = await latestIterator(TABLE);
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
    const read = performance.now();
    for (let poll = 0; poll < QUIET_READS; poll++)
      iterator = (await streams.send(new GetRecordsCommand({ ShardIterator: iterator }))).NextShardIterator;
    const quietReadMs = (performance.now() - read) / QUIET_READS;
    const tail = performance.now();
    for (let poll = 0; poll < QUIET_READS; poll++)
      await streams.send(new GetRecordsCommand({ ShardIterator: busyIterator }));
    const busyReadMs = (performance.now() - tail) / QUIET_READS;
    // The database is a file on /dev/shm: memory that the JVM's RSS leaves out, so TreeProcess adds it.
    const rssMiB = processTree(java.pid!).find((p) => p.pid === java.pid)!.rssMiB;
    db.destroy();
    streams.destroy();
    return { writeMs, queryMs, rssMiB, quietReadMs, busyReadMs };
  });
}

/** CPU (ms) DynamoDB Local's JVM uses per 1 KB item written to a table with a stream, read from /proc. */
function writeCpu(jvmOptions: readonly string[]): Promise<{ putItemMs: number; batchItemMs: number }> {
  return withDynamoDb(jvmOptions, {}, async (port, java) => {
    const db = new DynamoDBClient(clientConfig(port));
    await createItemsTable(db, 'NEW_AND_OLD_IMAGES');
    const item = (writer: number, key: string) => ({
      pk: { S: `TENANT#tenant-${writer}` },
      sk: { S: key },
      data: { S: 'x'.repeat(1000) },
    });
    const jvmCpuMs = () => processTree(java.pid!).find((p) => p.pid === java.pid)!.cpuMs;
    /** Runs `round` (WRITERS writers at once, each writing its share) `rounds` times after a warm-up. */
    const cpuPerItem = async (itemsPerRound: number, round: (index: number) => Promise<unknown>) => {
      for (let index = 0; index < 20; index++) await round(-1 - index);
      const rounds = Math.ceil(WRITE_CPU_ITEMS / itemsPerRound);
      const before = jvmCpuMs();
      for (let index = 0; index < rounds; index++) await round(index);
      return (jvmCpuMs() - before) / (rounds * itemsPerRound);
    };
    const putItemMs = await cpuPerItem(WRITERS, (index) =>
      Promise.all(
        Array.from({ length: WRITERS }, (_, writer) =>
          db.send(
            new PutItemCommand({
              TableName: TABLE,
              Item: item(writer, `put-${index}`),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        ),
      ),
    );
    const batchItemMs = await cpuPerItem(WRITERS * BATCH, (index) =>
      Promise.all(
        Array.from({ length: WRITERS }, (_, writer) =>
          db.send(
            new BatchWriteItemCommand({
              RequestItems: {
                [TABLE]: Array.from({ length: BATCH }, (_, i) => ({
                  PutRequest: { Item: item(writer, `batch-${index}-${i}`) },
                })),
              },
            }),
          ),
        ),
      ),
    );
    db.destroy();
    return { putItemMs, batchItemMs };
  });
}

const defaults = await measure([]);
const chosen = await measure(DYNAMODB_JVM_OPTIONS);
const unindexed = await measure(DYNAMODB_JVM_OPTIONS, { streamRecordIndexes: false });
const options = DYNAMODB_JVM_OPTIONS.join(' ');
console.log(`DynamoDB Local, ${items} items of 1 KB, then 300 queries (JVM defaults → ${options}):`);
for (const [name, unit, a, b] of [
  ['write', 'ms', defaults.writeMs, chosen.writeMs],
  ['query', 'ms', defaults.queryMs, chosen.queryMs],
  ['memory (resident and database file)', 'MiB', defaults.rssMiB, chosen.rssMiB],
] as const) {
  console.log(`  ${name}: ${a.toFixed(0)} → ${b.toFixed(0)} ${unit}`);
  figure({
    figure: `DynamoDB Local ${name}, ${items} items (${options})`,
    value: b,
    unit,
    baseline: { value: a, label: 'JVM defaults' },
  });
}
for (const [name, read] of [
  [`GetRecords on a quiet stream after ${items} records of another`, 'quietReadMs'],
  [`GetRecords of a stream's last ${WRITERS * BATCH} of ${items} records`, 'busyReadMs'],
] as const) {
  console.log(
    `${name}: ${unindexed[read].toFixed(2)} ms without the stream-record indexes → ${chosen[read].toFixed(2)} ms with them`,
  );
  figure({
    figure: `DynamoDB Local ${name}`,
    value: chosen[read],
    unit: 'ms',
    baseline: { value: unindexed[read], label: 'without the stream-record indexes' },
  });
}
const cpu = await writeCpu(DYNAMODB_JVM_OPTIONS);
console.log(
  `DynamoDB Local's CPU per 1 KB item written (stream on): ${cpu.putItemMs.toFixed(2)} ms by conditional PutItem, ` +
    `${cpu.batchItemMs.toFixed(2)} ms in a BatchWriteItem of ${BATCH}`,
);
figure({
  figure: "DynamoDB Local's CPU per item written, conditional PutItem",
  value: cpu.putItemMs,
  unit: 'ms',
});
figure({
  figure: `DynamoDB Local's CPU per item written, BatchWriteItem of ${BATCH}`,
  value: cpu.batchItemMs,
  unit: 'ms',
});
