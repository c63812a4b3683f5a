import { describe, expect, test } from '@jest/globals';
import { DEFAULT_SCHEDULE } from '../../src/config';
import {
  delayBeforeNext,
  maxAttempts,
  parseRetryAfter,
  parseSchedule,
} from '../../src/delivery/retry-schedule';

const schedule = parseSchedule(DEFAULT_SCHEDULE);
const middle = () => 0.5;

describe('retry schedule', () => {
  test('the default is immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(schedule).toEqual([0, 5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(maxAttempts(schedule)).toBe(8);
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attempt) =>
      delayBeforeNext(schedule, attempt, { random: middle }),
    );
    expect(delays).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
  });

  test('after the last attempt there is none', () => {
    expect(delayBeforeNext(schedule, 8)).toBeUndefined();
  });

  test('jitter stays within ±20%', () => {
    expect(delayBeforeNext(schedule, 3, { random: () => 0 })).toBe(1440);
    expect(delayBeforeNext(schedule, 3, { random: () => 0.999999 })).toBe(2160);
  });

  test('Retry-After longer than the schedule is honoured, shorter is not, absurd is capped at a day', () => {
    expect(delayBeforeNext(schedule, 1, { random: middle, retryAfterSeconds: 120 })).toBe(120);
    expect(delayBeforeNext(schedule, 2, { random: middle, retryAfterSeconds: 10 })).toBe(300);
    expect(delayBeforeNext(schedule, 1, { random: middle, retryAfterSeconds: 10 ** 9 })).toBe(86400);
  });

  test('Retry-After does not add attempts beyond the schedule', () => {
    expect(delayBeforeNext(schedule, 8, { retryAfterSeconds: 5 })).toBeUndefined();
  });

  test.each(['', '1,,2', '-1', '1.5', 'soon', Array(21).fill('1').join(',')])(
    '%j is not a schedule',
    (text) => {
      expect(() => parseSchedule(text)).toThrow(/Retry schedule/);
    },
  );

  describe('Retry-After', () => {
    const now = new Date('2026-11-28T10:00:00Z');
    test.each([
      ['120', 120],
      [' 7 ', 7],
      ['0', 0],
      ['Sat, 28 Nov 2026 10:01:30 GMT', 90],
      ['Sat, 28 Nov 2026 09:00:00 GMT', undefined],
      ['soon', undefined],
      ['-5', undefined],
      ['1e3', undefined],
      [undefined, undefined],
    ])('%j → %s', (value, expected) => {
      expect(parseRetryAfter(value, now)).toBe(expected);
    });
  });
});
