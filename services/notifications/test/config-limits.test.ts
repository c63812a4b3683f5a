import { describe, expect, test } from '@jest/globals';
import { deliverySettings } from '../src/config';

describe('abuse limits as stage settings', () => {
  test('defaults', () => {
    expect(deliverySettings({})).toMatchObject({
      rateLimits: { default: 50, max: 500 },
      maxReplayWindowHours: 24,
      tenantLimits: { subscriptions: 100, concurrentReplays: 5 },
      targets: { ports: [443] },
      dailyEmailCapPerTenant: 1000,
    });
  });

  test('each read from its variable', () => {
    expect(
      deliverySettings({
        DEFAULT_RATE_LIMIT: '10',
        MAX_RATE_LIMIT: '20',
        MAX_REPLAY_WINDOW_HOURS: '12',
        MAX_SUBSCRIPTIONS_PER_TENANT: '7',
        MAX_CONCURRENT_REPLAYS_PER_TENANT: '2',
        DAILY_EMAIL_CAP_PER_TENANT: '3',
      }),
    ).toMatchObject({
      rateLimits: { default: 10, max: 20 },
      maxReplayWindowHours: 12,
      tenantLimits: { subscriptions: 7, concurrentReplays: 2 },
      dailyEmailCapPerTenant: 3,
    });
    // A maximum below the usual default brings the default down with it.
    expect(deliverySettings({ MAX_RATE_LIMIT: '5' }).rateLimits).toEqual({ default: 5, max: 5 });
  });

  test('a bad value fails loudly, naming the variable', () => {
    expect(() => deliverySettings({ DEFAULT_RATE_LIMIT: '30', MAX_RATE_LIMIT: '20' })).toThrow(
      /DEFAULT_RATE_LIMIT must not exceed MAX_RATE_LIMIT/,
    );
    expect(() => deliverySettings({ MAX_RATE_LIMIT: '0' })).toThrow(/MAX_RATE_LIMIT/);
    expect(() => deliverySettings({ DEFAULT_RATE_LIMIT: '1.5' })).toThrow(/DEFAULT_RATE_LIMIT/);
    expect(() => deliverySettings({ MAX_REPLAY_WINDOW_HOURS: '0' })).toThrow(/MAX_REPLAY_WINDOW_HOURS/);
    // A cap of 0 would hold every mail for ever.
    expect(() => deliverySettings({ DAILY_EMAIL_CAP_PER_TENANT: '0' })).toThrow(/DAILY_EMAIL_CAP_PER_TENANT/);
    expect(() => deliverySettings({ MAX_SUBSCRIPTIONS_PER_TENANT: 'many' })).toThrow(
      /MAX_SUBSCRIPTIONS_PER_TENANT/,
    );
    expect(() => deliverySettings({ MAX_CONCURRENT_REPLAYS_PER_TENANT: '-1' })).toThrow(
      /MAX_CONCURRENT_REPLAYS_PER_TENANT/,
    );
  });
});
