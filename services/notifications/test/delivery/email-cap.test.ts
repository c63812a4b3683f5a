/** The daily e-mail cap: mails under the limit go, those over it wait for the next UTC day. */
import { describe, expect, test } from '@jest/globals';
import { enforceDailyEmailCap, nextUtcDay, utcDay } from '../../src/delivery/email-cap';
import { MemoryEmailDays } from '../support/memory-limits';

describe('the daily e-mail cap', () => {
  const now = new Date('2026-11-30T23:59:59.999Z');

  test('days are UTC days', () => {
    expect(utcDay(now)).toBe('2026-11-30');
    expect(nextUtcDay(now).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(nextUtcDay(new Date('2026-12-31T00:00:00Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  test('sends up to the limit, then holds until the next day with the reason', async () => {
    const counter = new MemoryEmailDays();
    for (let i = 0; i < 3; i++)
      expect(await enforceDailyEmailCap('t1', 3, counter, now)).toEqual({ send: true });
    expect(await enforceDailyEmailCap('t1', 3, counter, now)).toEqual({
      send: false,
      reason: 'daily-email-cap',
      heldUntil: '2026-12-01T00:00:00.000Z',
      limit: 3,
    });
    expect(counter.counts.get('t1#2026-11-30')).toBe(3);
  });

  test('each tenant and each day counts apart, and the limit is the caller’s', async () => {
    const counter = new MemoryEmailDays();
    expect(await enforceDailyEmailCap('t1', 1, counter, now)).toEqual({ send: true });
    expect((await enforceDailyEmailCap('t1', 1, counter, now)).send).toBe(false);
    expect(await enforceDailyEmailCap('t2', 1, counter, now)).toEqual({ send: true });
    expect(await enforceDailyEmailCap('t1', 1, counter, nextUtcDay(now))).toEqual({ send: true });
    expect(await enforceDailyEmailCap('t1', 5, counter, now)).toEqual({ send: true });
  });
});
