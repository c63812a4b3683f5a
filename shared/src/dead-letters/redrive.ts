/**
 * Sending a dead-letter queue's messages back once their cause is fixed.
 *
 * `move`: SQS's message-move API (StartMessageMoveTask) moves them back to the source queue in the
 * background; the answer is the task's handle, ListMessageMoveTasks its progress.
 *
 * `forward` and `resend`: within the request, each body goes again to the queue it was meant for, or
 * the service's Resender sends back what each message stands for:
 * receive a batch (held while it is handled), resend it, delete what was resent, keep the rest held
 * until the end so one pass never sees a message twice, then release them. Resent before deleted, so
 * a crash in between sends a message twice rather than never: every consumer in Herald drops copies.
 */
import type { CatalogEntry } from './catalog';
import type { RedriveReport, RedriveStarted } from './dead-letter-responses.types.generated';
import { CORRELATION_ATTRIBUTE } from '../correlation';
import type { DeadLetter, DeadLetterQueues, QueueAddress, Resender } from './ports';

export const MAX_MESSAGES_PER_SECOND = 500;
/** Held longer than any one request runs (its budget), so a message is never handled twice at once. */
const RESEND_HOLD_SECONDS = 60;

/** The answers of POST …/redrive (dead-letter-responses.schema.json) but for the queue's id, which the route adds. */
export type MoveStarted = Omit<RedriveStarted, 'queue'>;
/** `finished` is false when the pass's budget ran out before the queue had nothing more to give. */
export type ResendReport = Omit<RedriveReport, 'queue'>;

export interface RedriveOptions {
  maxMessagesPerSecond?: number;
  /** Epoch milliseconds by which a resend pass stops taking new batches. */
  deadline: number;
  /** Most messages one resend pass handles. */
  maxMessages: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export async function redrive(
  entry: CatalogEntry,
  queues: DeadLetterQueues,
  options: RedriveOptions,
): Promise<MoveStarted | ResendReport> {
  if (entry.redrive.kind === 'move') {
    const source = entry.source!;
    const taskHandle = await queues.startMove(entry.queue, source, options.maxMessagesPerSecond);
    return {
      kind: 'move',
      taskHandle,
      sourceArn: entry.queue.arn,
      destinationArn: source.arn,
      ...(options.maxMessagesPerSecond !== undefined
        ? { maxMessagesPerSecond: options.maxMessagesPerSecond }
        : {}),
    };
  }
  const resender =
    entry.redrive.kind === 'forward' ? forwarder(entry.target!, queues) : entry.redrive.resender();
  return resendAll(entry.redrive.kind, entry.queue, resender, queues, options);
}

/** Each body to `target` again, with its correlation id; the attributes that said why it failed stay behind. */
export function forwarder(target: QueueAddress, queues: Pick<DeadLetterQueues, 'send'>): Resender {
  return {
    async resend(letters) {
      const refused = await queues.send(
        target,
        letters.map((letter) => {
          const correlationId = letter.attributes[CORRELATION_ATTRIBUTE];
          return { body: letter.body, ...(correlationId !== undefined ? { correlationId } : {}) };
        }),
      );
      const why = new Map(refused.map(({ index, why }) => [index, why]));
      return letters.map((_, index) =>
        why.has(index)
          ? { resent: false, reason: `${target.name} refused it: ${why.get(index)}` }
          : { resent: true },
      );
    },
  };
}

async function resendAll(
  kind: ResendReport['kind'],
  queue: QueueAddress,
  resender: Resender,
  queues: DeadLetterQueues,
  options: RedriveOptions,
): Promise<ResendReport> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now();
  const seen = new Set<string>();
  const held: string[] = [];
  const kept: ResendReport['kept'] = [];
  let resent = 0;
  let finished = false;
  try {
    while (now() < options.deadline && seen.size < options.maxMessages) {
      const rate = options.maxMessagesPerSecond;
      if (rate !== undefined) {
        // No faster than `rate` a second, counted from the start of the pass.
        const due = started + (seen.size / rate) * 1000;
        if (due > now()) await sleep(due - now());
      }
      const batch = await queues.receive(queue, {
        max: Math.min(10, options.maxMessages - seen.size, rate ?? 10),
        holdSeconds: RESEND_HOLD_SECONDS,
        waitSeconds: 1,
      });
      const fresh: DeadLetter[] = [];
      for (const letter of batch) {
        held.push(letter.receipt);
        if (!seen.has(letter.messageId)) fresh.push(letter);
      }
      if (fresh.length === 0) {
        finished = true;
        break;
      }
      for (const letter of fresh) seen.add(letter.messageId);
      let outcomes;
      try {
        outcomes = await resender.resend(fresh);
      } catch (error) {
        // The target is down: nothing more will go this pass.
        const reason = `could not resend: ${(error as Error).name ?? 'Error'}`;
        kept.push(...fresh.map((letter) => ({ messageId: letter.messageId, reason })));
        break;
      }
      const done: string[] = [];
      fresh.forEach((letter, index) => {
        const outcome = outcomes[index] ?? { resent: false, reason: 'no outcome' };
        if (outcome.resent) done.push(letter.receipt);
        else kept.push({ messageId: letter.messageId, reason: outcome.reason });
      });
      if (done.length > 0) {
        await queues.delete(queue, done);
        resent += done.length;
        for (const receipt of done) held.splice(held.indexOf(receipt), 1);
      }
    }
  } finally {
    if (held.length > 0) await queues.release(queue, held);
  }
  const counts = await queues.counts(queue);
  return { kind, resent, kept, finished, approximateNumberOfMessagesRemaining: counts.visible };
}
