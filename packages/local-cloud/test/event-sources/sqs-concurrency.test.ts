// SQS mappings handle batches concurrently, as Lambda's pollers do: up to MaximumConcurrency within the local
// cap, never more, receiving only when a handler is free; a slow batch holds back nobody else; a FIFO queue's
// groups stay in order; stop() waits for every batch in flight. Against fauxqs through the real SDK, with an
// in-process function whose batches wait on a gate the test opens.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { clientConfig, queueArn, queueUrl } from '../../src/aws';
import { startEmulators } from '../../src/emulators';
import type { Emulators } from '../../src/emulators';
import type { EventSourceHandle } from '../../src/event-sources/common';
import {
  DEFAULT_LOCAL_CONCURRENCY,
  localConcurrency,
  LocalConcurrencyError,
  mappingConcurrency,
} from '../../src/event-sources/concurrency';
import { startSqsMapping } from '../../src/event-sources/sqs';
import { startLocalCloud } from '../../src/local-cloud';
import type { SqsMapping } from '../../src/types';
import {
  delay,
  EMULATOR_TEST_MS,
  EMULATORS_START_MS,
  EMULATORS_STOP_MS,
  MemoryLog,
  settlesBefore,
  TestInvoker,
  uniqueName,
  waitFor,
} from './helpers';

jest.setTimeout(EMULATOR_TEST_MS);

let emulators: Emulators;
let sqs: SQSClient;
const running: EventSourceHandle[] = [];

beforeAll(async () => {
  emulators = await startEmulators('auto');
  sqs = new SQSClient({ ...clientConfig(emulators.endpoints.sqs), useQueueUrlAsEndpoint: false });
}, EMULATORS_START_MS);

afterAll(async () => {
  await Promise.all(running.map((handle) => handle.stop()));
  sqs?.destroy();
  await emulators?.stop();
}, EMULATORS_STOP_MS);

/**
 * How long a test watches for something that must not happen (a batch beyond the limit, stop() returning
 * early): the poller receives in well under this on an idle machine, so a breach would show.
 */
const WATCH_MS = 500;

/** A promise the test resolves: batches wait on it, so the test decides how long they stay in flight. */
class Gate {
  readonly opened: Promise<void>;
  open!: () => void;
  constructor() {
    this.opened = new Promise((resolve) => (this.open = resolve));
  }
}

/** A function whose invocations wait on a gate, counting what is in flight (overall and by key). */
class GatedFunction {
  readonly gate = new Gate();
  readonly invoker = new TestInvoker();
  inFlight = 0;
  maxInFlight = 0;
  readonly inFlightByKey = new Map<string, number>();
  maxInFlightOfOneKey = 0;
  /** Bodies in the order their batches started. */
  readonly started: string[] = [];
  finished = 0;

  constructor(
    /** Which batches wait on the gate (all by default). */
    waits: (bodies: string[]) => boolean = () => true,
    /** What counts as one key in flight (a FIFO group); the first body's prefix by default. */
    key: (body: string) => string = (body) => body.split('-')[0]!,
  ) {
    this.invoker.handler = async (payload) => {
      const bodies = (payload as { Records: SQSRecord[] }).Records.map((record) => record.body);
      const keys = [...new Set(bodies.map(key))];
      this.started.push(...bodies);
      this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
      for (const each of keys) {
        const count = (this.inFlightByKey.get(each) ?? 0) + 1;
        this.inFlightByKey.set(each, count);
        this.maxInFlightOfOneKey = Math.max(this.maxInFlightOfOneKey, count);
      }
      try {
        if (waits(bodies)) await this.gate.opened;
      } finally {
        this.inFlight--;
        for (const each of keys) this.inFlightByKey.set(each, this.inFlightByKey.get(each)! - 1);
        this.finished += bodies.length;
      }
    };
  }
}

async function createQueue(fifo = false): Promise<string> {
  const name = fifo ? `${uniqueName('c')}.fifo` : uniqueName('c');
  await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {},
    }),
  );
  return name;
}

function mapping(queue: string, overrides: Partial<SqsMapping> = {}): SqsMapping {
  return {
    kind: 'sqs',
    functionName: 'consume',
    queueArn: queueArn(queue),
    queueUrl: queueUrl(queue),
    batchSize: 1,
    maximumBatchingWindowInSeconds: 0,
    reportBatchItemFailures: false,
    enabled: true,
    ...overrides,
  };
}

async function start(sqsMapping: SqsMapping, invoker: TestInvoker, localConcurrency?: number) {
  const handle = await startSqsMapping(
    sqsMapping,
    { sqs, invoker, log: new MemoryLog() },
    { errorBackoffMs: 50, ...(localConcurrency !== undefined && { localConcurrency }) },
  );
  running.push(handle);
  return handle;
}

async function stop(handle: EventSourceHandle) {
  running.splice(running.indexOf(handle), 1);
  await handle.stop();
}

async function sendBodies(queue: string, bodies: string[], groupOf?: (body: string) => string) {
  for (let start = 0; start < bodies.length; start += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl(queue),
        Entries: bodies.slice(start, start + 10).map((body, index) => ({
          Id: `e${index}`,
          MessageBody: body,
          ...(groupOf && { MessageGroupId: groupOf(body) }),
        })),
      }),
    );
  }
}

async function queueCounts(queue: string): Promise<{ visible: number; inFlight: number }> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl(queue),
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(out.Attributes?.ApproximateNumberOfMessages),
    inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible),
  };
}

const empty = async (queue: string) => {
  const { visible, inFlight } = await queueCounts(queue);
  return visible + inFlight === 0;
};

const numbered = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => `${prefix}-${index + 1}`);

describe('the number of batches in flight', () => {
  test.each([
    { case: 'no MaximumConcurrency: the local cap', maximumConcurrency: undefined, cap: 3, expected: 3 },
    { case: 'MaximumConcurrency below the local cap', maximumConcurrency: 2, cap: 5, expected: 2 },
    { case: 'MaximumConcurrency above the local cap: the cap', maximumConcurrency: 50, cap: 4, expected: 4 },
  ])('$case ($expected), never more', async ({ maximumConcurrency, cap, expected }) => {
    const queue = await createQueue();
    const bodies = numbered('m', 8);
    await sendBodies(queue, bodies);
    const fn = new GatedFunction();
    await start(
      mapping(queue, maximumConcurrency === undefined ? {} : { maximumConcurrency }),
      fn.invoker,
      cap,
    );

    await waitFor(`${expected} batches in flight`, () => fn.inFlight === expected);
    await delay(WATCH_MS);
    expect(fn.maxInFlight).toBe(expected);
    // Nothing is received for which no handler is free: the rest stay visible to other consumers.
    expect(await queueCounts(queue)).toEqual({ visible: bodies.length - expected, inFlight: expected });

    fn.gate.open();
    await waitFor('the queue to empty', () => empty(queue));
    expect(fn.maxInFlight).toBe(expected);
    expect([...fn.started].sort()).toEqual([...bodies].sort());
  });

  test('without a setting, the local cap is 3', async () => {
    const queue = await createQueue();
    await sendBodies(queue, numbered('d', 7));
    const fn = new GatedFunction();
    await start(mapping(queue), fn.invoker);
    await waitFor('the default cap of batches in flight', () => fn.inFlight === DEFAULT_LOCAL_CONCURRENCY);
    await delay(WATCH_MS);
    expect(fn.maxInFlight).toBe(3);
    fn.gate.open();
    await waitFor('the queue to empty', () => empty(queue));
  });

  test('a slow batch does not hold back the messages behind it', async () => {
    const queue = await createQueue();
    const fn = new GatedFunction((bodies) => bodies.includes('slow-1'));
    await start(mapping(queue), fn.invoker, 2);
    await sendBodies(queue, ['slow-1']);
    await waitFor('the slow batch to start', () => fn.inFlight === 1);
    const fast = numbered('fast', 6);
    await sendBodies(queue, fast);
    // Every fast message is handled and deleted while the slow one is still in its function.
    await waitFor('the fast messages to be handled', () => fn.finished === fast.length);
    expect(await queueCounts(queue)).toEqual({ visible: 0, inFlight: 1 });
    expect(fn.inFlight).toBe(1);
    fn.gate.open();
    await waitFor('the queue to empty', () => empty(queue));
  });
});

describe('FIFO queues', () => {
  test('two groups run side by side, each in order, one batch per group at a time', async () => {
    const queue = await createQueue(true);
    const groupA = numbered('A', 5);
    const groupB = numbered('B', 5);
    // Interleaved, as one producer would send them.
    const bodies = groupA.flatMap((body, index) => [body, groupB[index]!]);
    await sendBodies(queue, bodies, (body) => body.split('-')[0]!);
    const fn = new GatedFunction();
    await start(mapping(queue), fn.invoker, 4);

    await waitFor('one batch of each group in flight', () => fn.inFlight === 2);
    // Slots are free, but the queue hands out nothing more of a group while one of its batches is in flight.
    await delay(WATCH_MS);
    expect(fn.inFlight).toBe(2);
    expect([...fn.started].sort()).toEqual(['A-1', 'B-1']);

    fn.gate.open();
    await waitFor('the queue to empty', () => empty(queue));
    expect(fn.maxInFlightOfOneKey).toBe(1);
    expect(fn.started.filter((body) => body.startsWith('A'))).toEqual(groupA);
    expect(fn.started.filter((body) => body.startsWith('B'))).toEqual(groupB);
  });

  test('a batch may hold several groups, each in order', async () => {
    const queue = await createQueue(true);
    const groupA = numbered('A', 6);
    const groupB = numbered('B', 6);
    await sendBodies(
      queue,
      groupA.flatMap((body, index) => [body, groupB[index]!]),
      (body) => body.split('-')[0]!,
    );
    const fn = new GatedFunction(() => false);
    await start(mapping(queue, { batchSize: 3 }), fn.invoker, 4);
    await waitFor('the queue to empty', () => empty(queue));
    for (const batch of fn.invoker.batches<SQSRecord>('consume')) expect(batch.length).toBeLessThanOrEqual(3);
    expect(fn.started.filter((body) => body.startsWith('A'))).toEqual(groupA);
    expect(fn.started.filter((body) => body.startsWith('B'))).toEqual(groupB);
  });
});

describe('stop', () => {
  test('waits for every batch in flight, whose messages are then deleted, and receives nothing more', async () => {
    const queue = await createQueue();
    await sendBodies(queue, numbered('s', 3));
    const fn = new GatedFunction();
    const handle = await start(mapping(queue), fn.invoker, 3);
    await waitFor('3 batches in flight', () => fn.inFlight === 3);

    const stopping = stop(handle);
    expect(await settlesBefore(stopping, WATCH_MS)).toBe(false);
    fn.gate.open();
    await stopping;
    expect(fn.finished).toBe(3);
    expect(await empty(queue)).toBe(true);

    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: 'after-stop' }));
    await delay(WATCH_MS);
    expect(fn.invoker.invocations).toHaveLength(3);
  });
});

describe('settings', () => {
  test('the local cap: 3 by default, a whole number from 1 to 1000 otherwise', () => {
    expect(localConcurrency(undefined)).toBe(3);
    expect(localConcurrency('')).toBe(3);
    expect(localConcurrency(' 12 ')).toBe(12);
    expect(localConcurrency(1)).toBe(1);
    expect(localConcurrency(1000)).toBe(1000);
    for (const bad of ['0', '-1', '2.5', 'many', 1001, 0])
      expect(() => localConcurrency(bad)).toThrow(LocalConcurrencyError);
    expect(() => localConcurrency('many')).toThrow(/HERALD_LOCAL_CONCURRENCY.*"many"/);
  });

  test('a bad cap fails startLocalCloud before it starts anything, from the option or the environment', async () => {
    // Checked first: were it not, these would start a whole local cloud (and fail later, or not at all).
    await expect(startLocalCloud({ ports: 'auto', localConcurrency: 0 })).rejects.toThrow(
      LocalConcurrencyError,
    );
    const before = process.env.HERALD_LOCAL_CONCURRENCY;
    process.env.HERALD_LOCAL_CONCURRENCY = 'many';
    try {
      await expect(startLocalCloud({ ports: 'auto' })).rejects.toThrow(/HERALD_LOCAL_CONCURRENCY.*"many"/);
    } finally {
      if (before === undefined) delete process.env.HERALD_LOCAL_CONCURRENCY;
      else process.env.HERALD_LOCAL_CONCURRENCY = before;
    }
  });

  test("a mapping's concurrency: MaximumConcurrency (AWS's 1,000 without one) within the local cap", () => {
    expect(mappingConcurrency(undefined, 5)).toBe(5);
    expect(mappingConcurrency(2, 5)).toBe(2);
    expect(mappingConcurrency(50, 5)).toBe(5);
    expect(mappingConcurrency(undefined, 1000)).toBe(1000);
  });
});
