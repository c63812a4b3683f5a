/**
 * A replay window's times pass JSON Schema's date-time, which admits a leap second (23:59:60) that
 * no Date holds: such a window is refused naming the field (422), never a 500.
 */
import { expect, test } from '@jest/globals';
import { requestReplay } from '../../src/history/replay';
import { InvalidInput } from '../../src/problems';
import { world } from '../support/world';

test.each([
  [{ since: '2016-12-31T23:59:60Z' }, ['/body/since']],
  [{ since: '2026-01-01T00:00:00Z', until: '2016-12-31T23:59:60Z' }, ['/body/until']],
  [{ since: '2016-12-31T23:59:60Z', until: '2016-12-31T23:59:60.5Z' }, ['/body/since', '/body/until']],
])('%j is refused, naming %j', async (window, pointers) => {
  const w = world();
  const { subscription } = await w.subscribe();
  const replay = requestReplay('acme', subscription.id, window, {
    subscriptions: w.subscriptions,
    jobs: { send: (job) => w.queues.sendJob(job) },
    now: w.now,
    newId: () => 'rp-1',
    correlationId: 'corr-replay',
    retentionDays: 7,
    replays: w.usage,
    maxWindowHours: 24,
    tenantLimits: w.subscriptionDeps.tenantLimits,
  });
  const refused = await replay.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(InvalidInput);
  expect((refused as InvalidInput).problems.map((p) => p.pointer)).toEqual(pointers);
  expect(w.queues.jobs).toEqual([]);
});
