import { takeCallCounts } from '@herald/shared/aws/call-counter';
import { streamBatchHandler } from '@herald/shared/entry/stream';
import { foldChanges } from '../stats/aggregate';
import type { StatsStore } from '../stats/ports';
import { statsStore } from '../wiring';

/**
 * The deliveries table's stream, folded into the overview's counters: one update per counter item
 * the batch touches. A failed update fails the batch as a whole (the stream delivers it again, and
 * the updates that had been applied count twice: see the README's Overview section).
 */
export function createHandler(deps: () => { stats: Pick<StatsStore, 'apply'> }) {
  return streamBatchHandler(
    async (records) => {
      const updates = foldChanges(records);
      await Promise.all(updates.map((update) => deps().stats.apply(update)));
      return { failed: [], summary: { updates: updates.length } };
    },
    { summary: () => ({ awsCalls: takeCallCounts() }) },
  );
}

export const handler = createHandler(() => ({ stats: statsStore() }));
