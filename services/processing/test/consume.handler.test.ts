import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { captureLogs, lambdaContext } from '@herald/shared/testing/http';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createHandler } from '../src/handlers/consume';
import { createProcessingMetrics } from '../src/processing-metrics';
import { signedEnvelope, verifier } from './support/envelopes';
import { MemoryEventsTable } from './support/memory-events-table';

const signed = (id: string) => signedEnvelope({ id, data: { id }, correlationid: `corr-${id}` });

const record = (messageId: string, body: string, receiveCount = 1): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: String(receiveCount),
    SentTimestamp: String(Date.parse('2026-11-28T10:00:01.000Z')),
    SenderId: 'AIDA',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: { correlationid: { dataType: 'String', stringValue: `corr-${messageId}` } },
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:herald-test-processing-inbound',
  awsRegion: 'us-east-1',
});

let store: MemoryEventsTable;
let logs: ReturnType<typeof captureLogs>;
const handler = createHandler(
  () => ({ store, verifier, retentionDays: 30, now: () => new Date() }),
  createProcessingMetrics(),
);
/** The batch's EMF line: CloudWatch turns its counts into metrics without an API call. */
const metricsLine = () => logs.lines().find((line) => line._aws !== undefined);
const run = (...records: SQSRecord[]) => handler({ Records: records } as SQSEvent, lambdaContext());

beforeEach(() => {
  store = new MemoryEventsTable();
  logs = captureLogs();
});
afterEach(() => logs.restore());

describe('consume', () => {
  test('a batch mixing good, tampered, malformed and failing records fails only the bad ones', async () => {
    store.failOn = 'e4';
    const tampered = { ...signed('e2'), tenantid: 'globex' };
    const result = await run(
      record('m1', JSON.stringify(signed('e1'))),
      record('m2', JSON.stringify(tampered)),
      record('m3', JSON.stringify(signed('e3'))),
      record('m4', JSON.stringify(signed('e4'))),
      record('m5', 'not an envelope'),
      record('m6', JSON.stringify(signed('e6'))),
    );

    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm4' }, { itemIdentifier: 'm5' }],
    });
    expect([...store.items.values()].map((e) => e.eventId).sort()).toEqual(['e1', 'e3', 'e6']);
    expect(logs.lines().find((line) => line.message?.toString().startsWith('Batch completed'))).toMatchObject(
      {
        records: 6,
        failed: 3,
        awsCalls: {},
      },
    );
  });

  test('a tampered message is logged as a security event by message id, without its payload', async () => {
    const tampered = { ...signed('e2'), data: { secretPayload: 'card-4242' } };
    const result = await run(record('m2', JSON.stringify(tampered), 3));

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    const rejected = logs.lines().find((line) => line.securityEvent === 'envelope.rejected');
    expect(rejected).toMatchObject({
      level: 'WARN',
      reason: 'bad-signature',
      messageId: 'm2',
      receiveCount: '3',
      correlation_id: 'corr-m2',
    });
    expect(metricsLine()).toMatchObject({ RejectedEnvelopes: 1 });
    expect(logs.text()).not.toContain('card-4242');
    expect(store.items.size).toBe(0);
  });

  test('a redelivered message succeeds without a second item and is counted as a duplicate', async () => {
    const body = JSON.stringify(signed('e1'));
    expect(await run(record('m1', body))).toEqual({ batchItemFailures: [] });
    expect(metricsLine()).toMatchObject({ EventsStored: 1 });
    logs.restore();
    logs = captureLogs();
    expect(await run(record('m1', body, 2))).toEqual({ batchItemFailures: [] });
    expect(store.items.size).toBe(1);

    const lines = logs.lines();
    expect(lines.find((line) => line.message === 'Duplicate event ignored')).toMatchObject({
      eventId: 'e1',
      tenantId: 'acme',
      outcome: 'duplicate',
      correlation_id: 'corr-m1',
    });
    expect(metricsLine()).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: 'Herald',
            Dimensions: [['service']],
            Metrics: [{ Name: 'DuplicateEvents', Unit: 'Count' }],
          },
        ],
      },
      service: expect.any(String),
      DuplicateEvents: 1,
    });
  });

  test('the same event in two messages of one batch is stored once', async () => {
    const body = JSON.stringify(signed('e1'));
    expect(await run(record('m1', body), record('m2', body))).toEqual({ batchItemFailures: [] });
    expect(store.items.size).toBe(1);
    expect(metricsLine()).toMatchObject({ EventsStored: 1, DuplicateEvents: 1 });
  });
});
