/**
 * The overview's counters, folded from the deliveries table's stream (aggregateStats): a stored
 * event's insert counts as dispatched, a delivery whose status becomes `succeeded` or `failed` counts
 * as such (with its latency, for a first run that succeeded), and a delivery entering or leaving
 * "waiting for a retry" moves the tenant's retrying gauge. A batch's changes become one update per
 * (tenant, minute), (tenant, hour) and tenant gauge it touches, whatever the number of records, so
 * the writes per event shrink as batches grow. Nothing here reads the table: the stream's old and new
 * images say what changed.
 */
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import {
  DELIVERY_PREFIX,
  EVENT_PREFIX,
  hourStatsSortKey,
  minuteStatsSortKey,
  RETRYING_STATS_SORT_KEY,
} from '../model/table-keys';
import { latencyBucket } from './histogram';

/** The counters' attribute names, on minute and hour items (and the gauge's, on its item). */
export const COUNTERS = {
  dispatched: 'dispatched',
  succeeded: 'succeeded',
  failed: 'failed',
  retrying: 'retrying',
  latency: (bucket: number) => `l${bucket}`,
  subscriptionSucceeded: (id: string) => `s_${id}`,
  subscriptionFailed: (id: string) => `f_${id}`,
  subscriptionLastSuccess: (id: string) => `ls_${id}`,
  subscriptionLastFailure: (id: string) => `lf_${id}`,
  subscriptionRetrying: (id: string) => `r_${id}`,
} as const;

/** Minute and hour counters expire this long after their bucket starts (the widest window is 24 h). */
export const STATS_TTL_SECONDS = 3 * 86400;

/** One item's update: counters to add to, and times to set (the latest of the batch). */
export interface CounterUpdate {
  tenantId: string;
  sortKey: string;
  /** Epoch seconds (the table's TTL); the gauge has none. */
  expiresAt?: number;
  add: Record<string, number>;
  latest: Record<string, string>;
}

/** What the fold reads of a delivery image. */
export interface DeliveryFacts {
  tenantId: string;
  subscriptionId: string;
  status: string;
  run: number;
  updatedAt: string;
  eventKey?: string;
  /** Waiting for a retry: pending with a next attempt planned. */
  retrying: boolean;
  /** When the newest attempt ended (its start plus its duration). */
  lastAttemptEndedAt?: number;
}

type Image = Record<string, AttributeValue> | undefined;

const text = (image: Image, name: string): string | undefined => image?.[name]?.S;
const number = (image: Image, name: string): number | undefined => {
  const n = image?.[name]?.N;
  return n === undefined ? undefined : Number(n);
};

/** A delivery's image as the fold needs it, or undefined for an image without what it needs. */
export function deliveryFacts(image: Image): DeliveryFacts | undefined {
  const tenantId = text(image, 'tenantId');
  const subscriptionId = text(image, 'subscriptionId');
  const status = text(image, 'status');
  const updatedAt = text(image, 'updatedAt');
  if (!tenantId || !subscriptionId || !status || !updatedAt || Number.isNaN(Date.parse(updatedAt)))
    return undefined;
  const attempts = image?.attempts?.L;
  const last = attempts?.[attempts.length - 1]?.M;
  const at = last ? Date.parse(text(last, 'at') ?? '') : NaN;
  const ended = Number.isNaN(at) ? undefined : at + (number(last, 'durationMs') ?? 0);
  const eventKey = text(image, 'eventKey');
  return {
    tenantId,
    subscriptionId,
    status,
    run: number(image, 'run') ?? 1,
    updatedAt,
    ...(eventKey ? { eventKey } : {}),
    retrying: status === 'pending' && text(image, 'nextAttemptAt') !== undefined,
    ...(ended !== undefined ? { lastAttemptEndedAt: ended } : {}),
  };
}

/** The bus time an event key (`EVT#<bus time>#<event id>`) carries, epoch ms. */
export function busTimeOf(eventKey: string | undefined): number | undefined {
  if (!eventKey?.startsWith(EVENT_PREFIX)) return undefined;
  const time = Date.parse(eventKey.slice(EVENT_PREFIX.length, eventKey.indexOf('#', EVENT_PREFIX.length)));
  return Number.isNaN(time) ? undefined : time;
}

const tenantOfPartition = (pk: string | undefined): string | undefined =>
  pk?.startsWith('TENANT#') ? pk.slice('TENANT#'.length) : undefined;

/** `YYYY-MM-DDTHH:MM` and `YYYY-MM-DDTHH` of a time (UTC). */
export const minuteOf = (ms: number): string => new Date(ms).toISOString().slice(0, 16);
export const hourOf = (ms: number): string => new Date(ms).toISOString().slice(0, 13);

class Updates {
  private readonly items = new Map<string, CounterUpdate>();

  item(tenantId: string, sortKey: string, expiresAt?: number): CounterUpdate {
    const key = `${tenantId}\n${sortKey}`;
    let update = this.items.get(key);
    if (!update) {
      update = { tenantId, sortKey, ...(expiresAt !== undefined ? { expiresAt } : {}), add: {}, latest: {} };
      this.items.set(key, update);
    }
    return update;
  }

  /** The minute and hour items of `ms`. */
  buckets(tenantId: string, ms: number): CounterUpdate[] {
    const minuteStart = Math.floor(ms / 60_000) * 60_000;
    const hourStart = Math.floor(ms / 3600_000) * 3600_000;
    return [
      this.item(tenantId, minuteStatsSortKey(minuteOf(ms)), minuteStart / 1000 + STATS_TTL_SECONDS),
      this.item(tenantId, hourStatsSortKey(hourOf(ms)), hourStart / 1000 + STATS_TTL_SECONDS),
    ];
  }

  all(): CounterUpdate[] {
    return [...this.items.values()].filter(
      (update) => Object.values(update.add).some((n) => n !== 0) || Object.keys(update.latest).length > 0,
    );
  }
}

function add(update: CounterUpdate, name: string, n = 1): void {
  update.add[name] = (update.add[name] ?? 0) + n;
}

function later(update: CounterUpdate, name: string, time: string): void {
  const current = update.latest[name];
  if (current === undefined || current < time) update.latest[name] = time;
}

/** The counter updates a batch of the deliveries table's stream makes, one per item touched. */
export function foldChanges(records: readonly DynamoDBRecord[]): CounterUpdate[] {
  const updates = new Updates();
  for (const record of records) {
    const sk = record.dynamodb?.Keys?.sk?.S;
    if (sk?.startsWith(EVENT_PREFIX)) {
      if (record.eventName !== 'INSERT') continue;
      const tenantId = tenantOfPartition(record.dynamodb?.Keys?.pk?.S);
      const busTime = busTimeOf(sk);
      if (!tenantId || busTime === undefined) continue;
      for (const bucket of updates.buckets(tenantId, busTime)) add(bucket, COUNTERS.dispatched);
    } else if (sk?.startsWith(DELIVERY_PREFIX)) {
      foldDelivery(
        deliveryFacts(record.dynamodb?.OldImage),
        deliveryFacts(record.dynamodb?.NewImage),
        updates,
      );
    }
  }
  return updates.all();
}

function foldDelivery(before: DeliveryFacts | undefined, after: DeliveryFacts | undefined, updates: Updates) {
  const facts = after ?? before;
  if (!facts) return;
  const { tenantId, subscriptionId } = facts;
  const gauge = (before?.retrying ? -1 : 0) + (after?.retrying ? 1 : 0);
  if (gauge !== 0) {
    const item = updates.item(tenantId, RETRYING_STATS_SORT_KEY);
    add(item, COUNTERS.retrying, gauge);
    add(item, COUNTERS.subscriptionRetrying(subscriptionId), gauge);
  }
  if (!after || after.status === before?.status) return;
  if (after.status !== 'succeeded' && after.status !== 'failed') return;
  const at = Date.parse(after.updatedAt);
  const succeeded = after.status === 'succeeded';
  for (const bucket of updates.buckets(tenantId, at)) {
    add(bucket, succeeded ? COUNTERS.succeeded : COUNTERS.failed);
    add(
      bucket,
      succeeded
        ? COUNTERS.subscriptionSucceeded(subscriptionId)
        : COUNTERS.subscriptionFailed(subscriptionId),
    );
    later(
      bucket,
      succeeded
        ? COUNTERS.subscriptionLastSuccess(subscriptionId)
        : COUNTERS.subscriptionLastFailure(subscriptionId),
      after.updatedAt,
    );
  }
  // Latency from the event's bus time (its stored time) to the end of the attempt that delivered it,
  // for a first run only: a redelivery's or a replay's run starts long after the event.
  const busTime = busTimeOf(after.eventKey);
  if (succeeded && after.run === 1 && busTime !== undefined && after.lastAttemptEndedAt !== undefined) {
    const bucket = latencyBucket(Math.max(0, after.lastAttemptEndedAt - busTime));
    for (const item of updates.buckets(tenantId, at)) add(item, COUNTERS.latency(bucket));
  }
}
