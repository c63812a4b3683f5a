// Republishing the publish and bus dead-letter queues: what each message names, read back from the
// events table and put on the bus as publish puts it; what cannot be republished stays, with why.
import { describe, expect, test } from '@jest/globals';
import type { DeadLetter } from '@herald/shared/dead-letters/ports';
import { eventKey, toStoredEvent, type EventKey, type StoredEvent } from '../src/events-table';
import type { BusEntry, EventBus, PutResult } from '../src/publish-events';
import { namedEvent, republisher } from '../src/republish';
import { signedEnvelope } from './support/envelopes';

const letter = (body: unknown): DeadLetter => ({
  messageId: `m-${Math.random()}`,
  receipt: 'r',
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: {},
});

function storedEvents(...events: StoredEvent[]) {
  const byKey = new Map(events.map((e) => [`${e.pk}|${e.sk}`, e]));
  return { get: async (key: EventKey) => byKey.get(`${key.pk}|${key.sk}`) };
}

class RecordingBus implements EventBus {
  readonly calls: BusEntry[][] = [];
  constructor(private readonly answer: (entry: BusEntry) => PutResult = () => ({ ok: true })) {}
  async put(entries: readonly BusEntry[]): Promise<PutResult[]> {
    this.calls.push([...entries]);
    return entries.map(this.answer);
  }
}

function stored(id: string, tenant = 'acme'): StoredEvent {
  const envelope = signedEnvelope({ id, tenantid: tenant });
  const at = new Date('2026-11-28T10:00:00.000Z');
  return toStoredEvent(envelope, JSON.stringify(envelope), at, at, 30);
}

describe('namedEvent', () => {
  test('a publish dead letter names its event by tenant and id; a bus dead letter by its detail', () => {
    expect(
      namedEvent(letter({ reason: 'rejected-by-bus', tenantId: 'acme', eventId: 'e1', sequenceNumber: '1' })),
    ).toEqual({ tenantId: 'acme', eventId: 'e1' });
    expect(
      namedEvent(
        letter({
          'detail-type': 'event.stored',
          source: 'herald.processing',
          detail: { tenantid: 'acme', id: 'e2' },
        }),
      ),
    ).toEqual({ tenantId: 'acme', eventId: 'e2' });
  });

  test('what names no publishable event says why', () => {
    expect(namedEvent(letter({ reason: 'too-large', tenantId: 'acme', eventId: 'e1' }))).toEqual({
      kept: 'too large for the bus: it can never be published',
    });
    expect(namedEvent(letter({ reason: 'unreadable-record', pk: 'TENANT#a', sk: 'EVENT#b' }))).toMatchObject({
      kept: expect.stringContaining('could not be read'),
    });
    expect(
      namedEvent(
        letter({
          requestContext: { condition: 'RecordAgeExceeded' },
          DDBStreamBatchInfo: { shardId: 'shard-1', startSequenceNumber: '10', endSequenceNumber: '20' },
        }),
      ),
    ).toMatchObject({ kept: expect.stringContaining('shard shard-1, sequence numbers 10 to 20') });
    expect(namedEvent(letter({ 'detail-type': 'event.stored', detail: 'nope' }))).toMatchObject({
      kept: expect.stringContaining('not a stored envelope'),
    });
    expect(namedEvent(letter('not json'))).toMatchObject({ kept: expect.stringContaining('not JSON') });
    expect(namedEvent(letter({ something: 'else' }))).toEqual({ kept: 'names no stored event' });
  });
});

describe('republisher', () => {
  test('puts the stored envelope on the bus exactly as publish does, not the dead letter’s copy', async () => {
    const event = stored('e1');
    const bus = new RecordingBus();
    const forged = { ...JSON.parse(event.envelope), data: { forged: true } };
    const outcomes = await republisher({ events: storedEvents(event), bus }).resend([
      letter({ reason: 'rejected-by-bus', tenantId: 'acme', eventId: 'e1', sequenceNumber: '1' }),
      letter({
        'detail-type': 'event.stored',
        source: 'herald.processing',
        detail: { ...forged, tenantid: 'acme', id: 'e1' },
      }),
    ]);
    expect(outcomes).toEqual([{ resent: true }, { resent: true }]);
    expect(bus.calls.flat()).toEqual([
      {
        Source: 'herald.processing',
        DetailType: 'event.stored',
        Detail: event.envelope,
        Time: new Date(event.storedAt),
      },
      {
        Source: 'herald.processing',
        DetailType: 'event.stored',
        Detail: event.envelope,
        Time: new Date(event.storedAt),
      },
    ]);
  });

  test('an event no longer stored, or refused by the bus, stays with the reason', async () => {
    const bus = new RecordingBus((entry) =>
      entry.Detail.includes('"e2"') ? { ok: false, code: 'InvalidArgument' } : { ok: true },
    );
    const outcomes = await republisher({ events: storedEvents(stored('e1'), stored('e2')), bus }).resend([
      letter({ tenantId: 'acme', eventId: 'gone' }),
      letter({ tenantId: 'acme', eventId: 'e2' }),
      letter({ tenantId: 'acme', eventId: 'e1' }),
      letter({ tenantId: 'globex', eventId: 'e1' }),
    ]);
    expect(outcomes).toEqual([
      { resent: false, reason: 'not in the events table (expired?)' },
      { resent: false, reason: 'the bus refused it: InvalidArgument' },
      { resent: true },
      { resent: false, reason: 'not in the events table (expired?)' },
    ]);
    expect(eventKey('acme', 'e1')).toEqual({ pk: 'TENANT#acme', sk: 'EVENT#e1' });
  });

  test('a failing bus call fails the whole resend, so nothing is deleted', async () => {
    const bus: EventBus = {
      put: async () => {
        throw new Error('throttled');
      },
    };
    await expect(
      republisher({ events: storedEvents(stored('e1')), bus }).resend([
        letter({ tenantId: 'acme', eventId: 'e1' }),
      ]),
    ).rejects.toThrow('throttled');
  });
});
