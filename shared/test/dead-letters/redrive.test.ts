import { beforeEach, describe, expect, test } from '@jest/globals';
import { resolveCatalog, type DeadLetterQueueSpec } from '../../src/dead-letters/catalog';
import { peek, summarise } from '../../src/dead-letters/inspect';
import type { DeadLetter, Resender } from '../../src/dead-letters/ports';
import { redrive, type RedriveOptions } from '../../src/dead-letters/redrive';
import { MemoryQueues } from './memory-queues';

let memory: MemoryQueues;
const budget = (): RedriveOptions => ({ deadline: Date.now() + 60_000, maxMessages: 500 });

beforeEach(() => {
  memory = new MemoryQueues();
  memory.create('main-dlq');
  memory.create('main', { deadLetterTargetArn: memory.address('main-dlq').arn, maxReceiveCount: 5 });
  memory.create('side-dlq');
  memory.create('target');
});

const resolve = (specs: DeadLetterQueueSpec[]) => resolveCatalog(specs, memory);
const moveSpec: DeadLetterQueueSpec = {
  id: 'main',
  queue: 'main-dlq',
  holds: 'what main failed',
  redrive: { kind: 'move', source: 'main' },
};

/** Resends bodies without "stuck"; records what it was given. */
function fakeResender(): Resender & { given: string[][] } {
  const given: string[][] = [];
  return {
    given,
    async resend(letters: readonly DeadLetter[]) {
      given.push(letters.map((l) => l.body));
      return letters.map((l) =>
        l.body.includes('stuck') ? { resent: false, reason: 'still stuck' } : { resent: true },
      );
    },
  };
}

describe('the catalog', () => {
  test('locates each queue and a move’s source with its receive limit', async () => {
    const [entry] = await resolve([moveSpec]);
    expect(entry).toMatchObject({
      id: 'main',
      queue: memory.address('main-dlq'),
      source: { ...memory.address('main'), maxReceiveCount: 5 },
    });
  });

  test('refuses a source whose redrive policy names another queue, and ids unfit for a path', async () => {
    await expect(resolve([{ ...moveSpec, queue: 'side-dlq' }])).rejects.toThrow(/sends its dead letters to/);
    await expect(resolve([{ ...moveSpec, id: 'Main/Q' }])).rejects.toThrow(/not a path-safe id/);
    await expect(resolve([moveSpec, moveSpec])).rejects.toThrow(/declared twice/);
  });
});

describe('inspecting', () => {
  test('counts and the oldest of a sample; the messages stay where they are', async () => {
    const [entry] = await resolve([moveSpec]);
    memory.put('main-dlq', '{"n":1}', { sentAt: new Date(Date.now() - 120_000) });
    memory.put('main-dlq', '{"n":2}', { sentAt: new Date(Date.now() - 30_000) });
    const summary = await summarise(entry!, memory, new Date());
    expect(summary).toMatchObject({
      queue: 'main',
      name: 'main-dlq',
      source: { name: 'main', maxReceiveCount: 5 },
      redrive: { kind: 'move', does: expect.stringContaining('StartMessageMoveTask') },
      approximateNumberOfMessages: 2,
      approximateNumberOfMessagesNotVisible: 0,
    });
    expect(summary.oldestSampledAgeSeconds).toBeGreaterThanOrEqual(120);
    expect(await memory.counts(entry!.queue)).toEqual({ visible: 2, inFlight: 0, delayed: 0 });
  });

  test('a peek shows at most what was asked, oldest first, with the reason', async () => {
    const [entry] = await resolve([moveSpec]);
    for (let i = 0; i < 4; i++)
      memory.put('main-dlq', `{"n":${i}}`, { sentAt: new Date(Date.now() - i * 1000) });
    const { messages, summary } = await peek(entry!, memory, 3, new Date());
    expect(messages.map((m) => m.bodyPreview)).toEqual(['{"n":2}', '{"n":1}', '{"n":0}']);
    expect(messages[0]!.reason).toBe('exceeded maxReceiveCount 5 on main');
    expect(summary.approximateNumberOfMessages).toBe(4);
    expect((await memory.counts(entry!.queue)).visible).toBe(4);
  });

  test('an empty queue is not sampled', async () => {
    const [entry] = await resolve([moveSpec]);
    const summary = await summarise(entry!, memory, new Date());
    expect(summary.approximateNumberOfMessages).toBe(0);
    expect(summary.oldestSampledSentAt).toBeUndefined();
  });
});

describe('redriving with the message-move API', () => {
  test('starts a move from the dead-letter queue to its source, at the rate asked', async () => {
    const [entry] = await resolve([moveSpec]);
    memory.put('main-dlq', 'a');
    const started = await redrive(entry!, memory, { ...budget(), maxMessagesPerSecond: 20 });
    expect(started).toEqual({
      kind: 'move',
      taskHandle: 'handle-main-dlq-1',
      sourceArn: memory.address('main-dlq').arn,
      destinationArn: memory.address('main').arn,
      maxMessagesPerSecond: 20,
    });
    expect(memory.bodies('main')).toEqual(['a']);
    expect(await memory.listMoves(entry!.queue)).toMatchObject([
      { status: 'COMPLETED', moved: 1, maxMessagesPerSecond: 20 },
    ]);
  });
});

describe('redriving by resending', () => {
  const resendSpec = (resender: Resender): DeadLetterQueueSpec => ({
    id: 'side',
    queue: 'side-dlq',
    holds: 'what the bus could not take',
    redrive: { kind: 'resend', does: 'puts them back', resender: () => resender },
  });

  test('deletes what was resent, keeps the rest in the queue with why, each message once', async () => {
    const resender = fakeResender();
    const [entry] = await resolve([resendSpec(resender)]);
    for (let i = 0; i < 23; i++) memory.put('side-dlq', i % 5 === 0 ? `stuck ${i}` : `ok ${i}`);
    const report = await redrive(entry!, memory, budget());
    expect(report).toMatchObject({
      kind: 'resend',
      resent: 18,
      finished: true,
      approximateNumberOfMessagesRemaining: 5,
    });
    if (report.kind === 'move') throw new Error('expected a resend');
    expect(report.kept.map((k) => k.reason)).toEqual(Array(5).fill('still stuck'));
    expect(resender.given.flat()).toHaveLength(23);
    expect(memory.bodies('side-dlq').sort()).toEqual([
      'stuck 0',
      'stuck 10',
      'stuck 15',
      'stuck 20',
      'stuck 5',
    ]);
    expect(await memory.counts(entry!.queue)).toEqual({ visible: 5, inFlight: 0, delayed: 0 });
  });

  test('stops when the resender cannot reach its target, leaving everything in place', async () => {
    const failing: Resender = {
      async resend() {
        throw Object.assign(new Error('down'), { name: 'ServiceUnavailable' });
      },
    };
    const [entry] = await resolve([resendSpec(failing)]);
    for (let i = 0; i < 15; i++) memory.put('side-dlq', `m${i}`);
    const report = await redrive(entry!, memory, budget());
    expect(report).toMatchObject({ resent: 0, finished: false, approximateNumberOfMessagesRemaining: 15 });
    if (report.kind === 'move') throw new Error('expected a resend');
    expect(report.kept).toHaveLength(10);
    expect(report.kept[0]!.reason).toBe('could not resend: ServiceUnavailable');
  });

  test('handles at most maxMessages a pass, at the rate asked', async () => {
    const resender = fakeResender();
    const [entry] = await resolve([resendSpec(resender)]);
    for (let i = 0; i < 30; i++) memory.put('side-dlq', `m${i}`);
    let clock = 0;
    const slept: number[] = [];
    const report = await redrive(entry!, memory, {
      deadline: Number.MAX_SAFE_INTEGER,
      maxMessages: 12,
      maxMessagesPerSecond: 4,
      now: () => clock,
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
      },
    });
    expect(report).toMatchObject({ resent: 12, finished: false, approximateNumberOfMessagesRemaining: 18 });
    expect(resender.given.map((batch) => batch.length)).toEqual([4, 4, 4]);
    expect(slept).toEqual([1000, 1000]);
  });

  test('forward: each body to the target queue with its correlation id; a refused one stays', async () => {
    const [entry] = await resolve([
      { id: 'rule', queue: 'side-dlq', holds: 'events', redrive: { kind: 'forward', to: 'target' } },
    ]);
    memory.put('side-dlq', '{"event":1}', { attributes: { correlationid: 'c-1', ERROR_CODE: 'X' } });
    memory.put('side-dlq', '{"refuse":true}');
    const report = await redrive(entry!, memory, budget());
    expect(report).toMatchObject({ kind: 'forward', resent: 1, approximateNumberOfMessagesRemaining: 1 });
    if (report.kind === 'move') throw new Error('expected a forward');
    expect(report.kept).toEqual([
      { messageId: expect.any(String), reason: 'target refused it: InvalidMessageContents' },
    ]);
    const [forwarded] = await memory.receive(memory.address('target'), {
      max: 10,
      holdSeconds: 1,
      waitSeconds: 0,
    });
    expect(forwarded).toMatchObject({ body: '{"event":1}', attributes: { correlationid: 'c-1' } });
  });
});
