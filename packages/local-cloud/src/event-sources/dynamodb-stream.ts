// A DynamoDB stream event source mapping: one reader per shard, started when the shard's lineage allows, and new
// shards found by describing the stream again from time to time and whenever a shard closes.
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { compilePattern } from '@herald/event-pattern';
import { REGION } from '../aws';
import type { FunctionInvoker, StreamMapping } from '../types';
import { describeError, isDisabled, noopHandle, sleep, type EventSourceHandle, type Log } from './common';
import { processShard, type ShardContext, type ShardTiming } from './dynamodb-shard';
import { ShardLineage } from './shard-lineage';

export interface StreamMappingDeps {
  streams: DynamoDBStreamsClient;
  invoker: FunctionInvoker;
  log: Log;
}

export interface StreamMappingOptions extends Partial<ShardTiming> {
  /** How often to look for new shards (DynamoDB opens new ones as it rolls shards over). */
  shardDiscoveryIntervalMs?: number;
}

/**
 * Lambda applies each filter pattern to the record as the function would receive it (`eventName`, `dynamodb`…);
 * a record is delivered when any pattern matches, and every record when there are none.
 */
export function recordFilter(patterns: readonly unknown[]): (record: DynamoDBRecord) => boolean {
  const matchers = patterns.map((pattern) => compilePattern(pattern));
  return matchers.length === 0 ? () => true : (record) => matchers.some((matches) => matches(record));
}

export async function startStreamMapping(
  mapping: StreamMapping,
  deps: StreamMappingDeps,
  options: StreamMappingOptions = {},
): Promise<EventSourceHandle> {
  const { streams, invoker, log } = deps;
  const name = `stream ${mapping.streamArn} → ${mapping.functionName}`;
  if (isDisabled(mapping, name, log)) return noopHandle;
  const controller = new AbortController();
  const { signal } = controller;
  const ctx: ShardContext = {
    mapping,
    streams,
    invoker,
    log,
    name,
    awsRegion: REGION,
    // An invalid pattern throws here, as CreateEventSourceMapping rejects it.
    matches: recordFilter(mapping.filterPatterns),
    timing: {
      // Lambda polls DynamoDB stream shards four times a second.
      pollIntervalMs: options.pollIntervalMs ?? 250,
      retryBackoffMs: options.retryBackoffMs ?? { initial: 500, max: 30_000 },
      errorBackoffMs: options.errorBackoffMs ?? 1000,
    },
    signal,
  };
  const discoveryIntervalMs = options.shardDiscoveryIntervalMs ?? 10_000;
  const lineage = new ShardLineage(mapping.startingPosition);
  const readers = new Set<Promise<void>>();

  async function describeShards(): Promise<Shard[]> {
    const all: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const out = await streams.send(
        new DescribeStreamCommand({
          StreamArn: mapping.streamArn,
          ExclusiveStartShardId: exclusiveStartShardId,
        }),
        { abortSignal: signal },
      );
      all.push(...(out.StreamDescription?.Shards ?? []));
      exclusiveStartShardId = out.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return all;
  }

  function startReadyShards(): void {
    if (signal.aborted) return;
    for (const { shardId, startingPosition } of lineage.takeReady()) {
      const reader: Promise<void> = processShard(ctx, shardId, startingPosition)
        .catch((error: unknown) => log.error(`${name}: shard ${shardId} stopped: ${describeError(error)}`))
        .finally(() => {
          lineage.finished(shardId);
          readers.delete(reader);
          // A closed shard has children by now; look for them rather than wait for the next round.
          if (!signal.aborted) void discover();
        });
      readers.add(reader);
    }
  }

  // One discovery at a time, so two rounds never race to register the same shard.
  let discovery: Promise<void> = Promise.resolve();
  function discover(initial = false): Promise<void> {
    discovery = discovery.then(async () => {
      try {
        const found = await describeShards();
        if (signal.aborted) return;
        lineage.add(found);
        startReadyShards();
      } catch (error) {
        if (initial) throw error;
        if (!signal.aborted) log.error(`${name}: DescribeStream failed (${describeError(error)})`);
      }
    });
    return discovery;
  }

  // The first description happens before start resolves: a stream that does not exist is an error to the caller.
  await discover(true);
  const rediscovering = (async () => {
    while (!signal.aborted) {
      await sleep(discoveryIntervalMs, signal);
      if (!signal.aborted) await discover();
    }
  })();

  return {
    async stop() {
      controller.abort();
      await rediscovering;
      await discovery.catch(() => undefined);
      while (readers.size > 0) await Promise.allSettled([...readers]);
    },
  };
}
