/**
 * What the dead-letter routes rely on of SQS, as checks any DeadLetterQueues must pass: run against the
 * in-memory stand-in and the SQS adapter on fauxqs (queues.test.ts), so the stand-in never promises
 * what SQS does not do. (Moves are checked on the local cloud's SQS, which has the message-move API.)
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { DeadLetterQueues } from '../../src/dead-letters/ports';

export interface Harness {
  queues: DeadLetterQueues;
  /** Creates a queue; with `deadLettersTo`, one whose redrive policy names that queue. */
  create(name: string, deadLettersTo?: { name: string; maxReceiveCount: number }): Promise<void>;
  put(name: string, body: string, attributes?: Record<string, string>): Promise<void>;
}

let counter = 0;
const unique = (label: string) => `contract-${process.pid}-${label}-${++counter}`;

export function deadLetterQueuesContract(kind: string, harness: () => Promise<Harness>) {
  describe(`DeadLetterQueues (${kind})`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await harness();
    });

    test('locate: URL, ARN, and the redrive policy of a source queue', async () => {
      const dlq = unique('dlq');
      const source = unique('source');
      await h.create(dlq);
      await h.create(source, { name: dlq, maxReceiveCount: 4 });
      const located = await h.queues.locate(dlq);
      expect(located.name).toBe(dlq);
      expect(located.arn).toMatch(new RegExp(`^arn:aws:sqs:[^:]+:[^:]+:${dlq}$`));
      expect(located.url).toContain(dlq);
      expect(located.redrivePolicy).toBeUndefined();
      expect((await h.queues.locate(source)).redrivePolicy).toEqual({
        deadLetterTargetArn: located.arn,
        maxReceiveCount: 4,
      });
    });

    test('receive holds messages, release shows them again, delete removes them', async () => {
      const name = unique('q');
      await h.create(name);
      const queue = await h.queues.locate(name);
      await h.put(name, '{"n":1}', { correlationid: 'corr-1' });
      await h.put(name, '{"n":2}');
      expect(await h.queues.counts(queue)).toEqual({ visible: 2, inFlight: 0, delayed: 0 });

      const first = await h.queues.receive(queue, { max: 10, holdSeconds: 30, waitSeconds: 1 });
      expect(first.map((letter) => letter.body).sort()).toEqual(['{"n":1}', '{"n":2}']);
      const one = first.find((letter) => letter.body === '{"n":1}')!;
      expect(one.attributes).toEqual({ correlationid: 'corr-1' });
      expect(one.receiveCount).toBe(1);
      expect(one.sentAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(await h.queues.counts(queue)).toEqual({ visible: 0, inFlight: 2, delayed: 0 });
      expect(await h.queues.receive(queue, { max: 10, holdSeconds: 30, waitSeconds: 0 })).toEqual([]);

      await h.queues.release(
        queue,
        first.map((letter) => letter.receipt),
      );
      expect(await h.queues.counts(queue)).toEqual({ visible: 2, inFlight: 0, delayed: 0 });
      const again = await h.queues.receive(queue, { max: 1, holdSeconds: 30, waitSeconds: 1 });
      expect(again).toHaveLength(1);
      expect(again[0]!.receiveCount).toBe(2);
      await h.queues.delete(queue, [again[0]!.receipt]);
      expect((await h.queues.counts(queue)).visible + (await h.queues.counts(queue)).inFlight).toBe(1);
    });

    test('send: each body, with its correlation id as the attribute', async () => {
      const name = unique('target');
      await h.create(name);
      const queue = await h.queues.locate(name);
      expect(
        await h.queues.send(queue, [{ body: '{"a":1}', correlationId: 'c-1' }, { body: '{"b":2}' }]),
      ).toEqual([]);
      const letters = await h.queues.receive(queue, { max: 10, holdSeconds: 30, waitSeconds: 1 });
      expect(letters.map((l) => [l.body, l.attributes]).sort()).toEqual([
        ['{"a":1}', { correlationid: 'c-1' }],
        ['{"b":2}', {}],
      ]);
    });
  });
}
