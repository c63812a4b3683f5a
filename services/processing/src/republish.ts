/**
 * Redrive of the publish and bus dead-letter queues, whose messages SQS's message-move API cannot move
 * (no SQS queue feeds them): each message names a stored event (a publish dead letter by tenant and
 * event id, a bus dead letter by the event itself, whose detail is the envelope), which is read from the
 * events table and put on the bus again exactly as publish puts it. What reaches the bus is always
 * what the table holds, never a dead letter's own copy: only verified, stored events are published.
 * Publishing stays at least once; consumers drop copies by (tenantid, id).
 */
import type { DeadLetter, Resender, ResendOutcome } from '@herald/shared/dead-letters/ports';
import { eventKey, type EventKey, type StoredEvent } from './events-table';
import {
  entryBytes,
  fitsOnTheBus,
  toBusEntry,
  toCalls,
  type BusEntry,
  type EventBus,
} from './publish-events';

export interface StoredEvents {
  get(key: EventKey): Promise<StoredEvent | undefined>;
}

export interface RepublishDeps {
  events: StoredEvents;
  bus: EventBus;
  /** Publish the subject's sequence beside the envelope, as publish does (PublishDeps.subjectSequence). */
  subjectSequence?: boolean;
}

export const REPUBLISH_DOES =
  'puts the stored event each message names on the bus again, read from the events table, as publish does';

type Named = { tenantId: string; eventId: string } | { kept: string };

const text = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** The stored event a dead letter names, or why it names none that can be published. */
export function namedEvent(letter: Pick<DeadLetter, 'body'>): Named {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(letter.body) as Record<string, unknown>;
  } catch {
    return { kept: 'not JSON: names no stored event' };
  }
  if (typeof body !== 'object' || body === null) return { kept: 'names no stored event' };
  // Lambda's record of a stream batch whose retries ran out: a range of the stream, not events.
  const batch = body.DDBStreamBatchInfo as Record<string, unknown> | undefined;
  if (batch)
    return {
      kept:
        `a stream batch (shard ${String(batch.shardId)}, sequence numbers ${String(batch.startSequenceNumber)} ` +
        `to ${String(batch.endSequenceNumber)}): its events are in the table but the record does not name them`,
    };
  // The bus's own dead letter: the event, with the stored envelope as its detail.
  const detail = body.detail as Record<string, unknown> | undefined;
  if (body['detail-type'] !== undefined) {
    return text(detail?.tenantid) && text(detail?.id)
      ? { tenantId: detail.tenantid, eventId: detail.id }
      : { kept: 'a bus event whose detail is not a stored envelope' };
  }
  // Publish's own dead letter (publish-events.ts DeadLetter).
  if (body.reason === 'too-large') return { kept: 'too large for the bus: it can never be published' };
  if (body.reason === 'unreadable-record') return { kept: 'the stored item could not be read as an event' };
  if (text(body.tenantId) && text(body.eventId)) return { tenantId: body.tenantId, eventId: body.eventId };
  return { kept: 'names no stored event' };
}

interface Pending {
  index: number;
  entry: BusEntry;
  bytes: number;
}

export function republisher(deps: RepublishDeps): Resender {
  return {
    async resend(letters) {
      const outcomes: ResendOutcome[] = letters.map(() => ({ resent: false, reason: 'not tried' }));
      const pending: Pending[] = [];
      await Promise.all(
        letters.map(async (letter, index) => {
          const named = namedEvent(letter);
          if ('kept' in named) return void (outcomes[index] = { resent: false, reason: named.kept });
          const stored = await deps.events.get(eventKey(named.tenantId, named.eventId));
          if (!stored)
            return void (outcomes[index] = { resent: false, reason: 'not in the events table (expired?)' });
          const withSequence = (deps.subjectSequence ?? false) && stored.subjectSequence !== undefined;
          if (!fitsOnTheBus(stored.envelope, withSequence))
            return void (outcomes[index] = { resent: false, reason: 'too large for the bus' });
          pending.push({
            index,
            entry: toBusEntry(stored, withSequence),
            bytes: entryBytes(stored.envelope, withSequence),
          });
        }),
      );
      pending.sort((a, b) => a.index - b.index);
      for (const call of toCalls(pending)) {
        const results = await deps.bus.put(call.map((item) => item.entry));
        call.forEach((item, position) => {
          const result = results[position];
          outcomes[item.index] = result?.ok
            ? { resent: true }
            : {
                resent: false,
                reason: `the bus refused it: ${result?.ok === false ? result.code : 'no result'}`,
              };
        });
      }
      return outcomes;
    },
  };
}
