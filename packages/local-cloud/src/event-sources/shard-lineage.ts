// Which shards of a DynamoDB stream to read, and when. A shard closes when DynamoDB rolls it over or splits it;
// its children hold the item changes that follow, so a child is read only once its parent has been read to the
// end, which keeps each item's changes in order.
import type { Shard } from '@aws-sdk/client-dynamodb-streams';

export type StartingPosition = 'LATEST' | 'TRIM_HORIZON';

interface TrackedShard {
  parentId: string | undefined;
  startingPosition: StartingPosition;
  state: 'waiting' | 'reading' | 'done';
}

export class ShardLineage {
  private readonly shards = new Map<string, TrackedShard>();
  private described = false;

  constructor(private readonly startingPosition: StartingPosition) {}

  /** Registers the shards a DescribeStream listed that are new; the first call is the mapping's start. */
  add(found: readonly Shard[]): void {
    const initial = !this.described;
    this.described = true;
    for (const shard of found) {
      if (!shard.ShardId || this.shards.has(shard.ShardId)) continue;
      const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
      // LATEST means "from now on": a shard already closed at the start holds nothing newer. Shards that appear
      // later are read from their beginning, or their first records would be lost.
      const skip = initial && this.startingPosition === 'LATEST' && closed;
      this.shards.set(shard.ShardId, {
        parentId: shard.ParentShardId,
        startingPosition: initial ? this.startingPosition : 'TRIM_HORIZON',
        state: skip ? 'done' : 'waiting',
      });
    }
  }

  /** The shards whose turn has come, now counted as being read. */
  takeReady(): Array<{ shardId: string; startingPosition: StartingPosition }> {
    const ready: Array<{ shardId: string; startingPosition: StartingPosition }> = [];
    for (const [shardId, shard] of this.shards) {
      if (shard.state !== 'waiting') continue;
      // A parent the stream no longer lists has been trimmed away: there is nothing left to wait for.
      const parent = shard.parentId === undefined ? undefined : this.shards.get(shard.parentId);
      if (parent && parent.state !== 'done') continue;
      shard.state = 'reading';
      ready.push({ shardId, startingPosition: shard.startingPosition });
    }
    return ready;
  }

  /** The shard is closed and read to its end (or can no longer be read). */
  finished(shardId: string): void {
    const shard = this.shards.get(shardId);
    if (shard) shard.state = 'done';
  }
}
