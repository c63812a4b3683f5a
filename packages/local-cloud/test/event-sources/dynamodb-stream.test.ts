// The DynamoDB stream event source mapping against DynamoDB Local's real stream through the real SDK: the
// records Lambda builds, filter criteria, order, retries of a failed batch (the shard waits), partial batch
// responses, bisection, the retry limit, and starting positions.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue, StreamViewType } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { clientConfig } from '../../src/aws';
import { startEmulators } from '../../src/emulators';
import type { Emulators } from '../../src/emulators';
import type { EventSourceHandle } from '../../src/event-sources/common';
import { startStreamMapping } from '../../src/event-sources/dynamodb-stream';
import { FunctionError } from '../../src/types';
import type { StreamMapping } from '../../src/types';
import {
  delay,
  EMULATOR_TEST_MS,
  EMULATORS_START_MS,
  EMULATORS_STOP_MS,
  MemoryLog,
  settlesBefore,
  TestInvoker,
  uniqueName,
  waitFor,
} from './helpers';

// The emulators answer slowly on a busy machine: any test here may take that long.
jest.setTimeout(EMULATOR_TEST_MS);

let emulators: Emulators;
let dynamodb: DynamoDBClient;
let streams: DynamoDBStreamsClient;
const running: EventSourceHandle[] = [];

/** Fast polling and retries, so the tests take milliseconds where Lambda takes seconds. */
const timing = { pollIntervalMs: 25, retryBackoffMs: { initial: 20, max: 100 }, errorBackoffMs: 50 };

beforeAll(async () => {
  emulators = await startEmulators('auto');
  dynamodb = new DynamoDBClient(clientConfig(emulators.endpoints.dynamodb));
  streams = new DynamoDBStreamsClient(clientConfig(emulators.endpoints.dynamodb));
}, EMULATORS_START_MS);

afterAll(async () => {
  await Promise.all(running.map((handle) => handle.stop()));
  dynamodb?.destroy();
  streams?.destroy();
  await emulators?.stop();
}, EMULATORS_STOP_MS);

async function createTable(viewType: StreamViewType = 'NEW_IMAGE') {
  const tableName = uniqueName('items');
  const out = await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
    }),
  );
  return { tableName, streamArn: out.TableDescription!.LatestStreamArn! };
}

type Table = Awaited<ReturnType<typeof createTable>>;

function mapping(table: Table, overrides: Partial<StreamMapping> = {}): StreamMapping {
  return {
    kind: 'dynamodb-stream',
    functionName: 'on-change',
    streamArn: table.streamArn,
    tableName: table.tableName,
    batchSize: 100,
    maximumBatchingWindowInSeconds: 0,
    startingPosition: 'TRIM_HORIZON',
    filterPatterns: [],
    maximumRetryAttempts: -1,
    bisectBatchOnFunctionError: false,
    reportBatchItemFailures: false,
    enabled: true,
    ...overrides,
  };
}

async function start(streamMapping: StreamMapping, invoker: TestInvoker, log = new MemoryLog()) {
  const handle = await startStreamMapping(streamMapping, { streams, invoker, log }, timing);
  running.push(handle);
  return handle;
}

const put = (table: Table, pk: string, attributes: Record<string, AttributeValue> = {}) =>
  dynamodb.send(new PutItemCommand({ TableName: table.tableName, Item: { pk: { S: pk }, ...attributes } }));
const update = (table: Table, pk: string, value: string) =>
  dynamodb.send(
    new UpdateItemCommand({
      TableName: table.tableName,
      Key: { pk: { S: pk } },
      UpdateExpression: 'SET v = :v',
      ExpressionAttributeValues: { ':v': { S: value } },
    }),
  );
const remove = (table: Table, pk: string) =>
  dynamodb.send(new DeleteItemCommand({ TableName: table.tableName, Key: { pk: { S: pk } } }));

const keyOf = (record: DynamoDBRecord) => record.dynamodb?.Keys?.pk?.S;
const delivered = (invoker: TestInvoker) => invoker.batches<DynamoDBRecord>('on-change');

describe('records and filters', () => {
  test('with {"eventName":["INSERT"]} only inserts arrive, each once, in order, shaped as Lambda’s', async () => {
    const table = await createTable();
    const invoker = new TestInvoker();
    const startedAt = Date.now() / 1000;
    await start(mapping(table, { filterPatterns: [{ eventName: ['INSERT'] }] }), invoker);
    await put(table, 'k1', { v: { S: 'first' } });
    await put(table, 'k2', { v: { S: 'first' } });
    await update(table, 'k1', 'second');
    await remove(table, 'k1');
    await put(table, 'k1', { v: { S: 'again' } });
    await remove(table, 'k2');
    await put(table, 'k3', { v: { S: 'first' } });
    await waitFor('three inserts', () => delivered(invoker).flat().length >= 4);
    await delay(300);

    const records = delivered(invoker).flat();
    expect(
      records.map((record) => [record.eventName, keyOf(record), record.dynamodb?.NewImage?.v?.S]),
    ).toEqual([
      ['INSERT', 'k1', 'first'],
      ['INSERT', 'k2', 'first'],
      ['INSERT', 'k1', 'again'],
      ['INSERT', 'k3', 'first'],
    ]);
    expect(new Set(records.map((record) => record.eventID)).size).toBe(4);
    const sequences = records.map((record) => BigInt(record.dynamodb!.SequenceNumber!));
    expect([...sequences].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequences);

    const first = records[0]!;
    expect(first).toEqual({
      eventID: expect.any(String),
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        Keys: { pk: { S: 'k1' } },
        NewImage: { pk: { S: 'k1' }, v: { S: 'first' } },
        SequenceNumber: expect.stringMatching(/^\d+$/),
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_IMAGE',
      },
      eventSourceARN: table.streamArn,
    });
    // Epoch seconds, not milliseconds or a Date: no later than now, and no earlier than the test's
    // start rounded down to its minute.
    const created = first.dynamodb!.ApproximateCreationDateTime!;
    expect(created).toBeGreaterThanOrEqual(Math.floor(startedAt / 60) * 60);
    expect(created).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(invoker.invocations[0]!.type).toBe('RequestResponse');
  });

  test('a filter on the new image delivers matching inserts and modifications only', async () => {
    const table = await createTable('NEW_AND_OLD_IMAGES');
    const invoker = new TestInvoker();
    await start(
      mapping(table, { filterPatterns: [{ dynamodb: { NewImage: { type: { S: ['x'] } } } }] }),
      invoker,
    );
    await put(table, 'a', { type: { S: 'x' } });
    await put(table, 'b', { type: { S: 'y' } });
    await update(table, 'a', 'changed');
    await remove(table, 'a');
    await put(table, 'sentinel', { type: { S: 'x' } });
    await waitFor('the sentinel', () =>
      delivered(invoker)
        .flat()
        .some((record) => keyOf(record) === 'sentinel'),
    );

    const records = delivered(invoker).flat();
    expect(records.map((record) => [record.eventName, keyOf(record)])).toEqual([
      ['INSERT', 'a'],
      ['MODIFY', 'a'],
      ['INSERT', 'sentinel'],
    ]);
    expect(records[1]!.dynamodb?.OldImage).toEqual({ pk: { S: 'a' }, type: { S: 'x' } });
  });

  test('several patterns: a record matching any of them is delivered', async () => {
    const table = await createTable();
    const invoker = new TestInvoker();
    const patterns = [
      { eventName: ['REMOVE'] },
      { dynamodb: { Keys: { pk: { S: [{ prefix: 'keep-' }] } } } },
    ];
    await start(mapping(table, { filterPatterns: patterns }), invoker);
    await put(table, 'keep-1');
    await put(table, 'drop-1');
    await remove(table, 'drop-1');
    await waitFor('two records', () => delivered(invoker).flat().length >= 2);
    await delay(200);
    expect(
      delivered(invoker)
        .flat()
        .map((record) => [record.eventName, keyOf(record)]),
    ).toEqual([
      ['INSERT', 'keep-1'],
      ['REMOVE', 'drop-1'],
    ]);
  });

  test('an invalid filter pattern fails the start', async () => {
    const table = await createTable();
    await expect(
      startStreamMapping(mapping(table, { filterPatterns: [{ eventName: 'INSERT' }] }), {
        streams,
        invoker: new TestInvoker(),
        log: new MemoryLog(),
      }),
    ).rejects.toThrow(/Event pattern is not valid/);
  });

  test('a stream that does not exist fails the start', async () => {
    const table = await createTable();
    const missing = { ...table, streamArn: table.streamArn.replace(table.tableName, 'no-such-table') };
    await expect(
      startStreamMapping(mapping(missing), { streams, invoker: new TestInvoker(), log: new MemoryLog() }),
    ).rejects.toThrow();
  });
});

describe('starting position and batching', () => {
  test('LATEST skips what the stream held before the mapping started; TRIM_HORIZON does not', async () => {
    const table = await createTable();
    await put(table, 'before');
    const latest = new TestInvoker();
    const horizon = new TestInvoker();
    await start(mapping(table, { startingPosition: 'LATEST' }), latest);
    await start(mapping(table, { startingPosition: 'TRIM_HORIZON' }), horizon);
    await put(table, 'after');
    await waitFor(
      'both mappings',
      () => delivered(latest).flat().length >= 1 && delivered(horizon).flat().length >= 2,
    );
    await delay(200);
    expect(delivered(latest).flat().map(keyOf)).toEqual(['after']);
    expect(delivered(horizon).flat().map(keyOf)).toEqual(['before', 'after']);
  });

  test('batches hold at most batchSize records, in order', async () => {
    const table = await createTable();
    for (let index = 0; index < 7; index++) await put(table, `item-${index}`);
    const invoker = new TestInvoker();
    await start(mapping(table, { batchSize: 3 }), invoker);
    await waitFor('seven records', () => delivered(invoker).flat().length >= 7);
    expect(delivered(invoker).map((batch) => batch.map(keyOf))).toEqual([
      ['item-0', 'item-1', 'item-2'],
      ['item-3', 'item-4', 'item-5'],
      ['item-6'],
    ]);
  });

  test('a shard is read once a poll interval at most, so changes made while a batch runs go in one batch', async () => {
    const table = await createTable();
    const pollIntervalMs = 300;
    const invoker = new TestInvoker();
    const started: number[] = [];
    invoker.handler = async () => {
      started.push(Date.now());
      await delay(50);
    };
    const handle = await startStreamMapping(
      mapping(table),
      { streams, invoker, log: new MemoryLog() },
      { ...timing, pollIntervalMs },
    );
    running.push(handle);
    for (let index = 0; index < 40; index++) {
      await put(table, `c-${index}`);
      await delay(20);
    }
    await waitFor('forty records', () => delivered(invoker).flat().length >= 40);
    expect(delivered(invoker).flat().map(keyOf)).toEqual(
      Array.from({ length: 40 }, (_, index) => `c-${index}`),
    );
    // Read again as soon as each 50 ms invocation returned, the shard would give batches 50-odd ms apart.
    // An invocation follows its read at once, so two starts are a read's interval apart, give or take
    // how long each read took.
    const gaps = started.slice(1).map((at, index) => at - started[index]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(pollIntervalMs * 0.75);
  });

  test('a batching window gathers changes made one after another', async () => {
    const table = await createTable();
    const invoker = new TestInvoker();
    // A window longer than the test may run, closed by the batch filling: one batch unless the
    // mapping splits it, never because the machine was slow to write.
    await start(mapping(table, { batchSize: 4, maximumBatchingWindowInSeconds: 120 }), invoker);
    for (let index = 0; index < 4; index++) {
      await put(table, `w-${index}`);
      await delay(50);
    }
    await waitFor('the batch', () => delivered(invoker).length >= 1);
    expect(delivered(invoker).map((batch) => batch.map(keyOf))).toEqual([['w-0', 'w-1', 'w-2', 'w-3']]);
  });
});

describe('failures', () => {
  test('a failed batch is retried until it succeeds; later records are not duplicated', async () => {
    const table = await createTable();
    for (const pk of ['a', 'b', 'c']) await put(table, pk);
    const invoker = new TestInvoker();
    invoker.handler = () => {
      if (invoker.invocations.length <= 2) throw new FunctionError('on-change', 'Error', 'not yet');
    };
    await start(mapping(table), invoker);
    await waitFor('the third attempt', () => invoker.invocations.length >= 3);
    await put(table, 'd');
    await put(table, 'e');
    await waitFor('d and e', () =>
      delivered(invoker)
        .flat()
        .some((record) => keyOf(record) === 'e'),
    );
    await delay(300);

    const batches = delivered(invoker);
    // The same batch (same records, same order) three times; the shard waited meanwhile.
    expect(batches.slice(0, 3).map((batch) => batch.map(keyOf))).toEqual([
      ['a', 'b', 'c'],
      ['a', 'b', 'c'],
      ['a', 'b', 'c'],
    ]);
    expect(batches[1]!.map((record) => record.eventID)).toEqual(batches[0]!.map((record) => record.eventID));
    expect(batches.slice(3).flat().map(keyOf)).toEqual(['d', 'e']);
  });

  test('after maximumRetryAttempts the batch is dropped, logged, and the shard moves on', async () => {
    const table = await createTable();
    await put(table, 'bad');
    await put(table, 'good');
    const invoker = new TestInvoker();
    const log = new MemoryLog();
    invoker.handler = (payload) => {
      if ((payload as { Records: DynamoDBRecord[] }).Records.some((record) => keyOf(record) === 'bad'))
        throw new FunctionError('on-change', 'Error', 'bad record');
    };
    await start(mapping(table, { batchSize: 1, maximumRetryAttempts: 2 }), invoker, log);
    await waitFor('good', () =>
      delivered(invoker)
        .flat()
        .some((record) => keyOf(record) === 'good'),
    );

    const keys = delivered(invoker).map((batch) => batch.map(keyOf));
    expect(keys).toEqual([['bad'], ['bad'], ['bad'], ['good']]);
    const badId = delivered(invoker)[0]![0]!.eventID!;
    expect(log.lines.find((line) => line.includes('dropped'))).toContain(badId);
  });

  test('a function that cannot be invoked at all does not use up the retries', async () => {
    const table = await createTable();
    await put(table, 'waits');
    const invoker = new TestInvoker();
    invoker.handler = () => {
      if (invoker.invocations.length <= 3) throw new Error('function is not reachable');
    };
    await start(mapping(table, { maximumRetryAttempts: 0 }), invoker);
    await waitFor('the fourth attempt', () => invoker.invocations.length >= 4);
    await delay(200);
    expect(delivered(invoker).map((batch) => batch.map(keyOf))).toEqual([
      ['waits'],
      ['waits'],
      ['waits'],
      ['waits'],
    ]);
  });

  test('a partial batch response retries from the earliest reported record', async () => {
    const table = await createTable();
    for (const pk of ['r1', 'r2', 'r3', 'r4']) await put(table, pk);
    const invoker = new TestInvoker();
    invoker.handler = (payload) => {
      if (invoker.invocations.length > 1) return { batchItemFailures: [] };
      const records = (payload as { Records: DynamoDBRecord[] }).Records;
      // Reported out of order on purpose: Lambda checkpoints at the lowest sequence number.
      return {
        batchItemFailures: [records[3]!, records[2]!].map((record) => ({
          itemIdentifier: record.dynamodb!.SequenceNumber,
        })),
      };
    };
    await start(mapping(table, { reportBatchItemFailures: true }), invoker);
    await waitFor('the retry', () => invoker.invocations.length >= 2);
    await delay(300);
    expect(delivered(invoker).map((batch) => batch.map(keyOf))).toEqual([
      ['r1', 'r2', 'r3', 'r4'],
      ['r3', 'r4'],
    ]);
  });

  test('an identifier that is not a sequence number of the batch fails the whole batch', async () => {
    const table = await createTable();
    for (const pk of ['s1', 's2']) await put(table, pk);
    const invoker = new TestInvoker();
    const log = new MemoryLog();
    invoker.handler = () =>
      invoker.invocations.length === 1 ? { batchItemFailures: [{ itemIdentifier: 'nope' }] } : undefined;
    await start(mapping(table, { reportBatchItemFailures: true }), invoker, log);
    await waitFor('the retry', () => invoker.invocations.length >= 2);
    expect(delivered(invoker).map((batch) => batch.map(keyOf))).toEqual([
      ['s1', 's2'],
      ['s1', 's2'],
    ]);
    expect(log.lines.join('\n')).toMatch(/invalid partial batch response/);
  });

  test('bisectBatchOnFunctionError splits a failing batch to isolate the bad record', async () => {
    const table = await createTable();
    for (const pk of ['a', 'b', 'bad', 'd']) await put(table, pk);
    const invoker = new TestInvoker();
    invoker.handler = (payload) => {
      if ((payload as { Records: DynamoDBRecord[] }).Records.some((record) => keyOf(record) === 'bad'))
        throw new FunctionError('on-change', 'Error', 'bad record');
    };
    await start(mapping(table, { bisectBatchOnFunctionError: true, maximumRetryAttempts: 0 }), invoker);
    await waitFor('d', () =>
      delivered(invoker).some((batch) => batch.length === 1 && keyOf(batch[0]!) === 'd'),
    );
    expect(delivered(invoker).map((batch) => batch.map(keyOf))).toEqual([
      ['a', 'b', 'bad', 'd'],
      ['a', 'b'],
      ['bad', 'd'],
      ['bad'],
      ['d'],
    ]);
  });
});

describe('stop', () => {
  const RETRY_BACKOFF_MS = 60_000;

  test('is prompt while a failing batch waits to be retried, and waits for the invocation under way', async () => {
    const table = await createTable();
    await put(table, 'x');
    const invoker = new TestInvoker();
    let finished = 0;
    invoker.handler = async () => {
      await delay(200);
      finished += 1;
      throw new FunctionError('on-change', 'Error', 'always');
    };
    const handle = await startStreamMapping(
      mapping(table),
      { streams, invoker, log: new MemoryLog() },
      { ...timing, retryBackoffMs: { initial: RETRY_BACKOFF_MS, max: RETRY_BACKOFF_MS } },
    );
    await waitFor('the first attempt to start', () => invoker.invocations.length === 1);
    // Stopping does not wait out the retry's backoff, only the invocation under way.
    expect(await settlesBefore(handle.stop(), RETRY_BACKOFF_MS)).toBe(true);
    expect(finished).toBe(1);
    expect(invoker.invocations).toHaveLength(1);
  }, 120_000);
});
