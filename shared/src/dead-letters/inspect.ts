/**
 * Looking into dead-letter queues without emptying them: counts, the age of the oldest message, and a
 * sample. A sample is received (which hides it from everyone else for a moment) and released at once,
 * so the messages stay where they are; their receive counts go up, which a dead-letter queue, having
 * no redrive policy of its own, ignores.
 */
import type { CatalogEntry } from './catalog';
import type { QueueSummary } from './dead-letter-responses.types.generated';
import { viewOf, type LetterView } from './letters';
import type { DeadLetter, DeadLetterQueues, MoveTask, QueueCounts } from './ports';

export const MAX_SAMPLE = 10;
export const DEFAULT_SAMPLE = 5;
/** Long enough to receive and release a sample; short, so a crash between the two costs little. */
const PEEK_HOLD_SECONDS = 5;
const PEEK_RECEIVES = 3;

export interface Peek {
  summary: QueueSummary;
  messages: LetterView[];
}

export function describeRedrive(entry: CatalogEntry): QueueSummary['redrive'] {
  if (entry.redrive.kind === 'move')
    return {
      kind: 'move',
      does: `moves the messages back to ${entry.source?.name ?? entry.redrive.source} (SQS StartMessageMoveTask)`,
    };
  if (entry.redrive.kind === 'forward')
    return {
      kind: 'forward',
      does: `sends each message's body to ${entry.target?.name ?? entry.redrive.to} again (SQS SendMessage), then deletes it`,
    };
  return { kind: 'resend', does: entry.redrive.does };
}

function summaryOf(
  entry: CatalogEntry,
  counts: QueueCounts,
  sample: readonly DeadLetter[],
  now: Date,
): QueueSummary {
  // Only a sample's oldest: SQS has no oldest-message attribute (CloudWatch's
  // ApproximateAgeOfOldestMessage is the exact figure).
  const oldest = sample
    .map((letter) => letter.sentAt)
    .filter((sentAt): sentAt is Date => sentAt !== undefined)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  return {
    queue: entry.id,
    name: entry.queue.name,
    arn: entry.queue.arn,
    holds: entry.holds,
    ...(entry.source
      ? {
          source: {
            name: entry.source.name,
            arn: entry.source.arn,
            ...(entry.source.maxReceiveCount !== undefined
              ? { maxReceiveCount: entry.source.maxReceiveCount }
              : {}),
          },
        }
      : {}),
    redrive: describeRedrive(entry),
    approximateNumberOfMessages: counts.visible,
    approximateNumberOfMessagesNotVisible: counts.inFlight,
    approximateNumberOfMessagesDelayed: counts.delayed,
    ...(oldest
      ? {
          oldestSampledSentAt: oldest.toISOString(),
          oldestSampledAgeSeconds: Math.max(0, Math.floor((now.getTime() - oldest.getTime()) / 1000)),
        }
      : {}),
  };
}

/** Up to `max` messages, received and released again. */
export async function sampleOf(
  entry: CatalogEntry,
  queues: DeadLetterQueues,
  max: number,
): Promise<DeadLetter[]> {
  const sample: DeadLetter[] = [];
  try {
    for (let receives = 0; receives < PEEK_RECEIVES && sample.length < max; receives++) {
      // A one-second wait asks every SQS server, not a sample of them, and returns as soon as any answers.
      const batch = await queues.receive(entry.queue, {
        max: max - sample.length,
        holdSeconds: PEEK_HOLD_SECONDS,
        waitSeconds: 1,
      });
      if (batch.length === 0) break;
      sample.push(...batch);
    }
  } finally {
    if (sample.length > 0)
      await queues.release(
        entry.queue,
        sample.map((letter) => letter.receipt),
      );
  }
  return sample;
}

export async function summarise(
  entry: CatalogEntry,
  queues: DeadLetterQueues,
  now: Date,
): Promise<QueueSummary> {
  const counts = await queues.counts(entry.queue);
  const sample = counts.visible > 0 ? await sampleOf(entry, queues, MAX_SAMPLE) : [];
  return summaryOf(entry, counts, sample, now);
}

export async function peek(
  entry: CatalogEntry,
  queues: DeadLetterQueues,
  size: number,
  now: Date,
): Promise<Peek> {
  const counts = await queues.counts(entry.queue);
  const sample = counts.visible > 0 ? await sampleOf(entry, queues, Math.min(size, MAX_SAMPLE)) : [];
  return {
    summary: summaryOf(entry, counts, sample, now),
    messages: sample
      .sort((a, b) => (a.sentAt?.getTime() ?? 0) - (b.sentAt?.getTime() ?? 0))
      .map((letter) => viewOf(letter, entry, now)),
  };
}

/** The move tasks of a `move` queue, newest first; other queues' redrives run within their request. */
export async function redrives(
  entry: CatalogEntry,
  queues: DeadLetterQueues,
): Promise<MoveTask[] | undefined> {
  return entry.redrive.kind === 'move' ? queues.listMoves(entry.queue) : undefined;
}
