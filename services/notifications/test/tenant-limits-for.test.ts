import { describe, expect, test } from '@jest/globals';
import { enforceDailyEmailCap } from '../src/delivery/email-cap';
import { checkTenantQuota, limitsFor } from '../src/model/tenant-limits';
import { QuotaExceeded } from '../src/problems';
import { MemoryEmailDays } from './support/memory-limits';

const defaults = { subscriptions: 100, concurrentReplays: 5 };

describe('limitsFor', () => {
  test("the stage's defaults for a tenant without settings", () => {
    expect(limitsFor({ tenantId: 'acme' }, defaults)).toEqual(defaults);
  });

  test("the tenant's own settings take over the stage's caps, limit by limit, above or below them", () => {
    const caller = {
      tenantId: 'acme',
      settings: { limits: { maxSubscriptions: 2, maxConcurrentReplays: 50 } },
    };
    expect(limitsFor(caller, defaults)).toEqual({ subscriptions: 2, concurrentReplays: 50 });
    expect(() => checkTenantQuota('subscriptions', 2, limitsFor(caller, defaults))).toThrow(QuotaExceeded);
    expect(() => checkTenantQuota('concurrentReplays', 49, limitsFor(caller, defaults))).not.toThrow();
  });

  test("the stage's limits for a tenant come between its settings and the defaults", () => {
    const stage = { acme: { maxConcurrentReplays: 1 } };
    expect(limitsFor({ tenantId: 'acme' }, defaults, stage)).toEqual({
      subscriptions: 100,
      concurrentReplays: 1,
    });
    expect(limitsFor({ tenantId: 'globex' }, defaults, stage)).toEqual(defaults);
    expect(
      limitsFor({ tenantId: 'acme', settings: { limits: { maxConcurrentReplays: 3 } } }, defaults, stage),
    ).toEqual({ subscriptions: 100, concurrentReplays: 3 });
  });
});

describe('the daily e-mail cap, per tenant', () => {
  test("each tenant's mails count against its own cap when the cap is given by tenant", async () => {
    const counter = new MemoryEmailDays();
    const now = new Date('2026-12-01T12:00:00Z');
    const cap = (tenantId: string) => (tenantId === 'small' ? 1 : 3);
    expect(await enforceDailyEmailCap('small', cap, counter, now)).toEqual({ send: true });
    expect(await enforceDailyEmailCap('small', cap, counter, now)).toMatchObject({ send: false, limit: 1 });
    for (let i = 0; i < 3; i++)
      expect(await enforceDailyEmailCap('big', cap, counter, now)).toEqual({ send: true });
    expect(await enforceDailyEmailCap('big', cap, counter, now)).toMatchObject({ send: false, limit: 3 });
  });
});
