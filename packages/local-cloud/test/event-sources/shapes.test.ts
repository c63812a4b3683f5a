// The pure parts of the event sources: partial batch response rules, event shaping, S3 key encoding and event
// type matching, and the order shards are read in.
import { describe, expect, test } from '@jest/globals';
import type { Shard } from '@aws-sdk/client-dynamodb-streams';
import { readBatchResponse } from '../../src/event-sources/batch-response';
import { toLambdaAttributeValue } from '../../src/event-sources/dynamodb-event';
import { encodeEventKey, eventTypeMatches, nextSequencer } from '../../src/event-sources/s3-event';
import { ShardLineage } from '../../src/event-sources/shard-lineage';
import { toLambdaMessageAttribute } from '../../src/event-sources/sqs-event';

describe('partial batch responses', () => {
  const ids = new Set(['a', 'b']);

  test.each([
    ['no response', undefined],
    ['null', null],
    ['an empty object', {}],
    ['a null list', { batchItemFailures: null }],
    ['an empty list', { batchItemFailures: [] }],
  ])('%s is complete success', (_case, response) => {
    expect(readBatchResponse(response, ids)).toEqual({ valid: true, failedIds: [] });
  });

  test('listed identifiers are the failures', () => {
    expect(readBatchResponse({ batchItemFailures: [{ itemIdentifier: 'b' }] }, ids)).toEqual({
      valid: true,
      failedIds: ['b'],
    });
  });

  test.each([
    ['a string', 'done'],
    ['a JSON array', []],
    ['a batchItemFailures that is not a list', { batchItemFailures: 'a' }],
    ['an empty identifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null identifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a bad key name', { batchItemFailures: [{ ItemIdentifier: 'a' }] }],
    ['an identifier not in the batch', { batchItemFailures: [{ itemIdentifier: 'c' }] }],
  ])('%s is complete failure', (_case, response) => {
    expect(readBatchResponse(response, ids).valid).toBe(false);
  });
});

describe('event shaping', () => {
  test('SQS message attributes take Lambda’s form, binary values in base64', () => {
    expect(
      toLambdaMessageAttribute({
        DataType: 'Binary',
        BinaryValue: Buffer.from('1100'),
        BinaryListValues: [Buffer.from('0')],
      }),
    ).toEqual({
      binaryValue: 'MTEwMA==',
      stringListValues: [],
      binaryListValues: ['MA=='],
      dataType: 'Binary',
    });
  });

  test('DynamoDB binary values, also nested, are base64 in the event', () => {
    expect(
      toLambdaAttributeValue({
        M: {
          b: { B: Buffer.from('hi') },
          l: { L: [{ BS: [Buffer.from('x')] }, { N: '1' }, { NULL: true }] },
        },
      }),
    ).toEqual({ M: { b: { B: 'aGk=' }, l: { L: [{ BS: ['eA=='] }, { N: '1' }, { NULL: true }] } } });
  });
});

describe('S3 keys and event types', () => {
  test.each([
    ['uploads/report.json', 'uploads/report.json'],
    ['my file.txt', 'my+file.txt'],
    ['a+b.txt', 'a%2Bb.txt'],
    ['dt=2024-01-01/part:1 (copy).csv', 'dt%3D2024-01-01/part%3A1+%28copy%29.csv'],
    ['café.txt', 'caf%C3%A9.txt'],
  ])('%s is written %s in the event', (key, encoded) => {
    expect(encodeEventKey(key)).toBe(encoded);
  });

  test.each([
    ['s3:ObjectCreated:*', 'ObjectCreated:Put', true],
    ['s3:ObjectCreated:*', 'ObjectCreated:CompleteMultipartUpload', true],
    ['s3:ObjectCreated:Put', 'ObjectCreated:Put', true],
    ['s3:ObjectCreated:Put', 'ObjectCreated:Copy', false],
    ['s3:ObjectCreated:*', 'ObjectRemoved:Delete', false],
    ['s3:ObjectRemoved:*', 'ObjectRemoved:Delete', true],
  ])('%s covers %s: %s', (configured, eventName, expected) => {
    expect(eventTypeMatches(configured, eventName)).toBe(expected);
  });

  test('sequencers increase', () => {
    const sequencers = Array.from({ length: 5 }, nextSequencer).map((hex) => BigInt(`0x${hex}`));
    expect([...sequencers].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequencers);
    expect(new Set(sequencers).size).toBe(5);
  });
});

describe('shard lineage', () => {
  const shard = (id: string, parent?: string, closed = false): Shard => ({
    ShardId: id,
    ParentShardId: parent,
    SequenceNumberRange: { StartingSequenceNumber: '1', ...(closed && { EndingSequenceNumber: '9' }) },
  });

  test('a child is read only after its parent; shards found later start at their beginning', () => {
    const lineage = new ShardLineage('TRIM_HORIZON');
    lineage.add([shard('p', undefined, true), shard('c', 'p')]);
    expect(lineage.takeReady()).toEqual([{ shardId: 'p', startingPosition: 'TRIM_HORIZON' }]);
    expect(lineage.takeReady()).toEqual([]);
    lineage.finished('p');
    expect(lineage.takeReady()).toEqual([{ shardId: 'c', startingPosition: 'TRIM_HORIZON' }]);
    lineage.add([shard('c', 'p', true), shard('g', 'c')]);
    expect(lineage.takeReady()).toEqual([]);
    lineage.finished('c');
    expect(lineage.takeReady()).toEqual([{ shardId: 'g', startingPosition: 'TRIM_HORIZON' }]);
  });

  test('LATEST skips shards closed at the start and reads the open ones from their tip', () => {
    const lineage = new ShardLineage('LATEST');
    lineage.add([shard('old', undefined, true), shard('open', 'old')]);
    expect(lineage.takeReady()).toEqual([{ shardId: 'open', startingPosition: 'LATEST' }]);
    lineage.finished('open');
    lineage.add([shard('next', 'open')]);
    expect(lineage.takeReady()).toEqual([{ shardId: 'next', startingPosition: 'TRIM_HORIZON' }]);
  });

  test('a parent the stream no longer lists does not hold its child back', () => {
    const lineage = new ShardLineage('TRIM_HORIZON');
    lineage.add([shard('orphan', 'trimmed-away')]);
    expect(lineage.takeReady()).toEqual([{ shardId: 'orphan', startingPosition: 'TRIM_HORIZON' }]);
  });
});
