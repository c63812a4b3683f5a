import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { sqsBatchHandler } from '../../src/entry/sqs';
import type { SqsRecordHandler } from '../../src/entry/sqs';
import { logger } from '../../src/logger';
import { createMetrics } from '../../src/metrics';
import { captureLogs, lambdaContext } from '../../src/testing/http';

let logs: ReturnType<typeof captureLogs>;

beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
});

function record(
  messageId: string,
  options: { correlationId?: string; group?: string; body?: string } = {},
): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: options.body ?? JSON.stringify({ id: messageId }),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1767225600000',
      SenderId: 'AIDA',
      ApproximateFirstReceiveTimestamp: '1767225600000',
      ...(options.group === undefined ? {} : { MessageGroupId: options.group }),
    },
    messageAttributes:
      options.correlationId === undefined
        ? {}
        : { correlationid: { stringValue: options.correlationId, dataType: 'String' } },
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:herald-events',
    awsRegion: 'eu-west-1',
  };
}

const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

describe('sqsBatchHandler, in order', () => {
  test('one failing record among three: only its messageId is reported', async () => {
    const fn = jest.fn<SqsRecordHandler>(async (item) => {
      if (item.messageId === 'm-2') throw new Error('downstream refused m-2');
    });
    const result = await sqsBatchHandler(fn)(
      batch(record('m-1'), record('m-2'), record('m-3')),
      lambdaContext(),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }] });
    expect(fn.mock.calls.map(([item]) => item.messageId)).toEqual(['m-1', 'm-2', 'm-3']);
    const failure = logs.lines().find((line) => line.message === 'Record failed');
    expect(failure).toMatchObject({
      level: 'ERROR',
      message_id: 'm-2',
      error: { message: 'downstream refused m-2' },
    });
  });

  test('a clean batch reports no failures', async () => {
    const result = await sqsBatchHandler(async () => undefined)(
      batch(record('m-1'), record('m-2')),
      lambdaContext(),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(logs.lines().find((line) => line.message === 'Batch completed')).toMatchObject({
      records: 2,
      failed: 0,
    });
  });

  test('thrown non-errors are failures too, never a thrown batch', async () => {
    const fn: SqsRecordHandler = async (item) => {
      if (item.messageId === 'm-1') throw 'plain string';
      if (item.messageId === 'm-2') throw undefined;
    };
    const result = await sqsBatchHandler(fn)(
      batch(record('m-1'), record('m-2'), record('m-3')),
      lambdaContext(),
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }]);
    expect(logs.lines().filter((line) => line.message === 'Record failed')).toHaveLength(2);
  });

  test('every record failing is still a partial response naming each, never a thrown batch', async () => {
    const result = await sqsBatchHandler(async () => {
      throw new Error('down');
    })(batch(record('m-1'), record('m-2')), lambdaContext());
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }] });
    expect(logs.lines().find((line) => line.message === 'Batch completed with failures')).toMatchObject({
      level: 'WARN',
      records: 2,
      failed: 2,
    });
  });

  test('each record gets its correlation id from the correlationid attribute, else a ULID', async () => {
    const seen: string[] = [];
    const fn = jest.fn<SqsRecordHandler>(async (item, context) => {
      seen.push(context.correlationId);
      // In order, the shared logger and the record's logger both carry the record's keys.
      if (item.messageId === 'm-2') context.log.info('processing');
      else logger.info('processing');
    });
    await sqsBatchHandler(fn)(
      batch(
        record('m-1', { correlationId: 'corr-1' }),
        record('m-2'),
        record('m-3', { correlationId: 'bad id!' }),
      ),
      lambdaContext(),
    );
    expect(seen[0]).toBe('corr-1');
    expect(seen[1]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(seen[2]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const processing = logs.lines().filter((line) => line.message === 'processing');
    expect(processing.map((line) => [line.correlation_id, line.message_id])).toEqual([
      ['corr-1', 'm-1'],
      [seen[1], 'm-2'],
      [seen[2], 'm-3'],
    ]);
  });

  test('a record without the attribute takes the correlation id the body carries, if the function reads it', async () => {
    const seen: string[] = [];
    const handler = sqsBatchHandler(
      async (_item, context) => {
        seen.push(context.correlationId);
        context.log.info('processing');
      },
      {
        correlationInBody: (body) =>
          (JSON.parse(body) as { detail?: { correlationid?: string } }).detail?.correlationid,
      },
    );
    await handler(
      batch(
        record('m-1', { body: JSON.stringify({ detail: { correlationid: 'from-body' } }) }),
        record('m-2', {
          correlationId: 'attr',
          body: JSON.stringify({ detail: { correlationid: 'ignored' } }),
        }),
        record('m-3', { body: JSON.stringify({ detail: { correlationid: 'bad id!' } }) }),
      ),
      lambdaContext(),
    );
    expect(seen.slice(0, 2)).toEqual(['from-body', 'attr']);
    // Read from a message anyone could have put on the bus: still only a safe id is logged.
    expect(seen[2]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(
      logs
        .lines()
        .filter((line) => line.message === 'processing')
        .map((line) => line.correlation_id),
    ).toEqual(seen);
  });

  test('on a FIFO queue a failure also fails the later records of its group, unprocessed', async () => {
    const fn = jest.fn<SqsRecordHandler>(async (item) => {
      if (item.messageId === 'a-1') throw new Error('first of group a failed');
    });
    const result = await sqsBatchHandler(fn)(
      batch(record('a-1', { group: 'a' }), record('b-1', { group: 'b' }), record('a-2', { group: 'a' })),
      lambdaContext(),
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'a-1' }, { itemIdentifier: 'a-2' }]);
    expect(fn.mock.calls.map(([item]) => item.messageId)).toEqual(['a-1', 'b-1']);
    expect(logs.lines().find((line) => String(line.message).startsWith('Record skipped'))).toMatchObject({
      level: 'WARN',
      message: 'Record skipped: an earlier record of its message group failed',
      messageGroupId: 'a',
      message_id: 'a-2',
    });
  });

  test('the summary line carries extra fields and no record keys; counted metrics are flushed once', async () => {
    const metrics = createMetrics({ namespace: 'Herald/Test', dimensions: 'none' });
    const handler = sqsBatchHandler(
      async () => {
        metrics.addMetric('Handled', 'Count', 1);
      },
      { summary: () => ({ awsCalls: 3 }), metrics },
    );
    await handler(batch(record('m-1', { correlationId: 'corr-1' }), record('m-2')), lambdaContext());
    const summary = logs.lines().find((line) => line.message === 'Batch completed');
    expect(summary).toMatchObject({ records: 2, failed: 0, awsCalls: 3, function_request_id: 'aws-req-1' });
    expect(summary).not.toHaveProperty('correlation_id');
    const emf = logs.lines().filter((line) => line._aws !== undefined);
    expect(emf).toHaveLength(1);
    // One value per record: CloudWatch sums them.
    expect(emf[0]).toMatchObject({ Handled: [1, 1] });
  });

  test('the previous invocation’s keys do not leak into the next', async () => {
    logger.appendKeys({ leftover: 'x' });
    await sqsBatchHandler(async () => undefined)(batch(record('m-1')), lambdaContext());
    expect(logs.lines().every((line) => line.leftover === undefined)).toBe(true);
  });

  test('records without a message group are independent: a failure fails no later record', async () => {
    const fn = jest.fn<SqsRecordHandler>(async (item) => {
      if (item.messageId === 'm-1') throw new Error('m-1 failed');
    });
    const result = await sqsBatchHandler(fn)(
      batch(record('m-1'), record('m-2'), record('a-1', { group: 'a' })),
      lambdaContext(),
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(fn).toHaveBeenCalledTimes(3);
  });

  test('an event whose Records is not a list is refused, not answered as a clean batch', async () => {
    const handler = sqsBatchHandler(async () => undefined);
    await expect(handler({ Records: {} } as unknown as SQSEvent, lambdaContext())).rejects.toThrow(
      'not a batch of SQS records',
    );
  });

  test('an empty or missing batch is an empty response', async () => {
    const handler = sqsBatchHandler(async () => undefined);
    expect(await handler(batch(), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(await handler(undefined as unknown as SQSEvent, lambdaContext())).toEqual({
      batchItemFailures: [],
    });
  });
});
