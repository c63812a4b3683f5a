// The modules kept for code not yet moved to entry/*, correlation and aws/sqs-send: each still
// does what it did, through the new one.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { sendMessages } from '../src/aws/sqs-messages';
import { httpHandler } from '../src/http';
import { concurrentSqsHandler } from '../src/sqs-concurrent';
import { CORRELATION_ATTRIBUTE, sqsHandler } from '../src/sqs';
import { authFixture, captureLogs, httpEvent, lambdaContext, type AuthFixture } from '../src/testing/http';
import { queued, startSqs, type TestSqs } from '../src/testing/sqs';

let logs: ReturnType<typeof captureLogs>;
let fixture: AuthFixture;
let sqs: TestSqs;
beforeAll(async () => {
  fixture = await authFixture();
  sqs = await startSqs();
});
afterAll(() => sqs?.stop());
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

const record = (messageId: string, group?: string) =>
  ({
    messageId,
    body: messageId,
    attributes: group ? { MessageGroupId: group } : {},
    messageAttributes: { [CORRELATION_ATTRIBUTE]: { dataType: 'String', stringValue: `corr-${messageId}` } },
  }) as unknown as SQSRecord;

describe('deprecated modules', () => {
  test('sqsHandler: in order, synchronous handlers, FIFO groups', async () => {
    const seen: string[] = [];
    const handler = sqsHandler((item, context) => {
      seen.push(`${item.messageId}:${context.correlationId}`);
      if (item.messageId === 'a-1') throw new Error('sync failure');
    });
    const result = await handler(
      { Records: [record('a-1', 'a'), record('b-1', 'b'), record('a-2', 'a')] } as SQSEvent,
      lambdaContext(),
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'a-1' }, { itemIdentifier: 'a-2' }]);
    expect(seen).toEqual(['a-1:corr-a-1', 'b-1:corr-b-1']);
  });

  test('concurrentSqsHandler: in parallel, with a record logger and the summary fields', async () => {
    const handler = concurrentSqsHandler(
      async (item, context) => {
        context.log.info('handled');
        if (item.messageId === 'b') throw new Error('b failed');
      },
      { summary: () => ({ extra: true }) },
    );
    const result = await handler({ Records: [record('a'), record('b')] } as SQSEvent, lambdaContext());
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }] });
    expect(
      logs
        .lines()
        .filter((line) => line.message === 'handled')
        .map((line) => line.correlation_id)
        .sort(),
    ).toEqual(['corr-a', 'corr-b']);
    expect(logs.lines().find((line) => line.message === 'Batch completed with failures')).toMatchObject({
      extra: true,
    });
  });

  test('aws/sqs-messages sendMessages: every body queued, or a throw', async () => {
    const { url, name } = sqs.queue({ MaximumMessageSize: '1024' });
    await sendMessages(
      sqs.client,
      url,
      Array.from({ length: 12 }, (_, i) => `m${i}`),
    );
    expect(queued(sqs, name)).toHaveLength(12);
    await expect(sendMessages(sqs.client, url, ['x'.repeat(2000)])).rejects.toThrow('SQS refused 1 of 1');
  });

  test('http httpHandler: a body type claimed by the handler, an untyped validator', async () => {
    const handler = httpHandler<{ n: number }>(
      async (event) => ({ statusCode: 200, body: event.body.n + 1 }),
      {
        scopes: [],
        auth: { config: fixture.config },
      },
    );
    const response = await handler(
      httpEvent({ headers: await fixture.headers(), body: '{"n":1}' }),
      lambdaContext(),
    );
    expect(response.body).toBe('2');
  });
});
