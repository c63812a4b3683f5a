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

describe('SqsDeadLetterQueue', () => {
  test('queues one message per letter, a batch of more than ten included', async () => {
    const { url, name } = sqs.queue();
    const letters = Array.from({ length: 12 }, (_, n) => letter(n));
    await new SqsDeadLetterQueue(sqs.client, url).send(letters);
    expect(
      queued(sqs, name)
        .map((m) => JSON.parse(m.body) as DeadLetter)
        .sort((a, b) => a.sequenceNumber.localeCompare(b.sequenceNumber)),
    ).toEqual([...letters].sort((a, b) => a.sequenceNumber.localeCompare(b.sequenceNumber)));
  });

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
