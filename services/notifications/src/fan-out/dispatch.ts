/**
 * Fan-out: an event stored by processing arrives from the bus; once its signature verifies, it is
 * kept (for replay) and one delivery task per matching subscription is queued. The same queue
 * carries the jobs that page through stored events (replay) and held deliveries (see jobs.ts).
 */
import {
  BusDetailError,
  EnvelopePattern,
  eventStoredCodec,
  parseBusEvent,
  storedEnvelope,
  type Envelope,
} from '@herald/shared/contracts';
import { SignatureError } from '@herald/shared/signing';
import { checkJob, isDispatchJob } from '../model/delivery-task';
import { laneOf } from '../model/lanes';
import { eventSortKey } from '../model/table-keys';
import { subscriptionsMatching } from './content-filter';
import { runJob, type JobResult } from './jobs';
import { orderedTasks } from './ordered';
import type { DispatchDeps } from './ports';
import { startTask } from './start-task';

/** The bus event was not a verifiable stored event: it must not be fanned out. */
export class RejectedEvent extends Error {
  override readonly name = 'RejectedEvent';
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export type DispatchResult =
  { kind: 'event'; tenantId: string; eventId: string; type: string; tasks: number } | JobResult;

/**
 * The correlation id a dispatch message carries in its body (a bus event's envelope, or a job), so
 * that fan-out logs under the id of the request that sent the event: the bus → queue hop carries no
 * message attributes. Unverified here; the entry keeps only a safe id and the envelope is checked later.
 */
export function correlationInBody(body: string): string | undefined {
  const message = JSON.parse(body) as { detail?: { correlationid?: unknown }; correlationId?: unknown };
  const id = message?.detail?.correlationid ?? message?.correlationId;
  return typeof id === 'string' ? id : undefined;
}

/** Handles one message of the dispatch queue: a stored event from the bus, or a job. */
export async function dispatchMessage(body: string, deps: DispatchDeps): Promise<DispatchResult> {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    throw new RejectedEvent('malformed', 'The message is not JSON');
  }
  if (isDispatchJob(message)) return runJob(checkJob(message), deps);
  return fanOut(message, deps);
}

async function fanOut(message: unknown, deps: DispatchDeps): Promise<DispatchResult> {
  const event = message as {
    id?: unknown;
    source?: unknown;
    'detail-type'?: unknown;
    detail?: unknown;
    time?: unknown;
  };
  let envelope: Envelope;
  let sequence: { number: number; previousTime?: string } | undefined;
  try {
    // Dispatch takes event.stored alone: any other detail type is unknown to it (and its validator
    // stays out of this function's bundle).
    const parsed = parseBusEvent(
      {
        source: String(event.source),
        'detail-type': String(event['detail-type']),
        detail: event.detail,
      },
      [eventStoredCodec],
    );
    // Processing could be impersonated on the bus; ingest's signature cannot. The subject's sequence
    // beside the envelope is processing's, unsigned: the envelope is verified without it.
    const stored = storedEnvelope(parsed.detail);
    envelope = deps.verifier.verify(stored.envelope);
    sequence = stored.sequence;
  } catch (error) {
    if (error instanceof BusDetailError || error instanceof SignatureError) {
      throw new RejectedEvent(error instanceof SignatureError ? error.reason : error.reason, error.message);
    }
    throw error;
  }

  const now = deps.now();
  // One spelling (with milliseconds) so stored events sort by time and replay ranges compare exactly.
  const busTime =
    typeof event.time === 'string' && EnvelopePattern.time.test(event.time)
      ? new Date(event.time).toISOString()
      : now.toISOString();
  const tenantId = envelope.tenantid;
  // What ordering by subject needs of the event: its subject and the sequence beside it.
  const ordering =
    deps.order && sequence !== undefined && envelope.subject !== undefined
      ? { store: deps.order, subject: envelope.subject, sequence }
      : undefined;
  const eventKey = eventSortKey(busTime, envelope.id);
  // Kept whether or not anyone subscribes now: a subscription made later can replay it.
  const [, subscriptions] = await Promise.all([
    deps.events.put({
      tenantId,
      eventKey,
      envelope,
      expiresAt: Math.floor(now.getTime() / 1000) + deps.retentionDays * 86400,
    }),
    deps.subscriptions.all(tenantId),
  ]);
  // Paused subscriptions get tasks too: deliver puts them on hold, in one place, with the race
  // against a resume settled by a conditional write. So do disabled ones ordered by subject, whose
  // events wait for a resume rather than go undelivered (ordered.ts).
  const matching = subscriptionsMatching(
    subscriptions.filter(
      (s) => s.status !== 'disabled' || (s.ordering === 'subject' && ordering !== undefined),
    ),
    envelope,
  );
  const facts = {
    tenantId,
    eventId: envelope.id,
    eventType: envelope.type,
    eventKey,
    correlationId: envelope.correlationid,
  };
  const tasks = matching.map((subscription) => ({
    subscription,
    task: startTask(envelope, facts, subscription, { reason: 'dispatch', id: 'dispatch' }),
    lane: laneOf(subscription),
  }));
  // Subscriptions ordered by subject take an event with a subject and sequence in its turn (ordered.ts);
  // without any, nothing more is read or written.
  const ordered = ordering
    ? await orderedTasks(
        {
          tenantId,
          // EventBridge's id of the event, else the envelope's: the same when the message comes back.
          busEventId: typeof event.id === 'string' && event.id !== '' ? event.id : envelope.id,
          subject: ordering.subject,
          sequence: ordering.sequence.number,
          storedAt: busTime,
          ...(ordering.sequence.previousTime === undefined
            ? {}
            : { previousStoredAt: ordering.sequence.previousTime }),
          expiresAt: Math.floor(now.getTime() / 1000) + deps.retentionDays * 86400,
        },
        subscriptions,
        tasks,
        { order: ordering.store, queue: deps.queue },
      )
    : undefined;
  await deps.queue.sendTasks(ordered ? ordered.unordered : tasks);
  return { kind: 'event', tenantId, eventId: envelope.id, type: envelope.type, tasks: matching.length };
}
