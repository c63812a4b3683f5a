import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { sqsBatchHandler } from '../../src/entry/sqs';
import { captureLogs, lambdaContext } from '../../src/testing/http';

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sqsBatchHandler, parallel', () => {
  test('runs records at the same time and reports only the failed ones', async () => {
    let inFlight = 0;
    let most = 0;
    const handler = sqsBatchHandler(
      async (r) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await sleep(20);
        inFlight -= 1;
        if (r.body === 'boom') throw new Error('boom');
      },
      { parallel: true },
    );
    const result = await handler(
      { Records: [record('a', 'ok'), record('b', 'boom'), record('c', 'ok')] } as SQSEvent,
      lambdaContext(),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }] });
    expect(most).toBe(3);
    expect(logs.lines().find((line) => line.message === 'Record failed')).toMatchObject({
      level: 'ERROR',
      message_id: 'b',
      error: { message: 'boom' },
    });
  });

  test('each record logs with its own correlation id, and the summary carries extra fields', async () => {
    const handler = sqsBatchHandler(
      async (r, context) => {
        await sleep(r.messageId === 'a' ? 10 : 0);
        context.log.info('handled', { body: r.body });
      },
      { parallel: true, summary: () => ({ awsCalls: { 'SQS.SendMessage': 1 } }) },
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

  test('a record of a message group does not hold up the rest of its group', async () => {
    const seen: string[] = [];
    const grouped = (id: string) => ({ ...record(id, id), attributes: { MessageGroupId: 'g' } }) as SQSRecord;
    const result = await sqsBatchHandler(
      async (r) => {
        seen.push(r.messageId);
        if (r.messageId === 'a') throw new Error('a failed');
      },
      { parallel: true },
    )({ Records: [grouped('a'), grouped('b')] } as SQSEvent, lambdaContext());
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'a' }] });
    expect(seen).toEqual(['a', 'b']);
  });
});
