// A subject's sequence number, from the consumer's store to the bus detail: taken once per stored
// event (a redelivered message takes none), carried on the stream's image, published beside the
// envelope as its last member, with the envelope's signed bytes untouched.
import { describe, expect, test } from '@jest/globals';
import { BusSource } from '@herald/shared/contracts';
import type { DynamoDBRecord } from 'aws-lambda';
import { consumeEnvelope, type ConsumeDeps } from '../src/consume-envelope';
import { toStoredEvent } from '../src/events-table';
import { publishBatch, toStreamRecord } from '../src/publish-batch';
import { eventStoredDetail, publishStoredEvents } from '../src/publish-events';
import { signedEnvelope, verifier } from './support/envelopes';
import { MemoryBus, MemoryDeadLetters } from './support/memory-bus';
import { MemoryEventsTable } from './support/memory-events-table';
import { insertRecord } from './support/stream-records';

const NOW = new Date();

function consumeDeps(store: MemoryEventsTable): ConsumeDeps {
  return { verifier, store, now: () => NOW, retentionDays: 7, numberSubjects: true };
}

const message = (fields: { id: string; subject?: string }) => ({
  body: JSON.stringify(signedEnvelope(fields)),
  receivedAt: NOW,
});

describe("a subject's sequence number", () => {
  test('each stored event of a subject takes the next; a redelivered message takes none', async () => {
    const store = new MemoryEventsTable();
    const deps = consumeDeps(store);
    const outcomes = [];
    for (const m of [
      message({ id: 'e1', subject: 'order-1' }),
      message({ id: 'e2', subject: 'order-1' }),
      message({ id: 'e1', subject: 'order-1' }),
      message({ id: 'e3', subject: 'order-2' }),
      message({ id: 'e4' }),
      message({ id: 'e5', subject: 'order-1' }),
    ])
      outcomes.push(await consumeEnvelope(m, deps));
    const previousOf = (id: string) => store.items.get(`TENANT#acme|EVENT#${id}`)?.subjectPreviousStoredAt;
    expect([previousOf('e1'), previousOf('e2')]).toEqual([undefined, NOW.toISOString()]);
    expect(outcomes.map((o) => [o.eventId, o.outcome, o.subjectSequence])).toEqual([
      ['e1', 'stored', 1],
      ['e2', 'stored', 2],
      ['e1', 'duplicate', undefined],
      ['e3', 'stored', 1],
      ['e4', 'stored', undefined],
      ['e5', 'stored', 3],
    ]);
  });

  test('a stage that does not publish the numbers takes none: one write an event, as before', async () => {
    const store = new MemoryEventsTable();
    const outcome = await consumeEnvelope(message({ id: 'e1', subject: 'order-1' }), {
      ...consumeDeps(store),
      numberSubjects: false,
    });
    expect(outcome).toEqual({ outcome: 'stored', tenantId: 'acme', eventId: 'e1' });
    expect(store.sequences.size).toBe(0);
  });

  test('is published beside the envelope as the last member, the envelope text kept byte for byte', async () => {
    const envelope = signedEnvelope({ id: 'e1', subject: 'order-1', data: { big: 1 } });
    const text = JSON.stringify(envelope).replace('{"big":1}', '{"big":12345678901234567890}');
    const previousTime = '2026-11-28T10:00:00.123Z';
    const detail = eventStoredDetail(text, { number: 7, previousTime });
    expect(detail).toBe(`${text.slice(0, -1)},"sequence":7,"previoustime":"${previousTime}"}`);
    expect(eventStoredDetail(text, { number: 1 })).toBe(`${text.slice(0, -1)},"sequence":1}`);
    expect(eventStoredDetail(text, undefined)).toBe(text);

    const stored = {
      ...toStoredEvent(envelope, JSON.stringify(envelope), NOW, NOW, 7),
      subjectSequence: 7,
      subjectPreviousStoredAt: previousTime,
    };
    const record = toStreamRecord(insertRecord(stored, '001'));
    expect(record.event).toMatchObject({ subjectSequence: 7, subjectPreviousStoredAt: previousTime });
    const bus = new MemoryBus();
    const deps = { bus, deadLetters: new MemoryDeadLetters(), sleep: async () => {} };
    await publishStoredEvents([record], { ...deps, subjectSequence: true });
    const [entry] = bus.accepted;
    expect(entry?.Source).toBe(BusSource.processing);
    expect(JSON.parse(entry!.Detail)).toEqual({ ...envelope, sequence: 7, previoustime: previousTime });
    // Until every notifications of the stage reads it, the detail is the envelope alone.
    await publishStoredEvents([record], deps);
    expect(bus.accepted[1]?.Detail).toBe(JSON.stringify(envelope));
  });

  test("a subject's counter inserted in the stream is not published, nor dead-lettered", async () => {
    const bus = new MemoryBus();
    const deadLetters = new MemoryDeadLetters();
    const counter: DynamoDBRecord = {
      eventName: 'INSERT',
      dynamodb: {
        Keys: { pk: { S: 'TENANT#acme' }, sk: { S: 'SUBJECTSEQ#order-1' } },
        NewImage: { pk: { S: 'TENANT#acme' }, sk: { S: 'SUBJECTSEQ#order-1' }, last: { N: '1' } },
        SequenceNumber: '002',
      },
    };
    const handle = publishBatch(() => ({ bus, deadLetters, sleep: async () => {} }), {
      addMetric: () => {},
    } as never);
    const result = await handle([counter], { log: { error: () => {} } } as never);
    expect(result.failed).toEqual([]);
    expect(bus.accepted).toEqual([]);
    expect(deadLetters.letters).toEqual([]);
  });
});
