import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { captureLogs, lambdaContext } from '../../src/testing/http';
import { concurrentSqsHandler } from '../../src/sqs-concurrent';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

const record = (messageId: string, body: string, correlationId?: string): SQSRecord =>
  ({
    messageId,
    body,
    attributes: { ApproximateReceiveCount: '1' },
    messageAttributes: correlationId
      ? { correlationid: { dataType: 'String', stringValue: correlationId } }
      : {},
  }) as unknown as SQSRecord;

describe('concurrentSqsHandler', () => {
  test('runs records at the same time and reports only the failed ones', async () => {
    let inFlight = 0;
    let most = 0;
    const handler = concurrentSqsHandler(async (r) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      if (r.body === 'boom') throw new Error('boom');
    });
    const result = await handler(
      { Records: [record('a', 'ok'), record('b', 'boom'), record('c', 'ok')] } as SQSEvent,
      lambdaContext(),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }] });
    expect(most).toBe(3);
  });

  test('honours a concurrency limit', async () => {
    let inFlight = 0;
    let most = 0;
    const handler = concurrentSqsHandler(
      async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
      },
      { concurrency: 2 },
    );
    await handler(
      { Records: ['a', 'b', 'c', 'd', 'e'].map((id) => record(id, 'x')) } as SQSEvent,
      lambdaContext(),
    );
    expect(most).toBe(2);
  });

  test('each record logs with its own correlation id, and the summary carries extra fields', async () => {
    const handler = concurrentSqsHandler(
      async (r, context) => {
        await new Promise((resolve) => setTimeout(resolve, r.messageId === 'a' ? 10 : 0));
        context.log.info('handled', { body: r.body });
      },
      { summary: () => ({ awsCalls: { 'SQS.SendMessage': 1 } }) },
    );
    await handler(
      { Records: [record('a', 'one', 'corr-a'), record('b', 'two', 'corr-b')] } as SQSEvent,
      lambdaContext(),
    );
    const handled = logs.lines().filter((line) => line.message === 'handled');
    expect(handled.map((line) => [line.body, line.correlation_id, line.message_id]).sort()).toEqual([
      ['one', 'corr-a', 'a'],
      ['two', 'corr-b', 'b'],
    ]);
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({
        message: 'Batch completed',
        records: 2,
        failed: 0,
        awsCalls: { 'SQS.SendMessage': 1 },
      }),
    );
  });
});
