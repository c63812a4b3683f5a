// The promises of DeadLetterQueue (processing's publish dead-letter queue), kept by the in-memory
// stand-in and by the SQS adapter alike: every letter queued once, as sent; and a send that could not
// queue every letter fails, after queueing the ones it could.
import { describe, expect, test } from '@jest/globals';
import { DEFAULT_MAX_MESSAGE_BYTES } from '@herald/shared/aws/sqs-send';
import {
  contractAws,
  describePort,
  queueDepth,
  queueFromTemplate,
  receiveBodies,
} from '../../../../test/setup/contract';
import { SqsDeadLetterQueue } from '../../src/adapters/sqs-dead-letter-queue';
import type { DeadLetter, DeadLetterQueue } from '../../src/publish-events';
import { MemoryDeadLetters } from '../support/memory-bus';

interface Letters {
  queue: DeadLetterQueue;
  /** The next `count` letters queued. */
  received(count: number): Promise<DeadLetter[]>;
  /** Letters queued and not yet taken. */
  left(): Promise<number>;
}

const letter = (n: number, overrides: Partial<DeadLetter> = {}): DeadLetter => ({
  reason: 'rejected-by-bus',
  sequenceNumber: `seq-${String(n).padStart(3, '0')}`,
  pk: 'TENANT#acme',
  sk: `EVENT#e${n}`,
  tenantId: 'acme',
  eventId: `e${n}`,
  errorCode: 'MalformedDetail',
  ...overrides,
});
const bySequence = (a: DeadLetter, b: DeadLetter) => a.sequenceNumber.localeCompare(b.sequenceNumber);

describePort<Letters>(
  'DeadLetterQueue',
  [
    {
      name: 'in memory',
      make: () => {
        const queue = new MemoryDeadLetters();
        let taken = 0;
        return {
          queue,
          received: async () => queue.letters.slice(taken, (taken = queue.letters.length)),
          left: async () => queue.letters.length - taken,
        };
      },
    },
    {
      name: 'SQS',
      make: async () => {
        const url = await queueFromTemplate('processing', 'PublishDeadLetterQueue');
        return {
          queue: new SqsDeadLetterQueue(contractAws().sqs, url),
          received: async (count) =>
            (await receiveBodies(url, count)).map((body) => JSON.parse(body) as DeadLetter),
          left: () => queueDepth(url),
        };
      },
    },
  ],
  (make) => {
    describe('send', () => {
      test('queues each letter once, as sent', async () => {
        const { queue, received, left } = await make();
        const letters = [
          letter(1),
          {
            reason: 'unreadable-record',
            sequenceNumber: 'seq-002',
            pk: 'TENANT#acme',
            sk: 'EVENT#x',
          } as const,
          { reason: 'too-large', sequenceNumber: 'seq-003', tenantId: 'acme', eventId: 'e3' } as const,
        ];
        await queue.send(letters);
        expect((await received(3)).sort(bySequence)).toEqual(letters);
        expect(await left()).toBe(0);
      });

      test('queues more letters than one SQS call takes', async () => {
        const { queue, received, left } = await make();
        const letters = Array.from({ length: 23 }, (_, n) => letter(n));
        await queue.send(letters);
        expect((await received(23)).sort(bySequence)).toEqual(letters);
        expect(await left()).toBe(0);
      });

      test('sending no letter queues nothing', async () => {
        const { queue, left } = await make();
        await queue.send([]);
        expect(await left()).toBe(0);
      });

      test('fails when a letter cannot be queued, after queueing the others', async () => {
        const { queue, received, left } = await make();
        const huge = letter(2, { sk: `EVENT#${'x'.repeat(DEFAULT_MAX_MESSAGE_BYTES)}` });
        await expect(queue.send([letter(1), huge, letter(3)])).rejects.toThrow(
          'SQS refused 1 of 3 dead letter(s)',
        );
        expect((await received(2)).sort(bySequence)).toEqual([letter(1), letter(3)]);
        expect(await left()).toBe(0);
      });
    });
  },
);
