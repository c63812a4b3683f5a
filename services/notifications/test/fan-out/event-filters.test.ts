import { describe, expect, test } from '@jest/globals';
import { filterProblem, filterProblems, matchesAny, matchesFilter } from '../../src/fan-out/event-filters';

describe('event-type filters', () => {
  test.each([
    ['order.created', 'order.created', true],
    ['order.created', 'order.updated', false],
    ['order.created', 'order.created.v2', false],
    ['order.*', 'order.created', true],
    ['order.*', 'order.item.added', true],
    ['order.*', 'order', false],
    ['order.*', 'orders.created', false],
    ['order.item.*', 'order.item.added', true],
    ['order.item.*', 'order.created', false],
    ['*', 'anything.at_all', true],
  ])('%s matches %s: %s', (filter, type, expected) => {
    expect(matchesFilter(filter, type)).toBe(expected);
  });

  test('a subscription matches when any of its filters does', () => {
    expect(matchesAny(['invoice.paid', 'order.*'], 'order.shipped')).toBe(true);
    expect(matchesAny(['invoice.paid', 'order.*'], 'user.created')).toBe(false);
    expect(matchesAny([], 'user.created')).toBe(false);
  });

  test.each(['order.created', 'order.*', 'order.item.*', '*', 'a.b_c-d.e'])(
    '%s is a usable filter',
    (filter) => {
      expect(filterProblem(filter)).toBeUndefined();
    },
  );

  test.each([
    ['', /1 to 128/],
    ['order', /event type/],
    ['Order.Created', /event type/],
    ['order.*.created', /may only end/],
    ['order*', /may only end/],
    ['*.created', /may only end/],
    ['.*', /prefix/],
    ['order..*', /prefix/],
    ['**', /may only end/],
    ['order created', /event type/],
    ['x'.repeat(129), /1 to 128/],
  ])('%j is refused', (filter, message) => {
    expect(filterProblem(filter)).toMatch(message);
  });

  test('problems name each bad filter by position, duplicates included', () => {
    expect(filterProblems(['order.*', 'Bad', 'order.*'])).toEqual([
      { index: 1, message: expect.stringMatching(/event type/) },
      { index: 2, message: 'appears more than once' },
    ]);
  });
});
