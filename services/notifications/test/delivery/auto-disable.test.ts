/**
 * A subscription failing every attempt is disabled once it has been failing for exactly
 * `disableAfterHours`: not a millisecond earlier, and at that very moment rather than later.
 */
import { describe, expect, test } from '@jest/globals';
import { deliverySettings } from '../../src/config';
import { world } from '../support/world';

const HOURS = 120;
const { disableAfterMs } = deliverySettings({ DISABLE_AFTER_HOURS: String(HOURS) });

/** One failed delivery; the clock stands still while it runs (the receiver answers in 0 ms). */
async function failOnce(w: ReturnType<typeof world>) {
  w.answers.push({ statusCode: 500, durationMs: 0 });
  await w.publish(w.keys.sign());
  expect(await w.run()).toBe('failed');
}

/** A subscription whose first failure was at `failingSince`, failing again `afterMs` later. */
async function failingFor(afterMs: number) {
  const w = world({ schedule: [0], disableAfterMs });
  const { subscription } = await w.subscribe();
  await failOnce(w);
  const { failingSince } = (await w.subscriptions.get('acme', subscription.id))!;
  w.advance((Date.parse(failingSince!) + afterMs - w.now().getTime()) / 1000);
  await failOnce(w);
  return { w, after: (await w.subscriptions.get('acme', subscription.id))! };
}

describe(`disableAfterHours (${HOURS} h)`, () => {
  test('is read as hours', () => {
    expect(disableAfterMs).toBe(HOURS * 3_600_000);
  });

  test('a failure 1 ms before the limit leaves the subscription active', async () => {
    const { w, after } = await failingFor(disableAfterMs - 1);
    expect(after).toMatchObject({ status: 'active', consecutiveFailures: 2 });
    expect(w.bus.types()).not.toContain('subscription.disabled');
  });

  test('a failure exactly at the limit disables it and says so on the bus', async () => {
    const { w, after } = await failingFor(disableAfterMs);
    expect(after).toMatchObject({
      status: 'disabled',
      disabledReason: `every attempt has failed since ${after.failingSince}`,
      disabledAt: w.now().toISOString(),
    });
    expect(w.bus.types().filter((type) => type === 'subscription.disabled')).toHaveLength(1);
  });
});
