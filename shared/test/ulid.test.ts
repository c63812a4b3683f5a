import { describe, expect, test } from '@jest/globals';
import * as reference from 'ulid';
import { monotonicFactory, ulid } from '../src/ulid';

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

describe('ulid', () => {
  test('is 26 characters of Crockford base32, its time the same as the ulid package gives', () => {
    for (const time of [0, 1, 1_700_000_000_000, 2 ** 48 - 1]) {
      const id = ulid(time || undefined);
      expect(id).toMatch(ULID);
      if (time !== 0) {
        expect(id.slice(0, 10)).toBe(reference.ulid(time).slice(0, 10));
        expect(reference.decodeTime(id)).toBe(time);
      }
    }
  });

  test('without a time is now', () => {
    const before = Date.now();
    const time = reference.decodeTime(ulid());
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
  });

  test('draws every character of the alphabet and repeats no id', () => {
    const ids = Array.from({ length: 2000 }, () => ulid(1_700_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    const characters = new Set(ids.flatMap((id) => [...id.slice(10)]));
    expect(characters.size).toBe(32);
  });

  test('refuses a time beyond 48 bits or negative', () => {
    expect(() => ulid(2 ** 48)).toThrow(RangeError);
    expect(() => ulid(-1)).toThrow(RangeError);
  });
});

describe('monotonicFactory', () => {
  test('ids made in one millisecond, or for an earlier one, sort in the order they were made', () => {
    const next = monotonicFactory();
    const ids = [next(1000), next(1000), next(1000), next(999), next(1001), next(1001)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 4).every((id) => reference.decodeTime(id) === 1000)).toBe(true);
    expect(reference.decodeTime(ids[4]!)).toBe(1001);
  });

  test('increments the random part as the ulid package does, carrying over Z', () => {
    const next = monotonicFactory();
    const first = next(5000);
    const second = next(5000);
    expect(second.slice(10)).toBe(reference.incrementBase32(first.slice(10)));
  });
});
