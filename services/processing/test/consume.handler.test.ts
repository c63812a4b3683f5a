import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { createEnvelopeSigner, createEnvelopeVerifier, generateSigningKeyPair } from '@herald/shared/signing';
import { captureLogs, lambdaContext } from '@herald/shared/testing/http';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { EventStore } from '../src/consume-envelope';
import type { StoredEvent } from '../src/events-table';
import { createHandler } from '../src/handlers/consume';

const keys = generateSigningKeyPair('ingest-1');
const signer = createEnvelopeSigner(keys.privateJwk);

class MemoryEventStore implements EventStore {
  readonly items = new Map<string, StoredEvent>();
  failOn?: string;
  async putIfAbsent(event: StoredEvent) {
    if (event.eventId === this.failOn) throw new Error('ProvisionedThroughputExceededException');
    const key = `${event.pk}|${event.sk}`;
    if (this.items.has(key)) return 'duplicate' as const;
    this.items.set(key, event);
    return 'stored' as const;
  }
}

const signed = (id: string) =>
  signer.sign({
    specversion: '1.0',
    id,
    source: '/tenants/acme',
    type: 'order.created',
    time: '2026-11-28T10:00:00.000Z',
    datacontenttype: 'application/json',
    data: { id },
    tenantid: 'acme',
    correlationid: `corr-${id}`,
  });

const record = (messageId: string, body: string): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
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

let store: MemoryEventStore;
let logs: ReturnType<typeof captureLogs>;
const handler = createHandler(() => ({
  store,
  verifier: createEnvelopeVerifier([keys.publicJwk]),
  retentionDays: 30,
  now: () => new Date(),
}));
const run = (...records: SQSRecord[]) => handler({ Records: records } as SQSEvent, lambdaContext());

beforeEach(() => {
  store = new MemoryEventStore();
  logs = captureLogs();
});
afterEach(() => logs.restore());

describe('consume', () => {
  test('a batch mixing good, tampered and failing records fails only the bad ones', async () => {
    store.failOn = 'e4';
    const tampered = { ...signed('e2'), tenantid: 'globex' };
    const result = await run(
      record('m1', JSON.stringify(signed('e1'))),
      record('m2', JSON.stringify(tampered)),
      record('m3', JSON.stringify(signed('e3'))),
      record('m4', JSON.stringify(signed('e4'))),
    );

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm4' }] });
    expect([...store.items.values()].map((e) => e.eventId).sort()).toEqual(['e1', 'e3']);
  });

  test('a tampered message is logged as a security event by message id, without its payload', async () => {
    const tampered = { ...signed('e2'), data: { secretPayload: 'card-4242' } };
    await run(record('m2', JSON.stringify(tampered)));

    const rejected = logs.lines().find((line) => line.securityEvent === 'envelope.rejected');
    expect(rejected).toMatchObject({ reason: 'bad-signature', messageId: 'm2', correlation_id: 'corr-m2' });
    expect(logs.text()).not.toContain('card-4242');
    expect(store.items.size).toBe(0);
  });

  test('a redelivered message succeeds without a second item', async () => {
    const body = JSON.stringify(signed('e1'));
    expect(await run(record('m1', body))).toEqual({ batchItemFailures: [] });
    expect(await run(record('m1', body))).toEqual({ batchItemFailures: [] });
    expect(store.items.size).toBe(1);
  });
});
