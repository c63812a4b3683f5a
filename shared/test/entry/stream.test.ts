import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { streamBatchHandler } from '../../src/entry/stream';
import { createMetrics } from '../../src/metrics';
import { captureLogs, lambdaContext } from '../../src/testing/http';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

const insert = (sequence: string): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: { SequenceNumber: sequence, Keys: { pk: { S: `K#${sequence}` } } },
});
const stream = (...records: DynamoDBRecord[]) => ({ Records: records }) as DynamoDBStreamEvent;

describe('streamBatchHandler', () => {
  test('hands the whole batch over and answers with the sequence numbers it names', async () => {
    const seen: string[][] = [];
    const handler = streamBatchHandler(async (records, context) => {
      seen.push(records.map((record) => record.dynamodb!.SequenceNumber!));
      context.log.info('working');
      return { failed: ['2'], summary: { published: 2 } };
    });
    const result = await handler(stream(insert('1'), insert('2'), insert('3')), lambdaContext());
    expect(seen).toEqual([['1', '2', '3']]);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(logs.lines().find((line) => line.message === 'working')).toMatchObject({
      function_request_id: 'aws-req-1',
    });
    expect(logs.lines().find((line) => line.message === 'Batch completed with failures')).toMatchObject({
      level: 'WARN',
      records: 3,
      failed: 1,
      published: 2,
      durationMs: expect.any(Number),
    });
  });

  test('a clean batch is an info summary, and the summary may count records its own way', async () => {
    const handler = streamBatchHandler(async () => ({ failed: [], summary: { records: 1 } }));
    expect(await handler(stream(insert('1'), insert('2')), lambdaContext())).toEqual({
      batchItemFailures: [],
    });
    expect(logs.lines().find((line) => line.message === 'Batch completed')).toMatchObject({
      level: 'INFO',
      records: 1,
      failed: 0,
    });
  });

  test('metrics counted by the batch are flushed even when it throws', async () => {
    const metrics = createMetrics({ namespace: 'Herald/Test', dimensions: 'none' });
    const handler = streamBatchHandler(
      async () => {
        metrics.addMetric('Tried', 'Count', 1);
        throw new Error('bus down');
      },
      { metrics },
    );
    await expect(handler(stream(insert('1')), lambdaContext())).rejects.toThrow('bus down');
    expect(logs.lines().filter((line) => line._aws !== undefined)).toEqual([
      expect.objectContaining({ Tried: 1 }),
    ]);
  });

  test('an event without records is an empty batch', async () => {
    const handler = streamBatchHandler(async (records) => ({
      failed: [],
      summary: { seen: records.length },
    }));
    expect(await handler(undefined as unknown as DynamoDBStreamEvent, lambdaContext())).toEqual({
      batchItemFailures: [],
    });
    expect(logs.lines().find((line) => line.message === 'Batch completed')).toMatchObject({ seen: 0 });
  });

  test('the handler’s own summary fields, asked for once the batch is done, end the summary line', async () => {
    let done = false;
    const handler = streamBatchHandler(
      async () => {
        done = true;
        return { failed: [], summary: { published: 2 } };
      },
      { summary: () => ({ awsCalls: { 'EventBridge.PutEvents': done ? 1 : 0 } }) },
    );
    await handler(stream(insert('1'), insert('2')), lambdaContext());
    expect(logs.lines().find((line) => line.message === 'Batch completed')).toMatchObject({
      records: 2,
      published: 2,
      awsCalls: { 'EventBridge.PutEvents': 1 },
    });
  });
});
