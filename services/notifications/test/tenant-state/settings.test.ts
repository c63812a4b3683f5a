/**
 * A tenant's settings as notifications keeps them from tenant.settings_updated: the latest by time
 * whatever the order they come in, read through a per-container cache, and the tenant's own daily
 * e-mail cap enforced by deliverEmail's pipeline where the stage's default would allow more.
 */
import { describe, expect, test } from '@jest/globals';
import { emailChannel } from '../../src/delivery/email-channel';
import { deliverTask } from '../../src/delivery/pipeline';
import type { EmailMessage } from '../../src/delivery/ports';
import { applyTenantSettings } from '../../src/tenant-state/apply';
import { cachedTenantSettings, tenantLimit } from '../../src/tenant-state/settings-cache';
import { MemoryTenantState } from '../support/memory';
import { MemoryEmailDays } from '../support/memory-limits';
import { world } from '../support/world';

describe("a tenant's settings in notifications", () => {
  test('the latest write is kept, whatever order the events come in', async () => {
    const store = new MemoryTenantState(world().subscriptions);
    const deps = { store };
    expect(
      await applyTenantSettings('acme', { limits: { dailyEmailCap: 5 } }, '2026-12-01T10:05:00.000Z', deps),
    ).toBe(true);
    expect(
      await applyTenantSettings('acme', { limits: { dailyEmailCap: 9 } }, '2026-12-01T10:00:00.000Z', deps),
    ).toBe(false);
    // The same event again is written again, the same.
    expect(
      await applyTenantSettings('acme', { limits: { dailyEmailCap: 5 } }, '2026-12-01T10:05:00.000Z', deps),
    ).toBe(true);
    expect(await store.settings('acme')).toEqual({ limits: { dailyEmailCap: 5 } });
    expect(await store.settings('globex')).toBeUndefined();
  });

  test('a container reads a tenant once per TTL; the limit is its own, else the stage’s for it, else the default', async () => {
    let clock = 0;
    const reads: string[] = [];
    const kept: Record<string, { limits?: Record<string, number> }> = {
      acme: { limits: { dailyEmailCap: 3 } },
    };
    const settingsOf = cachedTenantSettings(
      async (tenantId) => {
        reads.push(tenantId);
        return kept[tenantId];
      },
      { ttlMs: 30_000, now: () => clock },
    );
    const cap = tenantLimit(
      settingsOf,
      'dailyEmailCap',
      () => 1000,
      () => ({ globex: { dailyEmailCap: 7 } }),
    );
    expect(await cap('acme')).toBe(3);
    expect(await cap('globex')).toBe(7);
    expect(await cap('initech')).toBe(1000);
    kept.acme = { limits: { dailyEmailCap: 4 } };
    clock = 29_999;
    expect(await cap('acme')).toBe(3);
    clock = 30_000;
    expect(await cap('acme')).toBe(4);
    expect(reads).toEqual(['acme', 'globex', 'initech', 'acme']);
  });

  test("deliverEmail holds the mail over the tenant's own cap where the stage's default allows it", async () => {
    const w = world();
    const store = new MemoryTenantState(w.subscriptions);
    await applyTenantSettings('acme', { limits: { dailyEmailCap: 2 } }, '2026-12-01T10:00:00.000Z', {
      store,
    });
    const mails: EmailMessage[] = [];
    const channel = emailChannel({
      async send(message) {
        mails.push(message);
        return { statusCode: 200, durationMs: 1 };
      },
    });
    const limit = tenantLimit(
      cachedTenantSettings((t) => store.settings(t)),
      'dailyEmailCap',
      () => 1000,
      () => ({}),
    );
    const counter = new MemoryEmailDays();
    const deps = () => ({ ...w.deliverDeps('email'), channel, emailCap: { counter, limit } });
    const { subscription } = await w.subscribe({ url: undefined, email: 'ops@acme.example' } as never);
    await w.subscriptions.update('acme', subscription.id, { set: { status: 'active' } });
    for (let i = 0; i < 3; i++) await w.publish(w.keys.sign({ data: { i } }));
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const next = w.queues.take();
      outcomes.push(await deliverTask(next.task, next.messageId, deps()));
    }
    expect(outcomes).toEqual(['succeeded', 'succeeded', 'held']);
    expect(mails).toHaveLength(2);
  });
});
