// The promises of EnvelopeQueue (processing's inbound queue), kept by the in-memory stand-in and by the
// SQS adapter alike: every envelope sent arrives as its JSON, once per send, whatever the batch; an
// envelope the queue cannot take is named, and only it is left out.
import { describe, expect, test } from '@jest/globals';
import { DEFAULT_MAX_MESSAGE_BYTES } from '@herald/shared/aws/sqs-send';
import type { Envelope } from '@herald/shared/contracts';
import { createEnvelopeSigner, generateSigningKeyPair } from '@herald/shared/signing';
import {
  contractAws,
  describePort,
  queueDepth,
  queueFromTemplate,
  receiveBodies,
} from '../../../../test/setup/contract';
import { toUnsignedEnvelope, type EnvelopeQueue } from '../../src/accept-events';
import { SqsEnvelopeQueue } from '../../src/adapters/sqs-envelope-queue';
import { MemoryQueue } from '../support/memory';

interface Queue {
  queue: EnvelopeQueue;
  /** Every envelope that reached the queue, as received: the count must be exact. */
  received(count: number): Promise<Envelope[]>;
  /** Messages that reached the queue and were not received yet. */
  left(): Promise<number>;
}

const signer = createEnvelopeSigner(generateSigningKeyPair('contract').privateJwk);
const plan = { receivedAt: '2026-11-30T10:00:00.000Z', correlationId: 'corr-1' };
const envelope = (id: string, data: string = id): Envelope =>
  signer.sign(toUnsignedEnvelope({ type: 'order.created', data }, id, 'acme', plan));
const byId = (a: Envelope, b: Envelope) => a.id.localeCompare(b.id);

describePort<Queue>(
  'EnvelopeQueue',
  [
    {
      name: 'in memory',
      make: () => {
        const queue = new MemoryQueue();
        let taken = 0;
        const take = () => queue.sent.slice(taken, (taken = queue.sent.length));
        return {
          queue,
          received: async () => take(),
          left: async () => queue.sent.length - taken,
        };
      },
    },
    {
      name: 'SQS',
      make: async () => {
        const url = await queueFromTemplate('processing', 'InboundQueue');
        return {
          queue: new SqsEnvelopeQueue(contractAws().sqs, url),
          received: async (count) =>
            (await receiveBodies(url, count)).map((body) => JSON.parse(body) as Envelope),
          left: () => queueDepth(url),
        };
      },
    },
  ],
  (make) => {
    describe('send', () => {
      test('every envelope arrives as sent, and none is reported failed', async () => {
        const { queue, received, left } = await make();
        const envelopes = ['e1', 'e2', 'e3'].map((id) => envelope(id));
        expect((await queue.send(envelopes)).size).toBe(0);
        expect((await received(3)).sort(byId)).toEqual(envelopes);
        expect(await left()).toBe(0);
      });

      test('more envelopes than one SQS call takes all arrive', async () => {
        const { queue, received, left } = await make();
        const envelopes = Array.from({ length: 25 }, (_, i) => envelope(`e${String(i).padStart(2, '0')}`));
        expect((await queue.send(envelopes)).size).toBe(0);
        expect((await received(25)).sort(byId)).toEqual(envelopes);
        expect(await left()).toBe(0);
      });

      test('sending nothing sends nothing', async () => {
        const { queue, left } = await make();
        expect((await queue.send([])).size).toBe(0);
        expect(await left()).toBe(0);
      });

      test('the queue does not deduplicate: an envelope sent twice arrives twice', async () => {
        const { queue, received, left } = await make();
        await queue.send([envelope('e1')]);
        await queue.send([envelope('e1')]);
        expect((await received(2)).map((e) => e.id)).toEqual(['e1', 'e1']);
        expect(await left()).toBe(0);
      });

      test('an envelope larger than the queue takes is named failed for good; the others arrive', async () => {
        const { queue, received, left } = await make();
        const huge = envelope('e2', 'x'.repeat(DEFAULT_MAX_MESSAGE_BYTES));
        const failed = await queue.send([envelope('e1'), huge, envelope('e3')]);
        expect([...failed]).toEqual([['e2', { retryable: false, code: 'MessageTooLong' }]]);
        expect((await received(2)).map((e) => e.id).sort()).toEqual(['e1', 'e3']);
        expect(await left()).toBe(0);
      });
    });
  },
);
