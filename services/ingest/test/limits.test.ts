import { describe, expect, test } from '@jest/globals';
import { rateLimitHeaders, takeRate, takeUploadBytes, utcDay, windowOf } from '../src/limits';
import { MemoryRateLimitStore } from './support/memory';

const limits = { ingestRequestsPerSecond: 3, ingestEventsPerSecond: 10 };
const at = (iso: string) => ({ now: () => new Date(iso) });

describe('windowOf', () => {
  test('a moment belongs to the window it falls in, and the window ends at the next boundary', () => {
    const start = Date.parse('2026-12-01T12:00:00.000Z');
    expect(windowOf(start, 1)).toEqual({ window: start / 1000, resetSeconds: 1 });
    expect(windowOf(start + 999, 1)).toEqual({ window: start / 1000, resetSeconds: 1 });
    expect(windowOf(start + 1000, 1)).toEqual({ window: start / 1000 + 1, resetSeconds: 1 });
    // Longer windows: a moment 1.5 s into a 10 s window has 8.5 s left, said as 9.
    expect(windowOf(start + 1500, 10)).toEqual({ window: start / 10_000, resetSeconds: 9 });
    expect(windowOf(start + 9_999, 10).resetSeconds).toBe(1);
  });
});

describe('takeRate', () => {
  const settings = { windowSeconds: 1 };

  test('admits requests up to the rate within a window, then refuses the next, counting nothing for it', async () => {
    const store = new MemoryRateLimitStore();
    const deps = { store, ...at('2026-12-01T12:00:00.100Z') };
    for (let i = 1; i <= 3; i++) {
      const decision = await takeRate('acme', 1, limits, settings, deps);
      expect(decision).toMatchObject({
        kind: 'allowed',
        state: { remaining: { requests: 3 - i, events: 10 - i } },
      });
    }
    const refused = await takeRate('acme', 1, limits, settings, deps);
    expect(refused).toMatchObject({
      kind: 'refused',
      limit: 'ingestRequestsPerSecond',
      perSecond: 3,
      requested: 1,
      neverFits: false,
      retryAfterSeconds: 1,
      state: { remaining: { requests: 0, events: 7 } },
    });
    expect([...store.windows.values()]).toEqual([{ requests: 3, events: 3 }]);
  });

  test('a new window starts the counts again, at the boundary exactly', async () => {
    const store = new MemoryRateLimitStore();
    for (let i = 0; i < 3; i++)
      await takeRate('acme', 1, limits, settings, { store, ...at('2026-12-01T12:00:00.999Z') });
    expect(
      (await takeRate('acme', 1, limits, settings, { store, ...at('2026-12-01T12:00:00.999Z') })).kind,
    ).toBe('refused');
    expect(
      (await takeRate('acme', 1, limits, settings, { store, ...at('2026-12-01T12:00:01.000Z') })).kind,
    ).toBe('allowed');
  });

  test("a batch over what is left of the window's events is refused whole, and a smaller one still fits", async () => {
    const store = new MemoryRateLimitStore();
    const deps = { store, ...at('2026-12-01T12:00:00Z') };
    expect((await takeRate('acme', 6, limits, settings, deps)).kind).toBe('allowed');
    const refused = await takeRate('acme', 5, limits, settings, deps);
    expect(refused).toMatchObject({
      kind: 'refused',
      limit: 'ingestEventsPerSecond',
      requested: 5,
      neverFits: false,
    });
    expect([...store.windows.values()]).toEqual([{ requests: 1, events: 6 }]);
    expect((await takeRate('acme', 4, limits, settings, deps)).kind).toBe('allowed');
  });

  test('a batch larger than a whole window can never fit: refused without counting or calling', async () => {
    const store = new MemoryRateLimitStore();
    const refused = await takeRate('acme', 11, limits, settings, { store, ...at('2026-12-01T12:00:00Z') });
    expect(refused).toMatchObject({ kind: 'refused', limit: 'ingestEventsPerSecond', neverFits: true });
    expect(store.calls).toBe(0);
    // In a 2 s window the quota is twice the rate: the same batch fits.
    const longer = await takeRate(
      'acme',
      11,
      limits,
      { windowSeconds: 2 },
      { store, ...at('2026-12-01T12:00:00Z') },
    );
    expect(longer).toMatchObject({ kind: 'allowed', state: { quota: { requests: 6, events: 20 } } });
  });

  test('a limit of 0 refuses every request', async () => {
    const store = new MemoryRateLimitStore();
    const decision = await takeRate('acme', 1, { ...limits, ingestRequestsPerSecond: 0 }, settings, {
      store,
      ...at('2026-12-01T12:00:00Z'),
    });
    expect(decision).toMatchObject({ kind: 'refused', limit: 'ingestRequestsPerSecond', neverFits: true });
  });

  test("tenants' windows are their own", async () => {
    const store = new MemoryRateLimitStore();
    const deps = { store, ...at('2026-12-01T12:00:00Z') };
    for (let i = 0; i < 3; i++) await takeRate('acme', 1, limits, settings, deps);
    expect((await takeRate('acme', 1, limits, settings, deps)).kind).toBe('refused');
    expect((await takeRate('globex', 1, limits, settings, deps)).kind).toBe('allowed');
  });

  test('a store that cannot be reached fails the decision (the route answers 503)', async () => {
    const store = new MemoryRateLimitStore();
    store.unavailable = true;
    await expect(
      takeRate('acme', 1, limits, settings, { store, ...at('2026-12-01T12:00:00Z') }),
    ).rejects.toThrow(/unreachable/);
  });
});

describe('rateLimitHeaders', () => {
  test("the draft's structured fields: both policies, what is left of each and when they start again", () => {
    expect(
      rateLimitHeaders({
        windowSeconds: 1,
        quota: { requests: 3, events: 10 },
        remaining: { requests: 0, events: 7 },
        resetSeconds: 1,
      }),
    ).toEqual({
      'ratelimit-policy': '"requests";q=3;w=1, "events";q=10;w=1',
      ratelimit: '"requests";r=0;t=1, "events";r=7;t=1',
    });
  });
});

describe('takeUploadBytes', () => {
  test("counts declared bytes on the tenant's UTC day up to the limit, and refuses what would pass it", async () => {
    const store = new MemoryRateLimitStore();
    const deps = { store, ...at('2026-12-01T23:59:59.999Z') };
    expect(await takeUploadBytes('acme', 600, 1000, deps)).toEqual({ kind: 'allowed', current: 600 });
    expect(await takeUploadBytes('acme', 401, 1000, deps)).toEqual({
      kind: 'exceeded',
      quota: 'uploadBytesPerDay',
      limit: 1000,
      current: 600,
      requested: 401,
    });
    expect(await takeUploadBytes('acme', 400, 1000, deps)).toEqual({ kind: 'allowed', current: 1000 });
    // The next UTC day starts at 0.
    expect(await takeUploadBytes('acme', 1000, 1000, { store, ...at('2026-12-02T00:00:00Z') })).toEqual({
      kind: 'allowed',
      current: 1000,
    });
  });

  test('utcDay is the UTC date', () => {
    expect(utcDay(new Date('2026-12-01T23:30:00-02:00'))).toBe('2026-12-02');
  });
});
