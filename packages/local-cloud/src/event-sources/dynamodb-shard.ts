// Reading one shard of a DynamoDB stream for a Lambda event source mapping: records in order, filtered, batched,
// and a failed batch retried (the shard waits) until it succeeds or its retries run out, as "DynamoDB Streams and
// Lambda: error handling" and "partial batch responses" describe. The checkpoint lives in memory only.
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { FunctionError } from '../types';
import type { FunctionInvoker, StreamMapping } from '../types';
import { readBatchResponse } from './batch-response';
import { describeError, sleep, type Log } from './common';
import { toDynamoDBRecord } from './dynamodb-event';

export interface ShardTiming {
  /** The least time from one read of the shard to the next, whether the last read found records or not. */
  pollIntervalMs: number;
  /** Backoff before retrying a failed batch: doubles from `initial` up to `max`. */
  retryBackoffMs: { initial: number; max: number };
  /** Pause after a failed stream API call, or an invocation that could not be made. */
  errorBackoffMs: number;
}

export interface ShardContext {
  mapping: StreamMapping;
  streams: DynamoDBStreamsClient;
  invoker: FunctionInvoker;
  log: Log;
  /** For log lines: which mapping this is. */
  name: string;
  awsRegion: string;
  /** True when the mapping's filter criteria let the record through. */
  matches(record: DynamoDBRecord): boolean;
  timing: ShardTiming;
  signal: AbortSignal;
}

/** GetRecords returns at most 1,000 records a call. */
const MAX_RECORDS_PER_READ = 1000;

type Outcome =
  | { kind: 'success' }
  | { kind: 'partial'; retryFrom: number }
  /** `ran`: the function ran and failed; otherwise it could not be invoked at all. */
  | { kind: 'failure'; ran: boolean };

const sequenceOf = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber ?? '';

/** Resolves when the shard is closed and fully processed, or when the mapping stops. */
export async function processShard(
  ctx: ShardContext,
  shardId: string,
  startingPosition: 'LATEST' | 'TRIM_HORIZON',
): Promise<void> {
  const { mapping, streams, invoker, log, timing, signal } = ctx;
  const name = `${ctx.name} (${shardId})`;
  const batchSize = Math.max(1, mapping.batchSize);
  const windowMs = mapping.maximumBatchingWindowInSeconds * 1000;

  let start: ShardIteratorType = startingPosition;
  /** The last record read from the shard, delivered or filtered out: where a fresh iterator resumes. */
  let lastRead: string | undefined;
  /** undefined: an iterator is needed; null: the shard is closed and read to its end. */
  let iterator: string | null | undefined;
  /** Read and let through by the filters, not yet handled. */
  const pending: DynamoDBRecord[] = [];
  /** When the last GetRecords was sent. */
  let lastReadAt = Number.NEGATIVE_INFINITY;

  /** One GetRecords (and a shard iterator first when one is needed). */
  async function read(): Promise<void> {
    if (iterator === null) return;
    try {
      if (iterator === undefined) {
        const out = await streams.send(
          new GetShardIteratorCommand({
            StreamArn: mapping.streamArn,
            ShardId: shardId,
            ...(lastRead === undefined
              ? { ShardIteratorType: start }
              : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: lastRead }),
          }),
          { abortSignal: signal },
        );
        iterator = out.ShardIterator ?? null;
        if (iterator === null) return;
      }
      // Lambda reads a shard at a base rate of four times a second and, after an invocation, "resumes
      // polling" at that rate: what was written while a batch ran waits for the next read and goes in one
      // batch, rather than the shard being read again the moment each invocation returns.
      await sleep(lastReadAt + timing.pollIntervalMs - Date.now(), signal);
      if (signal.aborted) return;
      lastReadAt = Date.now();
      const out = await streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: MAX_RECORDS_PER_READ }),
        { abortSignal: signal },
      );
      iterator = out.NextShardIterator ?? null;
      const records = out.Records ?? [];
      for (const raw of records) {
        lastRead = raw.dynamodb?.SequenceNumber ?? lastRead;
        const record = toDynamoDBRecord(raw, mapping.streamArn, ctx.awsRegion);
        // Records no filter matches are dropped, and the checkpoint moves past them.
        if (ctx.matches(record)) pending.push(record);
      }
    } catch (error) {
      if (signal.aborted) return;
      const kind = error instanceof Error ? error.name : '';
      if (kind === 'ExpiredIteratorException') {
        iterator = undefined;
        return;
      }
      if (kind === 'TrimmedDataAccessException') {
        log.warn(`${name}: records past their retention were trimmed; resuming at the oldest record kept`);
        [start, lastRead, iterator] = ['TRIM_HORIZON', undefined, undefined];
        return;
      }
      if (kind === 'ResourceNotFoundException') {
        log.warn(`${name}: the shard or stream is gone (${describeError(error)}); stopping this shard`);
        iterator = null;
        return;
      }
      log.error(`${name}: reading the stream failed (${describeError(error)}); retrying`);
      await sleep(timing.errorBackoffMs, signal);
      return;
    }
  }

  /**
   * Fill `pending` up to a batch. Without a batching window a batch goes as soon as any record passes the
   * filters; with one, reading goes on until the batch is full or the window (from the first record) closes.
   */
  async function gather(): Promise<void> {
    let windowOpened: number | undefined;
    while (!signal.aborted && iterator !== null && pending.length < batchSize) {
      if (pending.length > 0) {
        windowOpened ??= Date.now();
        if (Date.now() - windowOpened >= windowMs) return;
      }
      await read();
    }
  }

  async function invoke(records: DynamoDBRecord[]): Promise<Outcome> {
    let result: unknown;
    try {
      result = await invoker.invoke(mapping.functionName, { Records: records });
    } catch (error) {
      log.warn(`${name}: invocation with ${records.length} record(s) failed (${describeError(error)})`);
      return { kind: 'failure', ran: error instanceof FunctionError };
    }
    if (!mapping.reportBatchItemFailures) return { kind: 'success' };
    const sequences = records.map(sequenceOf);
    const response = readBatchResponse(result, new Set(sequences));
    if (!response.valid) {
      log.warn(`${name}: invalid partial batch response (${response.reason}); the whole batch failed`);
      return { kind: 'failure', ran: true };
    }
    if (response.failedIds.length === 0) return { kind: 'success' };
    // Lambda checkpoints before the failure with the lowest sequence number and retries from there.
    const retryFrom = Math.min(...response.failedIds.map((id) => sequences.indexOf(id)));
    log.info(`${name}: function reported a failure at ${sequences[retryFrom]}; retrying from that record`);
    return { kind: 'partial', retryFrom };
  }

  /** Delivers one batch; the shard waits until it succeeds, or its retries run out and it is dropped. */
  async function deliver(batch: DynamoDBRecord[]): Promise<void> {
    let records = batch;
    let retries = 0;
    while (records.length > 0 && !signal.aborted) {
      const outcome = await invoke(records);
      if (outcome.kind === 'success') return;
      if (outcome.kind === 'partial') {
        records = records.slice(outcome.retryFrom);
      } else if (!outcome.ran) {
        // Lambda keeps trying to invoke (throttled, unreachable) without spending the batch's retries.
        await sleep(timing.errorBackoffMs, signal);
        continue;
      } else if (mapping.bisectBatchOnFunctionError && records.length > 1) {
        // Splitting a batch does not use up a retry; the second half waits its turn at the head of the shard.
        const half = Math.ceil(records.length / 2);
        pending.unshift(...records.slice(half));
        records = records.slice(0, half);
        continue;
      }
      if (mapping.maximumRetryAttempts !== -1 && retries >= mapping.maximumRetryAttempts) {
        const dropped = records.map((record) => `${record.eventID} (${sequenceOf(record)})`).join(', ');
        log.error(
          `${name}: retries exhausted after ${retries}; dropped ${records.length} record(s): ${dropped}`,
        );
        return;
      }
      retries += 1;
      const { initial, max } = timing.retryBackoffMs;
      await sleep(Math.min(max, initial * 2 ** (retries - 1)), signal);
    }
  }

  while (!signal.aborted) {
    await gather();
    if (signal.aborted) return;
    if (pending.length === 0) {
      if (iterator === null) return;
      continue;
    }
    await deliver(pending.splice(0, batchSize));
  }
}
