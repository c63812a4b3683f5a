/**
 * Batch calls that AWS answers 200 with some entries failed: the SDK does not retry those, so the
 * caller's own code must. A partial fault forwards only the surviving entries to the emulator and
 * adds the others to its answer as failed, in the service's words:
 *
 *   SQS SendMessageBatch   Failed: [{ Id, SenderFault: false, Code: InternalError }]
 *   EventBridge PutEvents  Entries[i] = { ErrorCode: ThrottlingException | InternalFailure }, FailedEntryCount
 */
import type { FaultyService } from './config';

export interface PartialFault {
  /** The request to forward, or undefined when every entry fails (nothing reaches the emulator). */
  forward: Buffer | undefined;
  /** How many entries were failed. */
  failed: number;
  /** The answer to give: the emulator's (for the forwarded entries) with the failed ones merged in. */
  answer(upstream: { status: number; body: Buffer } | undefined): { status: number; body: string };
}

type Json = Record<string, unknown>;

/** Each entry fails with even odds, at least one. */
function chooseFailed(count: number, random: () => number): Set<number> {
  const failed = new Set<number>();
  for (let i = 0; i < count; i++) if (random() < 0.5) failed.add(i);
  if (failed.size === 0) failed.add(Math.floor(random() * count));
  return failed;
}

function parse(body: Buffer): Json | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

const MESSAGE = 'injected by the local cloud';

/** Forwards the surviving entries; `merge` adds the failed ones to the emulator's answer. */
function failing(
  request: Json,
  entries: Json[],
  failed: Set<number>,
  merge: (out: Json) => Json,
): PartialFault {
  const kept = entries.filter((_, i) => !failed.has(i));
  return {
    forward: kept.length > 0 ? Buffer.from(JSON.stringify({ ...request, Entries: kept })) : undefined,
    failed: failed.size,
    answer(upstream) {
      if (upstream && upstream.status !== 200)
        return { status: upstream.status, body: upstream.body.toString() };
      return { status: 200, body: JSON.stringify(merge((upstream && parse(upstream.body)) ?? {})) };
    },
  };
}

function sqsSendMessageBatch(request: Json, entries: Json[], failed: Set<number>): PartialFault {
  const failures = entries
    .filter((_, i) => failed.has(i))
    .map((entry) => ({ Id: entry.Id, SenderFault: false, Code: 'InternalError', Message: MESSAGE }));
  return failing(request, entries, failed, (out) => ({
    ...out,
    Successful: (out.Successful as unknown[] | undefined) ?? [],
    Failed: [...((out.Failed as unknown[] | undefined) ?? []), ...failures],
  }));
}

function putEvents(request: Json, entries: Json[], failed: Set<number>, random: () => number): PartialFault {
  const failure = () =>
    random() < 0.5
      ? { ErrorCode: 'ThrottlingException', ErrorMessage: `Rate exceeded (${MESSAGE})` }
      : { ErrorCode: 'InternalFailure', ErrorMessage: `An internal error occurred (${MESSAGE})` };
  return failing(request, entries, failed, (out) => {
    const results = [...((out.Entries as Json[] | undefined) ?? [])];
    // PutEvents answers one result per entry, in request order.
    const merged = entries.map((_, i) => (failed.has(i) ? failure() : (results.shift() ?? failure())));
    return {
      ...out,
      FailedEntryCount: merged.filter((entry) => 'ErrorCode' in entry).length,
      Entries: merged,
    };
  });
}

/** A partial fault for this call, or undefined when the call is not a batch that can fail by entry. */
export function partialFault(
  service: FaultyService,
  operation: string,
  body: Buffer,
  random: () => number,
): PartialFault | undefined {
  const isSqsBatch = service === 'sqs' && operation === 'SendMessageBatch';
  const isPutEvents = service === 'events' && operation === 'PutEvents';
  if (!isSqsBatch && !isPutEvents) return undefined;
  const request = parse(body);
  const entries = request?.Entries;
  if (!request || !Array.isArray(entries) || entries.length === 0) return undefined;
  const failed = chooseFailed(entries.length, random);
  return isSqsBatch
    ? sqsSendMessageBatch(request, entries as Json[], failed)
    : putEvents(request, entries as Json[], failed, random);
}

/** Whether a call can take a partial fault (so the fault mix offers one). */
export const canFailByEntry = (service: FaultyService, operation: string, protocol: string): boolean =>
  protocol === 'json' &&
  ((service === 'sqs' && operation === 'SendMessageBatch') ||
    (service === 'events' && operation === 'PutEvents'));
