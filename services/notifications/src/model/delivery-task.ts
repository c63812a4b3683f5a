/**
 * Messages on the notifications queues. The delivery queues carry one task per (event,
 * subscription) attempt; the dispatch queue carries the bus's events and the jobs that page through
 * stored events (replay) or held deliveries (release on resume).
 *
 * A task either starts a run of attempts (`start`: the first delivery, a redelivery, a replay, a
 * release) or continues one (`run`, `attempt`). Runs make every way of re-sending safe to repeat:
 * a task of a superseded run, or a second copy of one already taken, is recognised and dropped.
 */
import { EnvelopePattern, type Envelope } from '@herald/shared/contracts';
import type { PageKey } from './pages';
import { DELIVERY_ID } from './table-keys';
import type { SubscriptionKind } from './subscription';

export type StartReason = 'dispatch' | 'redeliver' | 'replay' | 'release';

export interface DeliveryTask {
  v: 1;
  tenantId: string;
  subscriptionId: string;
  kind: SubscriptionKind;
  deliveryId: string;
  eventId: string;
  eventType: string;
  /** Sort key of the stored event, to load the envelope when it is not inline. */
  eventKey: string;
  correlationId: string;
  /** 1-based attempt within the run. */
  attempt: number;
  /** The run this attempt belongs to; absent on a task that starts a run. */
  run?: number;
  start?: { reason: StartReason; id: string };
  /** Inline when small; otherwise loaded from the deliveries table. */
  envelope?: Envelope;
  /** RFC 3339: not to be attempted before this (delays longer than SQS's 15 minutes hop). */
  notBefore?: string;
  hops?: number;
  /**
   * `notBefore` is the delivery slot this attempt reserved under the subscription's rate limit (see
   * delivery/pace.ts): it waits for it without reserving another, and the wait is not a hop.
   */
  paced?: true;
  /** The SQS message id that claimed the delivery before it was moved to the slow lane. */
  forwardedFrom?: string;
  /**
   * The event's place in its subject's order, for a subscription ordered by subject
   * (ordering/subject-order.ts): kept on the delivery, which settles it when it ends.
   */
  order?: { line: string; sequence: number };
}

export type DispatchJob =
  | {
      v: 1;
      job: 'replay';
      id: string;
      tenantId: string;
      subscriptionId: string;
      since: string;
      until: string;
      correlationId: string;
      cursor?: PageKey;
    }
  | {
      v: 1;
      job: 'release';
      id: string;
      tenantId: string;
      subscriptionId: string;
      correlationId: string;
      cursor?: PageKey;
    };

export class InvalidTask extends Error {
  override readonly name = 'InvalidTask';
}

const ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** ordering/subject-order.ts's orderLine: 32 characters of base64url. */
const ORDER_LINE = /^[A-Za-z0-9_-]{32}$/;
const TIME = EnvelopePattern.time;

function str(value: unknown, pattern: RegExp, field: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new InvalidTask(`task ${field} is invalid`);
  return value;
}

function positive(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidTask(`task ${field} is invalid`);
  }
  return value;
}

/** Checks a task read from a queue; the envelope inside is checked (and its signature verified) later. */
/**
 * What a log line says of a task: which delivery, which attempt of which run, or what started the
 * run. Ids only, never the envelope.
 */
export function taskFields(task: DeliveryTask): Record<string, string | number> {
  return {
    deliveryId: task.deliveryId,
    attempt: task.attempt,
    ...(task.run === undefined ? {} : { run: task.run }),
    ...(task.start ? { start: task.start.reason } : {}),
    ...(task.forwardedFrom ? { forwardedFrom: task.forwardedFrom } : {}),
  };
}

export function parseTask(body: string): DeliveryTask {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(body) as Record<string, unknown>;
  } catch {
    throw new InvalidTask('task is not JSON');
  }
  if (typeof value !== 'object' || value === null || value.v !== 1)
    throw new InvalidTask('task version is not 1');
  str(value.tenantId, EnvelopePattern.tenantid, 'tenantId');
  str(value.subscriptionId, ID, 'subscriptionId');
  // The delivery's id in its API (GET …/deliveries, POST /v1/deliveries/{id}/redeliver): one of another
  // form would be stored as a delivery no route can name.
  str(value.deliveryId, DELIVERY_ID, 'deliveryId');
  str(value.eventId, EnvelopePattern.id, 'eventId');
  str(value.eventType, EnvelopePattern.type, 'eventType');
  str(value.eventKey, /^EVT#/, 'eventKey');
  str(value.correlationId, EnvelopePattern.correlationid, 'correlationId');
  if (value.kind !== 'webhook' && value.kind !== 'email' && value.kind !== 'aws')
    throw new InvalidTask('task kind is invalid');
  positive(value.attempt, 'attempt');
  if (value.run !== undefined) positive(value.run, 'run');
  const start = value.start as { reason?: unknown; id?: unknown } | undefined;
  if (start !== undefined) {
    if (!['dispatch', 'redeliver', 'replay', 'release'].includes(start.reason as string)) {
      throw new InvalidTask('task start reason is invalid');
    }
    str(start.id, ID, 'start id');
  }
  if ((value.run === undefined) === (start === undefined)) {
    throw new InvalidTask('a task either starts a run or continues one');
  }
  if (value.notBefore !== undefined) str(value.notBefore, TIME, 'notBefore');
  if (value.paced !== undefined && (value.paced !== true || value.notBefore === undefined)) {
    throw new InvalidTask('task paced is invalid');
  }
  if (value.forwardedFrom !== undefined) str(value.forwardedFrom, ID, 'forwardedFrom');
  if (value.order !== undefined) {
    const order = value.order as { line?: unknown; sequence?: unknown };
    str(order.line, ORDER_LINE, 'order line');
    positive(order.sequence, 'order sequence');
  }
  return value as unknown as DeliveryTask;
}

export function isDispatchJob(value: unknown): value is DispatchJob {
  const job = (value as { job?: unknown } | null)?.job;
  return (value as { v?: unknown } | null)?.v === 1 && (job === 'replay' || job === 'release');
}

export function checkJob(job: DispatchJob): DispatchJob {
  str(job.id, ID, 'job id');
  str(job.tenantId, EnvelopePattern.tenantid, 'job tenantId');
  str(job.subscriptionId, ID, 'job subscriptionId');
  str(job.correlationId, EnvelopePattern.correlationid, 'job correlationId');
  if (job.job === 'replay') {
    str(job.since, TIME, 'job since');
    str(job.until, TIME, 'job until');
  }
  return job;
}
