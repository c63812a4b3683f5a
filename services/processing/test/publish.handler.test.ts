import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { captureLogs, lambdaContext } from '@herald/shared/testing/http';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { toStoredEvent } from '../src/events-table';
import { createHandler } from '../src/handlers/publish';
import { createProcessingMetrics } from '../src/processing-metrics';
import { signedEnvelope } from './support/envelopes';
import { MemoryBus, MemoryDeadLetters } from './support/memory-bus';
import { insertRecord } from './support/stream-records';

let bus: MemoryBus;
let deadLetters: MemoryDeadLetters;
let logs: ReturnType<typeof captureLogs>;
const handler = createHandler(
  () => ({ bus, deadLetters, sleep: async () => undefined }),
  createProcessingMetrics(),
);

/** A stream record as Lambda delivers it: the new image in DynamoDB's attribute-value form. */
function insert(sequence: string, id: string): DynamoDBRecord {
  const envelope = signedEnvelope({ id });
  return insertRecord(
    toStoredEvent(envelope, JSON.stringify(envelope), new Date(0), new Date(1000), 30),
    sequence,
  );
}
const run = (...records: DynamoDBRecord[]) =>
  handler({ Records: records } as DynamoDBStreamEvent, lambdaContext());

beforeEach(() => {
  bus = new MemoryBus();
  deadLetters = new MemoryDeadLetters();
  logs = captureLogs();
});
afterEach(() => logs.restore());

describe('publish', () => {
  test('puts every inserted event on the bus and reports no failure', async () => {
    const result = await run(insert('100', 'e1'), insert('101', 'e2'));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(bus.acceptedIds()).toEqual(['e1', 'e2']);
    expect(bus.accepted[0]).toMatchObject({
      Source: 'herald.processing',
      DetailType: 'event.stored',
      Time: new Date(1000),
    });
    expect(logs.lines().find((line) => line.message === 'Batch completed')).toMatchObject({
      records: 2,
      published: 2,
      deadLettered: 0,
      failed: 0,
      putCalls: 1,
      // The AWS calls the batch made, by operation (none here: the bus is a stand-in).
      awsCalls: {},
    });
    expect(logs.lines().find((line) => line._aws !== undefined)).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'Herald', Dimensions: [['service']] }] },
      EventsPublished: 2,
      PublishDeadLettered: 0,
      PublishFailures: 0,
    });
  });

  test('names records still unpublished by sequence number, so the stream retries from there', async () => {
    bus.rejections.set('e2', ['ThrottlingException', 'ThrottlingException', 'ThrottlingException']);
    const result = await run(insert('100', 'e1'), insert('101', 'e2'), insert('102', 'e3'));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }] });
    expect(logs.lines().find((line) => line.message === 'Batch completed with failures')).toMatchObject({
      level: 'WARN',
      records: 3,
      published: 2,
      failed: 1,
    });
    expect(logs.lines().find((line) => line._aws !== undefined)).toMatchObject({
      EventsPublished: 2,
      PublishFailures: 1,
    });
  });

  test('a record without a readable image is dead-lettered, logged, and does not block the shard', async () => {
    const broken = insert('100', 'e1');
    delete broken.dynamodb!.NewImage!.envelope;
    const result = await run(broken, insert('101', 'e2'));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(deadLetters.letters).toEqual([
      { reason: 'unreadable-record', sequenceNumber: '100', pk: 'TENANT#acme', sk: 'EVENT#e1' },
    ]);
    expect(
      logs.lines().find((line) => line.message === 'Event sent to the publish dead-letter queue'),
    ).toMatchObject({
      level: 'ERROR',
      sequenceNumber: '100',
    });
    expect(bus.acceptedIds()).toEqual(['e2']);
  });

  test('records other than inserts have nothing to publish', async () => {
    const modify = { ...insert('100', 'e1'), eventName: 'MODIFY' as const };
    const remove = { ...insert('101', 'e2'), eventName: 'REMOVE' as const };
    expect(await run(modify, remove)).toEqual({ batchItemFailures: [] });
    expect(bus.calls).toEqual([]);
  });
});
