/**
 * Content filters: the bounds a filter is held to when written, every operator through the matcher
 * dispatch and replay use, what of the envelope a filter sees, and the compiled-filter cache.
 */
import { describe, expect, test } from '@jest/globals';
import type { Envelope } from '@herald/shared/contracts';
import {
  contentFilterProblems,
  filterText,
  MATCHER_CACHE_SIZE,
  matcherCache,
  matcherOf,
  matchesSubscription,
  MAX_FILTER_BYTES,
  MAX_MATCH_STEPS,
  subscriptionsMatching,
} from '../../src/fan-out/content-filter';

const envelope = (fields: Partial<Envelope> = {}): Envelope =>
  ({
    specversion: '1.0',
    id: 'evt-1',
    source: '/shop/eu',
    type: 'order.created',
    subject: 'orders/42',
    time: '2026-11-28T10:00:00.000Z',
    datacontenttype: 'application/json',
    data: {
      total: 250,
      currency: 'EUR',
      customer: { email: 'Ann@Example.com', tier: 'gold' },
      items: [{ sku: 'a-1' }, { sku: 'b-2' }],
    },
    tenantid: 'acme',
    correlationid: 'corr-1',
    signaturekeyid: 'k1',
    signature: 'x'.repeat(85) + 'A',
    ...fields,
  }) as Envelope;

const matches = (filter: Record<string, unknown>, event: Envelope = envelope(), eventTypes = ['*']) => {
  expect(contentFilterProblems(filter)).toEqual([]);
  return matchesSubscription({ eventTypes, filterJson: filterText(filter) }, event);
};

describe('a content filter is refused when written', () => {
  test.each([
    [[], '', /must be an object/],
    [{ data: { total: [] } }, '/data/total', /Empty arrays/],
    [{ data: { total: [{ numeric: ['>', 'x'] }] } }, '/data/total/0', /numeric/i],
    [{ type: [{ wildcard: 'order.**' }] }, '/type/0', /Consecutive wildcard/],
    [{ $or: [{ type: ['a.b'] }] }, '/$or', /at least 2/],
    [{ source: 'shop' }, '/source', /must be an object or an array/],
    [{ data: { total: [{ bogus: 1 }] } }, '/data/total/0', /./],
  ])('%j: at %s', (filter, pointer, reason) => {
    expect(contentFilterProblems(filter)).toEqual([{ pointer, message: expect.stringMatching(reason) }]);
  });

  test(`more than ${MAX_FILTER_BYTES} bytes`, () => {
    const filter = { data: { note: ['x'.repeat(MAX_FILTER_BYTES)] } };
    expect(contentFilterProblems(filter)).toEqual([
      { pointer: '', message: expect.stringMatching(/at most 4096 bytes/) },
    ]);
  });

  test('more than 100 values, counting operands', () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    expect(contentFilterProblems({ data: { n: values } })[0]!.message).toMatch(
      /at most 100 values \(it holds 101\)/,
    );
    expect(contentFilterProblems({ data: { n: values.slice(0, 100) } })).toEqual([]);
    // [">", 0, "<", 10] is four values.
    const ranges = Array.from({ length: 26 }, () => ({ numeric: ['>', 0, '<', 10] }));
    expect(contentFilterProblems({ data: { n: ranges } })[0]!.message).toMatch(/holds 104/);
  });

  test('objects nested deeper than 8', () => {
    const deep = (n: number): Record<string, unknown> => (n === 1 ? { a: [1] } : { a: deep(n - 1) });
    expect(contentFilterProblems(deep(8))).toEqual([]);
    expect(contentFilterProblems(deep(9))[0]!.message).toMatch(/at most 8 deep/);
  });

  test('more than 16 $or combinations (nested $or multiply)', () => {
    const or = (field: string) => ({ $or: [{ [field]: ['x'] }, { [`${field}2`]: ['y'] }] });
    // 2 x 2 x 2 x 2 = 16 is allowed, 32 is not.
    expect(contentFilterProblems({ data: { a: or('p'), b: or('q'), c: or('r'), d: or('s') } })).toEqual([]);
    expect(
      contentFilterProblems({ data: { a: or('p'), b: or('q'), c: or('r'), d: or('s'), e: or('t') } })[0]!
        .message,
    ).toMatch(/combinations must be at most 16 \(it makes 32\)/);
  });
});

describe('matching, operator by operator', () => {
  test.each<[string, Record<string, unknown>, boolean]>([
    ['exact string', { data: { currency: ['EUR'] } }, true],
    ['exact string, other value', { data: { currency: ['USD'] } }, false],
    ['exact number', { data: { total: [250] } }, true],
    ['prefix', { subject: [{ prefix: 'orders/' }] }, true],
    ['prefix, other', { subject: [{ prefix: 'invoices/' }] }, false],
    ['suffix', { source: [{ suffix: '/eu' }] }, true],
    ['anything-but', { data: { currency: [{ 'anything-but': ['USD', 'GBP'] }] } }, true],
    ['anything-but, the value', { data: { currency: [{ 'anything-but': 'EUR' }] } }, false],
    ['anything-but prefix', { type: [{ 'anything-but': { prefix: 'invoice.' } }] }, true],
    ['numeric range', { data: { total: [{ numeric: ['>', 100, '<=', 250] }] } }, true],
    ['numeric, out of range', { data: { total: [{ numeric: ['>', 250] }] } }, false],
    ['exists', { data: { customer: { tier: [{ exists: true }] } } }, true],
    ['exists: false', { data: { coupon: [{ exists: false }] } }, true],
    ['exists: false, present', { data: { currency: [{ exists: false }] } }, false],
    [
      'equals-ignore-case',
      { data: { customer: { email: [{ 'equals-ignore-case': 'ann@example.COM' }] } } },
      true,
    ],
    ['wildcard', { subject: [{ wildcard: 'orders/*' }], type: [{ wildcard: 'order.*ed' }] }, true],
    ['wildcard, no match', { type: [{ wildcard: '*.paid' }] }, false],
    ['array element', { data: { items: { sku: ['b-2'] } } }, true],
    [
      '$or, second branch',
      { $or: [{ data: { currency: ['USD'] } }, { data: { total: [{ numeric: ['>=', 200] }] } }] },
      true,
    ],
    ['$or, no branch', { $or: [{ data: { currency: ['USD'] } }, { type: ['invoice.sent'] }] }, false],
    ['fields are ANDed', { type: ['order.created'], data: { currency: ['USD'] } }, false],
  ])('%s', (_name, filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  test('a filter sees type, source, subject and data: never the tenant, id, signature or correlation id', () => {
    for (const field of [
      'tenantid',
      'id',
      'signature',
      'signaturekeyid',
      'correlationid',
      'time',
      'specversion',
    ])
      expect(matches({ [field]: [{ exists: true }] })).toBe(false);
    expect(matches({ subject: [{ exists: false }] }, envelope({ subject: undefined }))).toBe(true);
  });

  test('the event types still apply: the filter narrows them, never widens them', () => {
    const filter = { data: { total: [{ numeric: ['>', 100] }] } };
    expect(matches(filter, envelope(), ['order.*'])).toBe(true);
    expect(matches(filter, envelope(), ['invoice.*'])).toBe(false);
    expect(matchesSubscription({ eventTypes: ['invoice.*'] }, envelope())).toBe(false);
    expect(matchesSubscription({ eventTypes: ['order.*'] }, envelope())).toBe(true);
  });

  test('subscriptionsMatching keeps the subscriptions the event reaches, in order', () => {
    const big = {
      eventTypes: ['order.*'],
      filterJson: filterText({ data: { total: [{ numeric: ['>', 100] }] } }),
    };
    const small = {
      eventTypes: ['order.*'],
      filterJson: filterText({ data: { total: [{ numeric: ['<', 100] }] } }),
    };
    const all = { eventTypes: ['*'] };
    expect(subscriptionsMatching([big, small, all], envelope())).toEqual([big, all]);
  });
});

describe('wildcards cannot backtrack', () => {
  test('the largest wildcard a filter may hold against a 256 KiB value answers in milliseconds', () => {
    // About 2,000 segments: `*a*a*…*a*b` is the textbook catastrophic case for a backtracking matcher.
    const wildcard = `*${'a*'.repeat(2000)}b`;
    const filter = { data: { text: [{ wildcard }] } };
    expect(contentFilterProblems(filter)).toEqual([]);
    const value = 'a'.repeat(256 * 1024);
    const matcher = matcherOf(filterText(filter));
    const started = performance.now();
    expect(matcher({ type: 't.x', source: 's', data: { text: value } })).toBe(false);
    expect(matcher({ type: 't.x', source: 's', data: { text: `${value}b` } })).toBe(true);
    // Linear: a backtracking matcher would not finish at all. Generous for a busy machine.
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('arrays', () => {
  test('fields that must share an element, over many arrays, answer without trying every combination', () => {
    // Five arrays: four of 20 elements, one of 40 where `p` and `q` are never in one element. Trying
    // every combination of elements was 67 million candidates (seconds); the engine tries each once.
    const data: Record<string, Envelope['data'][]> = {};
    const fields: Record<string, unknown> = {};
    for (const name of ['a', 'b', 'c', 'd']) {
      data[name] = Array.from({ length: 20 }, () => ({ v: 1 }));
      fields[name] = { v: [1] };
    }
    const e = Array.from({ length: 40 }, (_, i): Envelope['data'] => (i % 2 === 0 ? { p: 1 } : { q: 1 }));
    data.e = e;
    const filter = { data: { ...fields, e: { p: [1], q: [1] } } };
    expect(matches(filter, envelope({ data }))).toBe(false);
    e.push({ p: 1, q: 1 });
    expect(matches(filter, envelope({ data }))).toBe(true);
  });

  test(`a filter the engine cannot judge in ${MAX_MATCH_STEPS} steps lets the event through`, () => {
    // Each `id` is tried once: more of them than the budget, and none with a `kind` beside it.
    const items = Array.from({ length: 2 * MAX_MATCH_STEPS + 2 }, (_, i): Envelope['data'] =>
      i % 2 === 0 ? { id: 1 } : { kind: 'b' },
    );
    const filter = { data: { items: { id: [1], kind: ['b'] } } };
    const subscription = { eventTypes: ['*'], filterJson: filterText(filter) };
    expect(matches(filter, envelope({ data: { items } }))).toBe(true);
    expect(subscriptionsMatching([subscription], envelope({ data: { items } }))).toEqual([subscription]);
    // Within the budget the same filter answers: no match.
    expect(matches(filter, envelope({ data: { items: items.slice(0, 100) } }))).toBe(false);
  });
});

describe('the compiled-filter cache', () => {
  test('one compilation per filter text, reused across subscriptions and events', () => {
    matcherCache.clear();
    const text = filterText({ data: { total: [{ numeric: ['>', 100] }] } });
    const first = matcherOf(text);
    expect(matcherOf(text)).toBe(first);
    matchesSubscription({ eventTypes: ['*'], filterJson: text }, envelope());
    expect(matcherCache.size).toBe(1);
    // A changed filter is another text: compiled anew, the old one left to age out.
    const changed = filterText({ data: { total: [{ numeric: ['>', 500] }] } });
    expect(matcherOf(changed)).not.toBe(first);
    expect(matchesSubscription({ eventTypes: ['*'], filterJson: changed }, envelope())).toBe(false);
    expect(matcherCache.size).toBe(2);
  });

  test(`bounded at ${MATCHER_CACHE_SIZE} filters, the least recently used dropped first`, () => {
    matcherCache.clear();
    const text = (i: number) => filterText({ data: { n: [i] } });
    const kept = matcherOf(text(0));
    for (let i = 1; i < MATCHER_CACHE_SIZE; i++) matcherOf(text(i));
    expect(matcherOf(text(0))).toBe(kept); // used again: now the most recent
    matcherOf(text(MATCHER_CACHE_SIZE)); // evicts text(1), the least recently used
    expect(matcherCache.size).toBe(MATCHER_CACHE_SIZE);
    expect(matcherOf(text(0))).toBe(kept);
    const before = matcherCache.size;
    matcherOf(text(1)); // compiled again, evicting another
    expect(matcherCache.size).toBe(before);
  });
});
