import { describe, expect, test } from '@jest/globals';
import { deliverySettings, targetPolicy } from '../src/config';

describe('stage settings', () => {
  test('defaults are the production schedule and strict targets', () => {
    expect(deliverySettings({})).toMatchObject({
      schedule: [0, 5, 300, 1800, 7200, 18000, 36000, 36000],
      timeoutMs: 15000,
      targets: { allowHttp: false, allowLoopback: false },
      disableAfterMs: 120 * 3600_000,
      disableAfterFailures: 0,
    });
  });

  test('only the exact word true opens http and loopback', () => {
    expect(targetPolicy({ WEBHOOK_ALLOW_LOCAL_TARGETS: 'true' })).toEqual({
      allowHttp: true,
      allowLoopback: true,
      ports: [443],
    });
    for (const value of ['TRUE', '1', 'yes', 'false', '', undefined]) {
      expect(targetPolicy({ WEBHOOK_ALLOW_LOCAL_TARGETS: value })).toEqual({
        allowHttp: false,
        allowLoopback: false,
        ports: [443],
      });
    }
  });

  test('a bad value fails loudly, naming the variable', () => {
    expect(() => deliverySettings({ RETRY_SCHEDULE: '0,soon' })).toThrow(/Retry schedule/);
    expect(() => deliverySettings({ WEBHOOK_TIMEOUT_MS: '999999' })).toThrow(/WEBHOOK_TIMEOUT_MS/);
    expect(() => deliverySettings({ EVENT_RETENTION_DAYS: 'x' })).toThrow(/EVENT_RETENTION_DAYS/);
  });
});
