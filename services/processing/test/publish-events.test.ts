import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  entryBytes,
  MAX_REQUEST_BYTES,
  publishStoredEvents,
  toCalls,
  type PublishableEvent,
  type StreamRecord,
} from '../src/publish-events';
import { signedEnvelope } from './support/envelopes';
import { MemoryBus, MemoryDeadLetters } from './support/memory-bus';

let bus: MemoryBus;
let deadLetters: MemoryDeadLetters;
let sleeps: number[];

const deps = () => ({
  bus,
  deadLetters,
  sleep: async (ms: number) => void sleeps.push(ms),
  random: () => 0.5,
});

const event = (id: string, data: unknown = { id }): PublishableEvent => ({
  tenantId: 'acme',
  eventId: id,
  storedAt: '2026-11-28T10:00:02.000Z',
  envelope: JSON.stringify(signedEnvelope({ id, data: data as never })),
});
const records = (count: number, prefix = 'e'): StreamRecord[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `seq-${String(i).padStart(3, '0')}`,
    event: event(`${prefix}${i}`),
  }));

beforeEach(() => {
  bus = new MemoryBus();
  deadLetters = new MemoryDeadLetters();
  sleeps = [];
});

describe('publishStoredEvents', () => {
  test('puts each stored envelope as herald.processing / event.stored, the envelope text as detail', async () => {
    const [record] = records(1);
    const report = await publishStoredEvents([record!], deps());
    expect(report).toEqual({ published: 1, failed: [], deadLettered: [], putCalls: 1 });
    expect(bus.accepted).toEqual([
      {
        Source: 'herald.processing',
        DetailType: 'event.stored',
        Detail: record!.event!.envelope,
        Time: new Date('2026-11-28T10:00:02.000Z'),
      },
    ]);
  });

  test('batches up to 10 entries per call, in stream order', async () => {
    const report = await publishStoredEvents(records(25), deps());
    expect(bus.calls.map((call) => call.length)).toEqual([10, 10, 5]);
    expect(report).toMatchObject({ published: 25, putCalls: 3, failed: [] });
    expect(bus.acceptedIds()).toEqual(Array.from({ length: 25 }, (_, i) => `e${i}`));
  });

  test('keeps each call within 256 KiB, whatever the count', async () => {
    const big = Array.from({ length: 6 }, (_, i) => ({
      id: `seq-${i}`,
      event: event(`big${i}`, { blob: 'x'.repeat(100 * 1024) }),
    }));
    const report = await publishStoredEvents(big, deps());
    expect(report).toMatchObject({ published: 6, failed: [] });
    expect(bus.calls.map((call) => call.length)).toEqual([2, 2, 2]);
  });

  test('toCalls never splits an item and never exceeds either limit', () => {
    const sizes = [200_000, 60_000, 10, 10, 262_144, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const calls = toCalls(sizes.map((bytes) => ({ bytes })));
    expect(calls.flat().map((item) => item.bytes)).toEqual(sizes);
    for (const call of calls) {
      expect(call.length).toBeLessThanOrEqual(10);
      expect(call.reduce((sum, item) => sum + item.bytes, 0)).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    }
  });

  test('entries the bus rejects for a passing reason are retried with backoff, not dropped', async () => {
    bus.rejections.set('e1', ['ThrottlingException']);
    bus.rejections.set('e3', ['InternalFailure', 'ThrottlingException']);
    const report = await publishStoredEvents(records(5), deps());
    expect(report).toEqual({ published: 5, failed: [], deadLettered: [], putCalls: 3 });
    // Only the rejected entries are put again.
    expect(bus.calls.map((call) => call.length)).toEqual([5, 2, 1]);
    expect(sleeps).toEqual([75, 150]);
  });

  test('entries still rejected after the retries are reported failed, so the stream delivers them again', async () => {
    bus.rejections.set('e2', ['ThrottlingException', 'ThrottlingException', 'ThrottlingException']);
    const report = await publishStoredEvents(records(4), deps());
    expect(report).toMatchObject({ published: 3, failed: ['seq-002'], deadLettered: [] });
    expect(deadLetters.letters).toEqual([]);
  });

  test('a call that fails as a whole is retried; if it keeps failing, all its records are failed', async () => {
    bus.failCalls = 1;
    expect(await publishStoredEvents(records(3), deps())).toMatchObject({
      published: 3,
      failed: [],
      putCalls: 2,
    });

    bus = new MemoryBus();
    bus.failCalls = 10;
    const report = await publishStoredEvents(records(12), deps());
    expect(report.published).toBe(0);
    expect(report.failed).toHaveLength(12);
  });

  test('an entry the bus can never take goes to the dead-letter queue by key; the rest are published', async () => {
    bus.rejections.set('e1', ['MalformedDetail']);
    const report = await publishStoredEvents(records(3), deps());
    expect(report).toMatchObject({ published: 2, failed: [] });
    expect(deadLetters.letters).toEqual([
      {
        reason: 'rejected-by-bus',
        sequenceNumber: 'seq-001',
        tenantId: 'acme',
        eventId: 'e1',
        errorCode: 'MalformedDetail',
      },
    ]);
    expect(report.deadLettered).toEqual(deadLetters.letters);
  });

  test('a call refused as a whole is split until the entry it refuses stands alone; the others publish', async () => {
    bus.refusingCalls.add('e5');
    const report = await publishStoredEvents(records(8), deps());
    expect(report).toMatchObject({ published: 7, failed: [] });
    expect(bus.acceptedIds().sort()).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e6', 'e7']);
    expect(deadLetters.letters).toEqual([
      {
        reason: 'rejected-by-bus',
        sequenceNumber: 'seq-005',
        tenantId: 'acme',
        eventId: 'e5',
        errorCode: 'ValidationException',
      },
    ]);
    // 8 → 4 + 4 → 2 + 2 → 1 + 1: never the same refused call twice.
    expect(bus.calls.map((call) => call.length)).toEqual([8, 4, 4, 2, 2, 1, 1]);
  });

  test('an unreadable or oversized record is dead-lettered without a call to the bus', async () => {
    const oversized = event('huge', { blob: 'x'.repeat(MAX_REQUEST_BYTES) });
    expect(entryBytes(oversized.envelope)).toBeGreaterThan(MAX_REQUEST_BYTES);
    const report = await publishStoredEvents(
      [
        { id: 'seq-1', event: undefined },
        { id: 'seq-2', event: oversized },
      ],
      deps(),
    );
    expect(bus.calls).toEqual([]);
    expect(report).toMatchObject({ published: 0, failed: [], putCalls: 0 });
    expect(deadLetters.letters).toEqual([
      { reason: 'unreadable-record', sequenceNumber: 'seq-1' },
      { reason: 'too-large', sequenceNumber: 'seq-2', tenantId: 'acme', eventId: 'huge' },
    ]);
  });

  test('if the dead-letter queue cannot take them, those records are failed rather than lost', async () => {
    deadLetters.fail = true;
    bus.rejections.set('e0', ['InvalidArgument']);
    const report = await publishStoredEvents([...records(2), { id: 'seq-x', event: undefined }], deps());
    expect(report).toMatchObject({ published: 1, failed: ['seq-000', 'seq-x'], deadLettered: [] });
  });

  test('idempotent under stream retries: the same records give the very same entries again', async () => {
    const batch = records(12);
    await publishStoredEvents(batch, deps());
    const first = bus.accepted.splice(0);
    await publishStoredEvents(batch, deps());
    expect(bus.accepted).toEqual(first);
    expect(deadLetters.letters).toEqual([]);
  });

  test('an empty batch makes no call', async () => {
    expect(await publishStoredEvents([], deps())).toEqual({
      published: 0,
      failed: [],
      deadLettered: [],
      putCalls: 0,
    });
    expect(bus.calls).toEqual([]);
  });
});
