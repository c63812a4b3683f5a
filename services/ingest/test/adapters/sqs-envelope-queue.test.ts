import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DEFAULT_MAX_MESSAGE_BYTES } from '@herald/shared/aws/sqs-send';
import type { Envelope } from '@herald/shared/contracts';
import { createEnvelopeSigner, generateSigningKeyPair } from '@herald/shared/signing';
import { queued, refusingProxy, sqsClient, startSqs, type TestSqs } from '@herald/shared/testing/sqs';
import { MAX_ENVELOPE_BYTES, toUnsignedEnvelope } from '../../src/accept-events';
import { SqsEnvelopeQueue, type RefusedEnvelope } from '../../src/adapters/sqs-envelope-queue';

const signer = createEnvelopeSigner(generateSigningKeyPair('ingest-test').privateJwk);
const plan = { receivedAt: '2026-11-30T10:00:00.000Z', correlationId: 'c'.repeat(128) };
const envelope = (id: string, data: string = id): Envelope =>
  signer.sign(toUnsignedEnvelope({ type: 'order.created', data }, id, 'acme', plan));

let sqs: TestSqs;
beforeAll(async () => {
  sqs = await startSqs();
}, 30_000);
afterAll(() => sqs?.stop(), 30_000);

/** Processing's inbound queue, as its template makes it. */
const inbound = () => sqs.queue({ MaximumMessageSize: String(DEFAULT_MAX_MESSAGE_BYTES) });

describe('SqsEnvelopeQueue', () => {
  test('queues a hundred envelopes, each with its correlation id, and reports none failed', async () => {
    const { url, name } = inbound();
    const envelopes = Array.from({ length: 100 }, (_, i) => envelope(`e${i}`));
    const failed = await new SqsEnvelopeQueue(sqs.client, url).send(envelopes);
    expect(failed.size).toBe(0);
    const messages = queued(sqs, name);
    expect(messages.map((m) => (JSON.parse(m.body) as Envelope).id).sort()).toEqual(
      envelopes.map((e) => e.id).sort(),
    );
    expect(messages[0]!.messageAttributes.correlationid).toEqual({
      DataType: 'String',
      StringValue: plan.correlationId,
    });
  });

  test('each envelope goes with its tenant as message group, so the inbound queue is a fair queue', async () => {
    // fauxqs shows a FIFO queue's group ids (a standard queue's are carried by the local cloud's front).
    const { url, name } = sqs.queue({ FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const other = signer.sign(toUnsignedEnvelope({ type: 'order.created', data: 1 }, 'o1', 'globex', plan));
    expect((await new SqsEnvelopeQueue(sqs.client, url).send([envelope('e1'), other])).size).toBe(0);
    expect(queued(sqs, name).map((m) => m.messageGroupId)).toEqual(['acme', 'globex']);
  });

  test('envelopes of the largest size ingest accepts fit the queue, four to a call', async () => {
    const { url, name } = inbound();
    const big = (id: string) => {
      const base = envelope(id, '');
      const room = MAX_ENVELOPE_BYTES - Buffer.byteLength(JSON.stringify(base));
      return envelope(id, 'x'.repeat(room));
    };
    const envelopes = ['a', 'b', 'c', 'd', 'e'].map(big);
    expect(envelopes.every((e) => Buffer.byteLength(JSON.stringify(e)) <= MAX_ENVELOPE_BYTES)).toBe(true);
    expect(envelopes.some((e) => Buffer.byteLength(JSON.stringify(e)) > MAX_ENVELOPE_BYTES - 200)).toBe(true);
    expect((await new SqsEnvelopeQueue(sqs.client, url).send(envelopes)).size).toBe(0);
    expect(queued(sqs, name)).toHaveLength(5);
  });

  test('names the envelopes SQS would not take, and tells of each with its code', async () => {
    const { url, name } = inbound();
    const proxy = await refusingProxy(sqs.endpoint, (body) =>
      body.includes('"id":"e1"') ? 'ServiceUnavailable' : undefined,
    );
    const client = sqsClient(proxy.endpoint);
    const told: RefusedEnvelope[][] = [];
    try {
      const failed = await new SqsEnvelopeQueue(client, url, (refused) => told.push(refused)).send([
        envelope('e0'),
        envelope('e1'),
        envelope('e2'),
      ]);
      expect([...failed]).toEqual([['e1', { retryable: true, code: 'ServiceUnavailable' }]]);
      expect(told).toEqual([
        [{ id: 'e1', code: 'ServiceUnavailable', senderFault: false, retryable: true, message: 'try again' }],
      ]);
      expect(queued(sqs, name)).toHaveLength(2);
    } finally {
      client.destroy();
      await proxy.stop();
    }
  });

  test('a queue that cannot be reached fails every envelope instead of throwing', async () => {
    const client = sqsClient('http://127.0.0.1:9', 1);
    const told: RefusedEnvelope[][] = [];
    try {
      const failed = await new SqsEnvelopeQueue(client, inbound().url, (refused) => told.push(refused)).send([
        envelope('e0'),
        envelope('e1'),
      ]);
      expect([...failed.keys()].sort()).toEqual(['e0', 'e1']);
      expect([...failed.values()].every((failure) => failure.retryable)).toBe(true);
      expect(told[0]!.map((r) => r.id)).toEqual(['e0', 'e1']);
    } finally {
      client.destroy();
    }
  });
});
