import { beforeEach, describe, expect, test } from '@jest/globals';
import { encodeCursor, InvalidCursor } from '@herald/shared/cursor';
import { toStoredEvent } from '../src/events-table';
import {
  decodeListCursor,
  encodeListCursor,
  getEvent,
  InvalidQuery,
  listEvents,
  toSortableTime,
  type ListQuery,
} from '../src/read-events';
import { signedEnvelope } from './support/envelopes';
import { MemoryEventsTable } from './support/memory-events-table';

const NOW = new Date('2026-11-28T12:00:00.000Z');
let table: MemoryEventsTable;

/** Stores an event received `minute` minutes after 10:00. */
function seed(tenant: string, id: string, minute: number, type = 'order.created', retentionDays = 30) {
  const envelope = signedEnvelope({ tenantid: tenant, id, type, data: { id }, subject: `sub-${id}` });
  const received = new Date(Date.parse('2026-11-28T10:00:00.000Z') + minute * 60_000);
  const item = toStoredEvent(envelope, JSON.stringify(envelope), received, received, retentionDays);
  table.items.set(`${item.pk}|${item.sk}`, item);
  return envelope;
}
const at = (minute: number) =>
  new Date(Date.parse('2026-11-28T10:00:00.000Z') + minute * 60_000).toISOString();
const list = (tenant: string, query: ListQuery = {}) => listEvents(tenant, query, table, NOW);
const ids = (page: { items: Array<{ id: string }> }) => page.items.map((item) => item.id);

async function all(tenant: string, query: ListQuery): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await list(tenant, { ...query, ...(cursor ? { cursor } : {}) });
    pages.push(ids(page));
    cursor = page.nextCursor;
  } while (cursor && pages.length < 50);
  return pages;
}

beforeEach(() => {
  table = new MemoryEventsTable();
});

describe('getEvent', () => {
  test('returns the caller’s event as the API shows it', async () => {
    const envelope = seed('acme', 'e1', 1);
    expect(await getEvent('acme', 'e1', table, NOW)).toEqual({
      id: 'e1',
      type: 'order.created',
      source: envelope.source,
      subject: 'sub-e1',
      time: envelope.time,
      datacontenttype: 'application/json',
      data: { id: 'e1' },
      correlationId: 'corr-1',
      receivedAt: at(1),
      storedAt: at(1),
    });
  });

  test('another tenant’s event is not found, exactly like one that does not exist', async () => {
    seed('acme', 'e1', 1);
    expect(await getEvent('globex', 'e1', table, NOW)).toBeUndefined();
    expect(await getEvent('globex', 'nope', table, NOW)).toBeUndefined();
    // The key asked for is the caller's own: the other tenant's item is never even read.
    expect(table.gets.map((key) => key.pk)).toEqual(['TENANT#globex', 'TENANT#globex']);
  });

  test('an event past its retention is gone even before DynamoDB’s TTL deletes it', async () => {
    seed('acme', 'old', -60 * 24 * 2, 'order.created', 1);
    expect(await getEvent('acme', 'old', table, NOW)).toBeUndefined();
  });
});

describe('listEvents', () => {
  beforeEach(() => {
    seed('acme', 'a1', 1);
    seed('acme', 'a2', 2, 'order.shipped');
    seed('acme', 'a3', 3);
    seed('acme', 'a4', 4, 'order.shipped');
    seed('acme', 'a5', 5);
    seed('globex', 'g1', 3);
  });

  test('the caller’s events only, newest first', async () => {
    expect(ids(await list('acme'))).toEqual(['a5', 'a4', 'a3', 'a2', 'a1']);
    expect(ids(await list('globex'))).toEqual(['g1']);
    expect(ids(await list('initech'))).toEqual([]);
    expect(table.queries.map((query) => query.partition)).toEqual([
      'TENANT#acme',
      'TENANT#globex',
      'TENANT#initech',
    ]);
  });

  test('pages through with an opaque cursor, each event once', async () => {
    expect(await all('acme', { limit: 2 })).toEqual([['a5', 'a4'], ['a3', 'a2'], ['a1']]);
    const first = await list('acme', { limit: 2 });
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  test('by type, through its own index', async () => {
    expect(await all('acme', { type: 'order.shipped', limit: 1 })).toEqual([['a4'], ['a2'], []]);
    expect(table.queries[0]).toMatchObject({
      index: { name: 'byType' },
      partition: 'TENANT#acme#TYPE#order.shipped',
    });
    expect(ids(await list('acme', { type: 'order.refunded' }))).toEqual([]);
  });

  test('since is inclusive, until exclusive, on the received time', async () => {
    expect(ids(await list('acme', { since: at(2), until: at(4) }))).toEqual(['a3', 'a2']);
    expect(ids(await list('acme', { since: at(4) }))).toEqual(['a5', 'a4']);
    expect(ids(await list('acme', { until: at(2) }))).toEqual(['a1']);
    expect(ids(await list('acme', { type: 'order.created', since: at(1), until: at(5) }))).toEqual([
      'a3',
      'a1',
    ]);
  });

  test('times with an offset or more digits name the same instants', async () => {
    expect(
      ids(await list('acme', { since: '2026-11-28T12:02:00+02:00', until: '2026-11-28t10:04:00.000000z' })),
    ).toEqual(['a3', 'a2']);
  });

  test('pages through a time range without leaving it', async () => {
    expect(await all('acme', { since: at(2), until: at(5), limit: 2 })).toEqual([['a4', 'a3'], ['a2']]);
  });

  test('expired events are left out of listings', async () => {
    seed('acme', 'old', -60 * 24 * 2, 'order.created', 1);
    expect(ids(await list('acme'))).not.toContain('old');
    expect(table.queries[0]?.liveAfter).toBe(NOW.getTime() / 1000);
  });

  test('the limit defaults to 25 and is bounded to 1..100', async () => {
    await list('acme');
    await list('acme', { limit: 1000 });
    await list('acme', { limit: 0 });
    expect(table.queries.map((query) => query.limit)).toEqual([25, 100, 1]);
  });

  test.each<[string, ListQuery, string]>([
    ['since after until', { since: at(4), until: at(2) }, '/queryStringParameters/until'],
    ['since equal to until', { since: at(4), until: at(4) }, '/queryStringParameters/until'],
    ['a day that does not exist', { since: '2026-02-30T00:00:00Z' }, '/queryStringParameters/since'],
  ])('%s: InvalidQuery naming the parameter, no query made', async (_name, query, pointer) => {
    const attempt = list('acme', query);
    await expect(attempt).rejects.toBeInstanceOf(InvalidQuery);
    await expect(attempt).rejects.toMatchObject({ violations: [expect.objectContaining({ pointer })] });
    expect(table.queries).toEqual([]);
  });
});

describe('cursors', () => {
  const key = '2026-11-28T10:03:00.000Z#a3';

  test('round-trip for the query they were issued for', () => {
    const query = { type: 'order.created', since: at(1) };
    expect(decodeListCursor(encodeListCursor(key, query), query)).toBe(key);
  });

  test.each<[string, () => string, object]>([
    ['not base64url JSON', () => 'bm90IGpzb24', {}],
    ['from another query', () => encodeListCursor(key, { type: 'order.shipped' }), { type: 'order.created' }],
    ['from a query without filters, used with one', () => encodeListCursor(key, {}), { since: at(1) }],
    ['with a position that is no sort key', () => encodeListCursor('TENANT#globex', {}), {}],
    ['outside the query’s range', () => encodeListCursor(key, { since: at(4) }), { since: at(4) }],
    ['without the query it was issued for', () => encodeCursor([key]), {}],
    ['with parts of its own', () => `${encodeListCursor(key, {})}x`, {}],
  ])('refuse a cursor %s', (_name, make, query) => {
    expect(() => decodeListCursor(make(), query)).toThrow(InvalidCursor);
  });

  test('a cursor carries no tenant: another tenant’s cursor only moves within the caller’s own events', async () => {
    seed('acme', 'a1', 1);
    seed('acme', 'a2', 2);
    seed('globex', 'g1', 1);
    seed('globex', 'g2', 2);
    const acmeCursor = (await list('acme', { limit: 1 })).nextCursor!;
    const page = await list('globex', { cursor: acmeCursor });
    expect(ids(page)).toEqual(['g1']);
    expect(table.queries.at(-1)?.startKey).toMatchObject({ pk: 'TENANT#globex', gsi1pk: 'TENANT#globex' });
  });
});

describe('toSortableTime', () => {
  test.each([
    ['2026-11-28T10:00:00Z', '2026-11-28T10:00:00.000Z'],
    ['2026-11-28T10:00:00.5Z', '2026-11-28T10:00:00.500Z'],
    ['2026-11-28T10:00:00.123000Z', '2026-11-28T10:00:00.123Z'],
    ['2026-11-28T10:00:00.1231Z', '2026-11-28T10:00:00.124Z'],
    ['2026-11-28T10:00:00.999999999Z', '2026-11-28T10:00:01.000Z'],
    ['2026-11-28T11:00:00+01:00', '2026-11-28T10:00:00.000Z'],
    ['2026-11-28t10:00:00z', '2026-11-28T10:00:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(toSortableTime(input)).toBe(expected);
  });

  test.each([
    '2026-13-01T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-11-28T24:00:00Z',
    '2026-12-31T23:59:60Z',
    '2026-11-28T10:00:00+24:00',
    '2026-11-28T10:00:00',
    'yesterday',
  ])('%s names no instant', (input) => {
    expect(toSortableTime(input)).toBeUndefined();
  });

  test('a leap day does', () => {
    expect(toSortableTime('2028-02-29T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });
});
