import { describe, expect, test } from '@jest/globals';
import {
  destinationPart,
  emptyRow,
  filterChange,
  formatFilter,
  headerRowProblems,
  headersChange,
  headersForCreate,
  joinEventTypes,
  matchSummary,
  parseFilter,
  parseTimeout,
  rowsOfHeaders,
  shownHeaderValue,
  splitEventTypes,
  timeoutChange,
  type HeaderRow,
} from '../src/lib/subscription-values';

const row = (name: string, value: string, secret = false): HeaderRow => ({
  ...emptyRow(),
  name,
  value,
  secret,
});

describe('the Filter field', () => {
  test('empty (or blank) is no filter', () => {
    expect(parseFilter('')).toEqual({ ok: true, filter: undefined });
    expect(parseFilter('  \n')).toEqual({ ok: true, filter: undefined });
  });

  test('a JSON object is the filter', () => {
    expect(parseFilter('{"data":{"total":[{"numeric":[">",100]}]}}')).toEqual({
      ok: true,
      filter: { data: { total: [{ numeric: ['>', 100] }] } },
    });
  });

  test.each(['{"data":', '[1]', 'null', '"x"', '3'])('%s is refused before sending', (text) => {
    expect(parseFilter(text)).toMatchObject({ ok: false });
  });

  test('shown indented, and none as empty', () => {
    expect(formatFilter({ data: { a: [1] } })).toBe('{\n  "data": {\n    "a": [\n      1\n    ]\n  }\n}');
    expect(formatFilter(undefined)).toBe('');
  });

  test('on edit: clearing a filter sends null; no filter before and after sends nothing', () => {
    const filter = { data: { a: [1] } };
    expect(filterChange(filter, undefined)).toEqual({ filter: null });
    expect(filterChange(undefined, undefined)).toEqual({});
    expect(filterChange(undefined, filter)).toEqual({ filter });
    expect(filterChange({ data: { a: [2] } }, filter)).toEqual({ filter });
  });
});

describe('custom headers', () => {
  test('create: values, secret ones with their value; empty rows are no header', () => {
    expect(
      headersForCreate([row('X-Team', 'payments'), row('Authorization', 'Bearer 1', true), emptyRow()]),
    ).toEqual({ 'X-Team': 'payments', Authorization: { value: 'Bearer 1', secret: true } });
    expect(headersForCreate([emptyRow()])).toBeUndefined();
  });

  test("a subscription's secret header is a row with no value, kept unless replaced", () => {
    const rows = rowsOfHeaders({ 'x-team': 'payments', authorization: { secret: true } });
    expect(rows.map(({ name, value, secret, stored }) => ({ name, value, secret, stored }))).toEqual([
      { name: 'x-team', value: 'payments', secret: false, stored: undefined },
      { name: 'authorization', value: '', secret: true, stored: { replace: false } },
    ]);
    // Nothing changed: nothing is sent, and a kept secret is never sent.
    expect(headersChange({ 'x-team': 'payments', authorization: { secret: true } }, rows)).toBeUndefined();
    expect(headerRowProblems(rows)).toEqual([]);
  });

  test('edit: a changed value, a replaced secret, a removed and a renamed header', () => {
    const had = { 'x-team': 'payments', authorization: { secret: true as const }, 'x-old': 'o' };
    const [team, auth, old] = rowsOfHeaders(had);
    const rows = [
      { ...team!, value: 'billing' },
      { ...auth!, stored: { replace: true }, value: 'Bearer 2' },
      { ...old!, name: 'X-New' },
    ];
    expect(headersChange(had, rows)).toEqual({
      'x-team': 'billing',
      authorization: { value: 'Bearer 2', secret: true },
      'x-new': 'o',
      'x-old': null,
    });
  });

  test('edit: a removed secret is sent as null; a plain header made secret is sent with its value', () => {
    const had = { authorization: { secret: true as const }, 'x-key': 'k1' };
    const [, key] = rowsOfHeaders(had);
    expect(headersChange(had, [{ ...key!, secret: true }])).toEqual({
      authorization: null,
      'x-key': { value: 'k1', secret: true },
    });
  });

  test('rows the form refuses: a value without a name, a name twice, a secret without its value', () => {
    expect(headerRowProblems([row('', 'v')])).toEqual(['a header value has no name']);
    expect(headerRowProblems([row('X-A', '1'), row('x-a', '2')])).toEqual(['x-a: given twice']);
    expect(headerRowProblems([row('X-S', '', true)])).toEqual(['x-s: a secret header needs its value']);
    const [stored] = rowsOfHeaders({ 'x-s': { secret: true } });
    expect(headerRowProblems([{ ...stored!, stored: { replace: true } }])).toEqual([
      'x-s: a secret header needs its value',
    ]);
  });

  test('a secret value is never shown', () => {
    expect(shownHeaderValue({ secret: true })).toBe('secret (set)');
    expect(shownHeaderValue('payments')).toBe('payments');
  });
});

describe('timeout', () => {
  test('empty is the default; whole seconds from 1', () => {
    expect(parseTimeout('')).toEqual({ ok: true, seconds: undefined });
    expect(parseTimeout(' 5 ')).toEqual({ ok: true, seconds: 5 });
    expect(parseTimeout('0')).toMatchObject({ ok: false });
    expect(parseTimeout('2.5')).toMatchObject({ ok: false });
    expect(parseTimeout('-1')).toMatchObject({ ok: false });
  });

  test('on edit: only a change is sent, clearing sends null', () => {
    expect(timeoutChange(5, 5)).toEqual({});
    expect(timeoutChange(undefined, undefined)).toEqual({});
    expect(timeoutChange(5, undefined)).toEqual({ timeoutSeconds: null });
    expect(timeoutChange(undefined, 8)).toEqual({ timeoutSeconds: 8 });
  });
});

describe('the preview', () => {
  test('says how many of the events read match, and when older ones were left', () => {
    expect(matchSummary({ matched: [1], examined: 2, truncated: false })).toEqual({
      summary: '1 of 2 recent events match',
    });
    expect(matchSummary({ matched: [], examined: 100, truncated: true })).toEqual({
      summary: '0 of 100 recent events match',
      truncated: 'Only the newest 100 stored events were read; older ones were not tried.',
    });
  });
});

describe("Herald's own event types", () => {
  test('split: the operational ones are choices of their own, whatever their place in the list', () => {
    expect(
      splitEventTypes(['order.*', 'herald.subscription.disabled', '*', 'herald.upload.completed']),
    ).toEqual({
      typed: ['order.*', '*'],
      operational: ['herald.subscription.disabled', 'herald.upload.completed'],
    });
    // A typed name under herald. that is not one of Herald's stays typed (the API refuses it, naming it).
    expect(splitEventTypes(['herald.other'])).toEqual({ typed: ['herald.other'], operational: [] });
  });

  test('join: typed ones first, then the chosen operational ones in their fixed order, each once', () => {
    expect(
      joinEventTypes(
        ['order.*'],
        ['herald.upload.completed', 'herald.delivery.failed', 'herald.upload.completed'],
      ),
    ).toEqual(['order.*', 'herald.delivery.failed', 'herald.upload.completed']);
    expect(joinEventTypes(['herald.delivery.failed'], ['herald.delivery.failed'])).toEqual([
      'herald.delivery.failed',
    ]);
    expect(joinEventTypes(['*'], ['not.offered'])).toEqual(['*']);
  });

  test('split then join gives the same set back', () => {
    const types = ['invoice.paid', 'herald.subscription.recovered'];
    const { typed, operational } = splitEventTypes(types);
    expect(joinEventTypes(typed, operational)).toEqual(types);
  });
});

describe("a test connection's error", () => {
  test('names the form field it points at', () => {
    expect(destinationPart('/destination/roleArn')).toBe('Role ARN');
    expect(destinationPart('/destination/arn')).toBe('Destination ARN');
    expect(destinationPart('/destination')).toBe('/destination');
  });
});
