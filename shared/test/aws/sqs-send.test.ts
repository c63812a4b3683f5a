import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  MESSAGE_TOO_LONG,
  messageBytes,
  sendAllMessages,
  sendMessage,
  sendMessages,
  SQS_MAX_BATCH_BYTES,
  SQS_MAX_BATCH_ENTRIES,
  toSendBatches,
  type OutgoingMessage,
} from '../../src/aws/sqs-send';
import { queued, refusingProxy, sqsClient, startSqs, type TestSqs } from '../../src/testing/sqs';

const KIB = 1024;
/** What a correlation id attribute adds: name, data type, value. */
const attributeBytes = (id: string) => 'correlationid'.length + 'String'.length + id.length;

let sqs: TestSqs;
beforeAll(async () => {
  sqs = await startSqs();
}, 30_000);
afterAll(() => sqs?.stop(), 30_000);

/** A queue as Herald's templates make them: 256 KiB messages. */
const heraldQueue = () => sqs.queue({ MaximumMessageSize: String(DEFAULT_MAX_MESSAGE_BYTES) });

describe('SQS limits', () => {
  test('are the documented ones', () => {
    expect(SQS_MAX_BATCH_ENTRIES).toBe(10);
    expect(SQS_MAX_BATCH_BYTES).toBe(1_048_576);
    expect(DEFAULT_MAX_MESSAGE_BYTES).toBe(262_144);
  });

  test('a message counts its UTF-8 body and its attribute’s name, data type and value', () => {
    expect(messageBytes({ body: '{"a":"é"}' })).toBe(10);
    expect(messageBytes({ body: '{}', correlationId: 'abc' })).toBe(2 + 13 + 6 + 3);
    expect(messageBytes({ body: '{}', delaySeconds: 5 })).toBe(2);
  });
});

describe('toSendBatches', () => {
  test('at most 10 entries a call, order kept', () => {
    const batches = toSendBatches(
      Array.from({ length: 25 }, (_, i) => i),
      () => 10,
    );
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(batches.flat()).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  test('at most 1 MiB a call: exactly 1 MiB fits, one byte more does not', () => {
    expect(toSendBatches([512 * KIB, 512 * KIB], (s) => s)).toEqual([[512 * KIB, 512 * KIB]]);
    expect(toSendBatches([512 * KIB, 512 * KIB + 1], (s) => s)).toEqual([[512 * KIB], [512 * KIB + 1]]);
    expect(toSendBatches([400 * KIB, 400 * KIB, 300 * KIB, 1], (s) => s)).toEqual([
      [400 * KIB, 400 * KIB],
      [300 * KIB, 1],
    ]);
  });

  test('nothing is empty, and an item over the limit travels alone', () => {
    expect(toSendBatches([], () => 1)).toEqual([]);
    expect(toSendBatches([1, 2 * SQS_MAX_BATCH_BYTES, 3], (s) => s)).toEqual([
      [1],
      [2 * SQS_MAX_BATCH_BYTES],
      [3],
    ]);
  });
});

describe('sendMessages against SQS', () => {
  test('sends every message with its correlation attribute and delay; one outcome each, in order', async () => {
    const { url, name } = heraldQueue();
    const messages: OutgoingMessage[] = Array.from({ length: 25 }, (_, i) => ({
      body: JSON.stringify({ n: i }),
      correlationId: `corr-${i}`,
      ...(i === 24 ? { delaySeconds: 60 } : {}),
    }));
    const outcomes = await sendMessages(sqs.client, url, messages);
    expect(outcomes).toEqual(messages.map((_, index) => ({ index })));
    const got = queued(sqs, name);
    expect(got.map((m) => m.body).sort()).toEqual(messages.map((m) => m.body).sort());
    expect(got.find((m) => m.body === '{"n":3}')?.messageAttributes).toEqual({
      correlationid: { DataType: 'String', StringValue: 'corr-3' },
    });
    expect(sqs.server.inspectQueue(name)!.messages.delayed.map((m) => m.body)).toEqual(['{"n":24}']);
  });

  test('counts attributes toward the 1 MiB of a call: bodies alone would fit one call, with attributes they need two', async () => {
    const { url, name } = sqs.queue();
    const correlationId = 'c'.repeat(128);
    // 8 bodies of 131,062 bytes: 1,048,496 bytes, under 1 MiB; with attributes 1,049,672, over it.
    const messages = Array.from({ length: 8 }, (_, i) => ({
      body: String(i).padEnd(128 * KIB - 10, 'x'),
      correlationId,
    }));
    expect(messages.reduce((sum, m) => sum + m.body.length, 0)).toBeLessThanOrEqual(SQS_MAX_BATCH_BYTES);
    expect(messages.reduce((sum, m) => sum + messageBytes(m), 0)).toBeGreaterThan(SQS_MAX_BATCH_BYTES);
    const outcomes = await sendMessages(sqs.client, url, messages, { maxMessageBytes: SQS_MAX_BATCH_BYTES });
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(queued(sqs, name)).toHaveLength(8);
  });

  test('messages of exactly the queue’s maximum, attributes included, are sent (four fill a call)', async () => {
    const { url, name } = heraldQueue();
    const correlationId = 'corr-max';
    const body = 'x'.repeat(DEFAULT_MAX_MESSAGE_BYTES - attributeBytes(correlationId));
    const messages = Array.from({ length: 5 }, () => ({ body, correlationId }));
    expect(messageBytes(messages[0]!)).toBe(DEFAULT_MAX_MESSAGE_BYTES);
    const outcomes = await sendMessages(sqs.client, url, messages);
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(queued(sqs, name)).toHaveLength(5);
  });

  test('a message over the queue’s maximum (its attribute tipping it) is not sent; the others are', async () => {
    const { url, name } = heraldQueue();
    const correlationId = 'corr-over';
    const tooLong = {
      body: 'x'.repeat(DEFAULT_MAX_MESSAGE_BYTES - attributeBytes(correlationId) + 1),
      correlationId,
    };
    const outcomes = await sendMessages(sqs.client, url, [{ body: 'a' }, tooLong, { body: 'b' }]);
    expect(outcomes).toEqual([
      { index: 0 },
      {
        index: 1,
        error: {
          code: MESSAGE_TOO_LONG,
          senderFault: true,
          retryable: false,
          message: expect.stringContaining('262144'),
        },
      },
      { index: 2 },
    ]);
    expect(
      queued(sqs, name)
        .map((m) => m.body)
        .sort(),
    ).toEqual(['a', 'b']);
  });

  test('a queue that takes 1 MiB messages takes one when told its maximum', async () => {
    const { url, name } = sqs.queue({ MaximumMessageSize: String(SQS_MAX_BATCH_BYTES) });
    const body = 'y'.repeat(SQS_MAX_BATCH_BYTES);
    expect(await sendMessages(sqs.client, url, [{ body }])).toEqual([
      { index: 0, error: expect.objectContaining({ code: MESSAGE_TOO_LONG }) },
    ]);
    expect(await sendMessages(sqs.client, url, [{ body }], { maxMessageBytes: SQS_MAX_BATCH_BYTES })).toEqual(
      [{ index: 0 }],
    );
    expect(queued(sqs, name)).toHaveLength(1);
  });

  test('an entry SQS refuses as the sender’s fault is reported with its code and not sent again', async () => {
    const { url, name } = heraldQueue();
    const proxy = await refusingProxy(sqs.endpoint, () => undefined);
    const client = sqsClient(proxy.endpoint);
    try {
      const outcomes = await sendMessages(client, url, [{ body: 'ok' }, { body: 'bad \u0000 char' }]);
      expect(outcomes[0]).toEqual({ index: 0 });
      expect(outcomes[1]).toEqual({
        index: 1,
        error: {
          code: 'InvalidMessageContents',
          senderFault: true,
          retryable: false,
          message: expect.any(String),
        },
      });
      expect(proxy.calls).toHaveLength(1);
      expect(queued(sqs, name).map((m) => m.body)).toEqual(['ok']);
    } finally {
      client.destroy();
      await proxy.stop();
    }
  });

  test('an entry refused for a passing fault is sent once more; refused again, it is reported', async () => {
    const { url, name } = heraldQueue();
    const proxy = await refusingProxy(sqs.endpoint, (body, call) => {
      if (body === 'flaky' && call === 1) return 'InternalError';
      if (body === 'down') return 'ServiceUnavailable';
      return undefined;
    });
    const client = sqsClient(proxy.endpoint);
    try {
      const outcomes = await sendMessages(client, url, [{ body: 'a' }, { body: 'flaky' }, { body: 'down' }]);
      expect(outcomes).toEqual([
        { index: 0 },
        { index: 1 },
        {
          index: 2,
          error: { code: 'ServiceUnavailable', senderFault: false, retryable: true, message: 'try again' },
        },
      ]);
      expect(proxy.calls).toEqual([
        ['a', 'flaky', 'down'],
        ['flaky', 'down'],
      ]);
      expect(
        queued(sqs, name)
          .map((m) => m.body)
          .sort(),
      ).toEqual(['a', 'flaky']);
    } finally {
      client.destroy();
      await proxy.stop();
    }
  });

  test('a call that fails as a whole fails each of its entries with its error, never throws', async () => {
    const client = sqsClient(sqs.endpoint, 1);
    try {
      const missing = `${sqs.queue().url}-missing`;
      const outcomes = await sendMessages(client, missing, [{ body: 'a' }, { body: 'b' }]);
      expect(outcomes).toEqual([
        {
          index: 0,
          error: expect.objectContaining({
            code: expect.stringMatching(/QueueDoesNotExist|NonExistentQueue/),
            senderFault: true,
            // Failed as a whole after the SDK's retries: maybe a passing condition, never a content refusal.
            retryable: true,
          }),
        },
        { index: 1, error: expect.objectContaining({ code: outcomes[0]!.error!.code }) },
      ]);
    } finally {
      client.destroy();
    }
  });

  test('nothing to send makes no call', async () => {
    expect(await sendMessages(sqs.client, 'http://127.0.0.1:1/none', [])).toEqual([]);
  });
});

describe('sendAllMessages', () => {
  test('resolves once SQS took every message', async () => {
    const { url, name } = heraldQueue();
    await sendAllMessages(sqs.client, url, [{ body: '1' }, { body: '2' }]);
    expect(queued(sqs, name)).toHaveLength(2);
  });

  test('throws naming how many were refused and why, after sending the others', async () => {
    const { url, name } = heraldQueue();
    const tooLong = { body: 'x'.repeat(DEFAULT_MAX_MESSAGE_BYTES + 1) };
    await expect(sendAllMessages(sqs.client, url, [{ body: '1' }, tooLong])).rejects.toThrow(
      'SQS refused 1 of 2 message(s): MessageTooLong',
    );
    expect(queued(sqs, name).map((m) => m.body)).toEqual(['1']);
  });
});

describe('message groups', () => {
  // fauxqs keeps a standard queue's MessageGroupId nowhere to be seen (the local cloud's SQS front
  // carries it, see packages/local-cloud), a FIFO queue's on each message: one shows what was sent.
  const fifoQueue = () => sqs.queue({ FifoQueue: 'true', ContentBasedDeduplication: 'true' });

  test("each message's group id is sent as its MessageGroupId, in a batch and alone", async () => {
    const { url, name } = fifoQueue();
    await sendMessages(sqs.client, url, [
      { body: '{"n":1}', groupId: 'tenant-a' },
      { body: '{"n":2}', groupId: 'tenant-b' },
    ]);
    await sendMessage(sqs.client, url, { body: '{"n":3}', groupId: 'tenant-c' });
    expect(queued(sqs, name).map((m) => [m.body, m.messageGroupId])).toEqual([
      ['{"n":1}', 'tenant-a'],
      ['{"n":2}', 'tenant-b'],
      ['{"n":3}', 'tenant-c'],
    ]);
  });

  test('a message without a group id is sent without one (a FIFO queue refuses it)', async () => {
    const { url } = fifoQueue();
    const [outcome] = await sendMessages(sqs.client, url, [{ body: '{}' }]);
    expect(outcome?.error?.code).toBe('MissingParameter');
  });
});

describe('sendMessage', () => {
  test('sends one message with its correlation attribute and delay', async () => {
    const { url, name } = heraldQueue();
    await sendMessage(sqs.client, url, { body: 'one', correlationId: 'corr-1', delaySeconds: 30 });
    const [message] = sqs.server.inspectQueue(name)!.messages.delayed;
    expect(message).toMatchObject({
      body: 'one',
      messageAttributes: { correlationid: { DataType: 'String', StringValue: 'corr-1' } },
    });
  });
});
