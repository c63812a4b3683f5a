import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { queued, refusingProxy, sqsClient, startSqs, type TestSqs } from '@herald/shared/testing/sqs';
import { SqsDeadLetterQueue, type RefusedLetter } from '../../src/adapters/sqs-dead-letter-queue';
import type { DeadLetter } from '../../src/publish-events';

const letter = (n: number): DeadLetter => ({
  reason: 'rejected-by-bus',
  sequenceNumber: `seq-${n}`,
  tenantId: 'acme',
  eventId: `e${n}`,
  errorCode: 'MalformedDetail',
});

let sqs: TestSqs;
beforeAll(async () => {
  sqs = await startSqs();
}, 30_000);
afterAll(() => sqs?.stop(), 30_000);

// One message per letter, more than ten in a call, is a promise of the DeadLetterQueue port, checked in
// test/contract/dead-letter-queue.contract.test.ts; here, what only the SQS adapter does.
describe('SqsDeadLetterQueue', () => {
  test('throws when SQS keeps refusing a letter, after telling of it with its code', async () => {
    const { url, name } = sqs.queue();
    const proxy = await refusingProxy(sqs.endpoint, (body) =>
      body.includes('seq-1') ? 'InternalError' : undefined,
    );
    const client = sqsClient(proxy.endpoint);
    const told: RefusedLetter[][] = [];
    try {
      const queue = new SqsDeadLetterQueue(client, url, (refused) => told.push(refused));
      await expect(queue.send([letter(0), letter(1)])).rejects.toThrow('SQS refused 1 of 2 dead letter(s)');
      expect(told).toEqual([
        [
          {
            letter: letter(1),
            code: 'InternalError',
            senderFault: false,
            retryable: true,
            message: 'try again',
          },
        ],
      ]);
      expect(queued(sqs, name)).toHaveLength(1);
    } finally {
      client.destroy();
      await proxy.stop();
    }
  });
});
