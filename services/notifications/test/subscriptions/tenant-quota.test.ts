/**
 * Subscriptions per tenant: one check for every tenant limit (checkTenantQuota), and creation held
 * to it even when many are created at once; a subscription's rate limit as it is written.
 */
import { describe, expect, test } from '@jest/globals';
import { checkTenantQuota } from '../../src/model/tenant-limits';
import { InvalidInput, QuotaExceeded } from '../../src/problems';
import { createSubscription } from '../../src/subscriptions/create';
import type { SubscriptionDeps } from '../../src/subscriptions/ports';
import { updateSubscription } from '../../src/subscriptions/update';
import { world } from '../support/world';

const limits = { subscriptions: 3, concurrentReplays: 2 };

describe('the tenant quota check', () => {
  test('lets one more through below the limit', () => {
    expect(() => checkTenantQuota('subscriptions', 2, limits)).not.toThrow();
    expect(() => checkTenantQuota('concurrentReplays', 0, limits)).not.toThrow();
  });

  test.each([
    ['subscriptions', 3, 3],
    ['subscriptions', 7, 3],
    ['concurrentReplays', 2, 2],
  ] as const)('refuses %s at %i of %i, naming the limit and what is used', (quota, current, limit) => {
    const error = (() => {
      try {
        checkTenantQuota(quota, current, limits);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(QuotaExceeded);
    expect(error).toMatchObject({ quota, limit, current });
  });
});

function limitedWorld() {
  const w = world();
  let encryptions = 0;
  const deps: SubscriptionDeps = {
    ...w.subscriptionDeps,
    tenantLimits: limits,
    cipher: {
      encrypt: (...args) => {
        encryptions++;
        return w.subscriptionDeps.cipher.encrypt(...args);
      },
      decrypt: (...args) => w.subscriptionDeps.cipher.decrypt(...args),
    },
  };
  const create = (tenantId = 'acme', input: Record<string, unknown> = {}) =>
    createSubscription(
      tenantId,
      { url: 'https://hooks.example.com/h', eventTypes: ['order.*'], ...input },
      deps,
    );
  return { w, deps, create, encryptions: () => encryptions };
}

describe('subscriptions per tenant', () => {
  test('the one past the limit is refused (409 quota-exceeded), before any secret is made', async () => {
    const { w, create, encryptions } = limitedWorld();
    for (let i = 0; i < 3; i++) await create();
    const made = encryptions();
    const error = await create().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExceeded);
    expect(error).toMatchObject({ quota: 'subscriptions', limit: 3, current: 3 });
    expect(encryptions()).toBe(made);
    expect(w.subscriptions.items.size).toBe(3);
  });

  test('every subscription counts, whatever its status, and only the tenant’s own', async () => {
    const { w, create } = limitedWorld();
    const { subscription } = await create();
    await w.subscriptions.update('acme', subscription.id, { set: { status: 'disabled' } });
    await create();
    await create('globex');
    await create();
    await expect(create()).rejects.toBeInstanceOf(QuotaExceeded);
    await expect(create('globex')).resolves.toBeDefined();
  });

  test('deleting one makes room for another', async () => {
    const { w, create } = limitedWorld();
    const made = [await create(), await create(), await create()];
    await expect(create()).rejects.toBeInstanceOf(QuotaExceeded);
    await w.subscriptions.delete('acme', made[0]!.subscription.id);
    await expect(create()).resolves.toBeDefined();
  });

  test('of many created at once at the limit’s edge, only as many as fit are created', async () => {
    const { w, create } = limitedWorld();
    await create();
    await create();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => create()));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const refused of results.filter((r) => r.status === 'rejected')) {
      expect(refused.reason).toMatchObject({ name: 'QuotaExceeded', limit: 3, current: 3 });
    }
    expect(w.subscriptions.items.size).toBe(3);
  });
});

describe('a subscription’s rate limit', () => {
  test('is the stage default unless the subscription sets one, and is shown', async () => {
    const { create } = limitedWorld();
    expect((await create()).subscription.rateLimit).toBe(50);
    expect((await create('acme', { rateLimit: 2 })).subscription.rateLimit).toBe(2);
  });

  test('above the stage maximum is refused when created or changed, naming the maximum', async () => {
    const { w, deps, create } = limitedWorld();
    const error = await create('acme', { rateLimit: 501 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInput);
    expect((error as InvalidInput).problems).toEqual([
      { pointer: '/body/rateLimit', message: expect.stringMatching(/at most 500 deliveries per second/) },
    ]);
    expect(w.subscriptions.items.size).toBe(0);

    const { subscription } = await create();
    await expect(
      updateSubscription('acme', subscription.id, { rateLimit: 501 }, deps),
    ).rejects.toBeInstanceOf(InvalidInput);
    expect(await updateSubscription('acme', subscription.id, { rateLimit: 500 }, deps)).toMatchObject({
      rateLimit: 500,
    });
  });
});
