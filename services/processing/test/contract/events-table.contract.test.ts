// The promises of the events table's two ports, EventStore (the dedupe) and EventReader (the read
// API's get and index queries), kept by the in-memory stand-in and by the DynamoDB adapters alike.
import { describe, expect, test } from '@jest/globals';
import { contractAws, describePort, tableFromTemplate } from '../../../../test/setup/contract';
import { DynamoEventReader } from '../../src/adapters/dynamo-event-reader';
import { DynamoEventStore } from '../../src/adapters/dynamo-event-store';
import type { EventStore } from '../../src/consume-envelope';
import {
  eventKey,
  EventIndex,
  indexStartKey,
  tenantPartition,
  toStoredEvent,
  typePartition,
  type EventIndexName,
  type StoredEvent,
} from '../../src/events-table';
import type { EventReader, IndexQuery } from '../../src/read-events';
import { signedEnvelope } from '../support/envelopes';
import { MemoryEventsTable } from '../support/memory-events-table';

interface EventsTable {
  store: EventStore;
  reader: EventReader;
}

// A day ahead of the real clock, by which DynamoDB Local deletes items whose TTL has passed: an event
// here is expired only for the `liveAfter` a query passes.
const STORED_AT = new Date(Math.ceil(Date.now() / 1000) * 1000 + 86_400_000);
const LIVE_AFTER = Math.floor(STORED_AT.getTime() / 1000);
/** Received `n` seconds after 10:00. */
const receivedAt = (n: number) => new Date(Date.UTC(2026, 10, 30, 10, 0, n));
const time = (n: number) => receivedAt(n).toISOString();

function event(
  id: string,
  second: number,
  fields: { tenant?: string; type?: string; expiresAt?: number; data?: string } = {},
): StoredEvent {
  const envelope = signedEnvelope({
    id,
    tenantid: fields.tenant ?? 'acme',
    type: fields.type ?? 'order.created',
    data: fields.data ?? id,
  });
  const stored = toStoredEvent(envelope, JSON.stringify(envelope), receivedAt(second), STORED_AT, 7);
  return fields.expiresAt === undefined ? stored : { ...stored, expiresAt: fields.expiresAt };
}

const byTime = (query: Partial<IndexQuery> = {}): IndexQuery => ({
  index: EventIndex.byTime,
  partition: tenantPartition('acme'),
  limit: 100,
  liveAfter: LIVE_AFTER,
  ...query,
});
const ids = (items: readonly StoredEvent[]) => items.map((item) => item.eventId);
/** The start key the read API makes from the last sort key of a page. */
const after = (index: EventIndexName, partition: string, lastKey: Record<string, unknown> | undefined) =>
  indexStartKey('acme', index, partition, String(lastKey?.[EventIndex[index].sortKey]));

async function putAll(table: EventsTable, events: StoredEvent[]): Promise<void> {
  for (const e of events) expect(await table.store.putIfAbsent(e)).toBe('stored');
}

describePort<EventsTable>(
  'EventStore and EventReader',
  [
    {
      name: 'in memory',
      make: () => {
        const table = new MemoryEventsTable();
        return { store: table, reader: table };
      },
    },
    {
      name: 'DynamoDB',
      make: async () => {
        const { dynamodb } = contractAws();
        const name = await tableFromTemplate('processing', 'EventsTable');
        return { store: new DynamoEventStore(dynamodb, name), reader: new DynamoEventReader(dynamodb, name) };
      },
    },
  ],
  (make) => {
    describe('putIfAbsent', () => {
      test('stores a new event, which get gives back whole', async () => {
        const table = await make();
        const e = event('e1', 1);
        expect(await table.store.putIfAbsent(e)).toBe('stored');
        expect(await table.reader.get(eventKey('acme', 'e1'))).toEqual(e);
      });

      test('the same event id of the same tenant again is a duplicate, and the first is kept', async () => {
        const table = await make();
        const first = event('e1', 1);
        await table.store.putIfAbsent(first);
        expect(await table.store.putIfAbsent(event('e1', 9, { data: 'other', type: 'order.paid' }))).toBe(
          'duplicate',
        );
        expect(await table.reader.get(eventKey('acme', 'e1'))).toEqual(first);
        expect(ids((await table.reader.query(byTime())).items)).toEqual(['e1']);
      });

      test('the same event id in another tenant is another event', async () => {
        const table = await make();
        await table.store.putIfAbsent(event('e1', 1));
        expect(await table.store.putIfAbsent(event('e1', 2, { tenant: 'globex' }))).toBe('stored');
        expect((await table.reader.get(eventKey('globex', 'e1')))?.tenantId).toBe('globex');
        expect((await table.reader.get(eventKey('acme', 'e1')))?.tenantId).toBe('acme');
      });

      test('of two puts of one event racing, exactly one stores it', async () => {
        const table = await make();
        const outcomes = await Promise.all([
          table.store.putIfAbsent(event('e1', 1)),
          table.store.putIfAbsent(event('e1', 2)),
        ]);
        expect(outcomes.sort()).toEqual(['duplicate', 'stored']);
      });
    });

    describe('putIfAbsent with a subject', () => {
      const numbers = async (table: EventsTable, tenant: string, eventIds: string[]) =>
        Promise.all(
          eventIds.map(async (id) => (await table.reader.get(eventKey(tenant, id)))?.subjectSequence),
        );

      test("each event of a subject takes the subject's next number; another subject counts on its own", async () => {
        const table = await make();
        for (const [id, subject] of [
          ['e1', 'order-1'],
          ['e2', 'order-2'],
          ['e3', 'order-1'],
          ['e4', 'order-1'],
        ] as const) {
          const e = event(id, 1);
          expect(await table.store.putIfAbsent(e, subject)).toBe('stored');
        }
        expect(await numbers(table, 'acme', ['e1', 'e2', 'e3', 'e4'])).toEqual([1, 1, 2, 3]);
      });

      test('a duplicate takes no number, and the next event gets the one after the first', async () => {
        const table = await make();
        const first = event('e1', 1);
        expect(await table.store.putIfAbsent(first, 'order-1')).toBe('stored');
        expect(first.subjectSequence).toBe(1);
        const copy = event('e1', 2);
        expect(await table.store.putIfAbsent(copy, 'order-1')).toBe('duplicate');
        expect(copy.subjectSequence).toBeUndefined();
        expect(await table.store.putIfAbsent(event('e2', 3), 'order-1')).toBe('stored');
        expect(await numbers(table, 'acme', ['e1', 'e2'])).toEqual([1, 2]);
        // Each event after the first knows when the one before it was stored.
        const second = await table.reader.get(eventKey('acme', 'e2'));
        expect(second?.subjectPreviousStoredAt).toBe(first.storedAt);
        expect((await table.reader.get(eventKey('acme', 'e1')))?.subjectPreviousStoredAt).toBeUndefined();
      });

      test('the same subject in another tenant is another subject, and events without one take none', async () => {
        const table = await make();
        await table.store.putIfAbsent(event('e1', 1), 'order-1');
        await table.store.putIfAbsent(event('g1', 1, { tenant: 'globex' }), 'order-1');
        await table.store.putIfAbsent(event('e2', 2));
        expect(await numbers(table, 'globex', ['g1'])).toEqual([1]);
        expect(await numbers(table, 'acme', ['e1', 'e2'])).toEqual([1, undefined]);
        // The counter is no event: the tenant's events by time are still the two.
        expect(ids((await table.reader.query(byTime())).items).sort()).toEqual(['e1', 'e2']);
      });

      test('events of one subject stored at once take distinct numbers, one each', async () => {
        const table = await make();
        const events = Array.from({ length: 6 }, (_, n) => event(`e${n}`, n));
        const outcomes = await Promise.all(events.map((e) => table.store.putIfAbsent(e, 'order-1')));
        expect(outcomes).toEqual(events.map(() => 'stored'));
        const taken = await numbers(
          table,
          'acme',
          events.map((e) => e.eventId),
        );
        expect([...taken].sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6]);
      });
    });

    describe('get', () => {
      test('an unknown event, or another tenant’s, is not found', async () => {
        const table = await make();
        await table.store.putIfAbsent(event('e1', 1));
        expect(await table.reader.get(eventKey('acme', 'e2'))).toBeUndefined();
        expect(await table.reader.get(eventKey('globex', 'e1'))).toBeUndefined();
      });
    });

    describe('query', () => {
      test('byTime gives the partition’s events newest first, and no other tenant’s', async () => {
        const table = await make();
        await putAll(table, [
          event('e1', 1),
          event('e3', 3),
          event('e2', 2),
          event('g1', 4, { tenant: 'globex' }),
        ]);
        const page = await table.reader.query(byTime());
        expect(ids(page.items)).toEqual(['e3', 'e2', 'e1']);
        expect(page.items[0]).toEqual(event('e3', 3));
        expect(page.lastKey).toBeUndefined();
      });

      test('byType gives one type’s events of the tenant only', async () => {
        const table = await make();
        await putAll(table, [
          event('e1', 1, { type: 'order.paid' }),
          event('e2', 2),
          event('e3', 3, { type: 'order.paid' }),
          event('g1', 4, { tenant: 'globex', type: 'order.paid' }),
        ]);
        const page = await table.reader.query(
          byTime({ index: EventIndex.byType, partition: typePartition('acme', 'order.paid') }),
        );
        expect(ids(page.items)).toEqual(['e3', 'e1']);
      });

      test('`from` is inclusive and `to` exclusive, alone or together', async () => {
        const table = await make();
        await putAll(table, [event('e1', 1), event('e2', 2), event('e3', 3), event('e4', 4)]);
        const query = async (bounds: Partial<IndexQuery>) =>
          ids((await table.reader.query(byTime(bounds))).items);
        expect(await query({ from: time(2) })).toEqual(['e4', 'e3', 'e2']);
        expect(await query({ to: time(3) })).toEqual(['e2', 'e1']);
        expect(await query({ from: time(2), to: time(4) })).toEqual(['e3', 'e2']);
      });

      test('a page holds at most `limit` events and a key to resume after, until the last', async () => {
        const table = await make();
        await putAll(
          table,
          [1, 2, 3, 4, 5].map((n) => event(`e${n}`, n)),
        );
        const first = await table.reader.query(byTime({ limit: 2 }));
        expect(ids(first.items)).toEqual(['e5', 'e4']);
        expect(first.lastKey?.[EventIndex.byTime.sortKey]).toBe(event('e4', 4).gsi1sk);
        const partition = tenantPartition('acme');
        const second = await table.reader.query(
          byTime({ limit: 2, startKey: after('byTime', partition, first.lastKey) }),
        );
        expect(ids(second.items)).toEqual(['e3', 'e2']);
        const third = await table.reader.query(
          byTime({ limit: 2, startKey: after('byTime', partition, second.lastKey) }),
        );
        expect(ids(third.items)).toEqual(['e1']);
        expect(third.lastKey).toBeUndefined();
      });

      test('a page that ends exactly at the last event still has a key, and the next page is empty', async () => {
        const table = await make();
        await putAll(table, [event('e1', 1), event('e2', 2)]);
        const first = await table.reader.query(byTime({ limit: 2 }));
        expect(ids(first.items)).toEqual(['e2', 'e1']);
        expect(first.lastKey).toBeDefined();
        const next = await table.reader.query(
          byTime({ limit: 2, startKey: after('byTime', tenantPartition('acme'), first.lastKey) }),
        );
        expect(next).toEqual({ items: [] });
      });

      test('resuming stays within the partition and the bounds queried', async () => {
        const table = await make();
        await putAll(table, [
          event('e1', 1, { type: 'order.paid' }),
          event('e2', 2),
          event('e3', 3, { type: 'order.paid' }),
          event('e4', 4, { type: 'order.paid' }),
          event('e5', 5, { type: 'order.paid' }),
          event('g1', 2, { tenant: 'globex', type: 'order.paid' }),
        ]);
        const partition = typePartition('acme', 'order.paid');
        const query = byTime({ index: EventIndex.byType, partition, limit: 1, from: time(2), to: time(5) });
        const first = await table.reader.query(query);
        expect(ids(first.items)).toEqual(['e4']);
        const rest = await table.reader.query({
          ...query,
          limit: 10,
          startKey: after('byType', partition, first.lastKey),
        });
        expect(ids(rest.items)).toEqual(['e3']);
      });

      test('a start key from another partition, or outside the bounds, is refused', async () => {
        const table = await make();
        await putAll(table, [event('e1', 1), event('e2', 2), event('g1', 1, { tenant: 'globex' })]);
        const acme = tenantPartition('acme');
        const globexKey = indexStartKey('globex', 'byTime', tenantPartition('globex'), event('g1', 1).gsi1sk);
        await expect(table.reader.query(byTime({ startKey: globexKey }))).rejects.toThrow();
        const e1Key = indexStartKey('acme', 'byTime', acme, event('e1', 1).gsi1sk);
        await expect(table.reader.query(byTime({ from: time(2), startKey: e1Key }))).rejects.toThrow();
        const e2Key = indexStartKey('acme', 'byTime', acme, event('e2', 2).gsi1sk);
        await expect(table.reader.query(byTime({ to: time(2), startKey: e2Key }))).rejects.toThrow();
      });

      test('expired events are left out, yet count toward the limit (Limit comes before the filter)', async () => {
        const table = await make();
        await putAll(table, [
          event('e1', 1),
          event('e2', 2, { expiresAt: LIVE_AFTER + 1 }),
          event('e3', 3, { expiresAt: LIVE_AFTER }),
          event('e4', 4, { expiresAt: LIVE_AFTER - 1 }),
        ]);
        const first = await table.reader.query(byTime({ limit: 2 }));
        expect(ids(first.items)).toEqual([]);
        expect(first.lastKey).toBeDefined();
        const rest = await table.reader.query(
          byTime({ limit: 2, startKey: after('byTime', tenantPartition('acme'), first.lastKey) }),
        );
        expect(ids(rest.items)).toEqual(['e2', 'e1']);
      });
    });
  },
);
