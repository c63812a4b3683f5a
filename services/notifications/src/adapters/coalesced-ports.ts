/**
 * The ports dispatch and deliver use per record, coalesced across the records of a batch (see
 * coalesce.ts): the same promises, fewer requests.
 */
import type { DeliverDeps, DeliverySlots, DeliveryStore } from '../delivery/ports';
import type { DispatchQueue, DispatchSubscriptions, EventLog, StoredEvent } from '../fan-out/ports';
import type { DeliveryRecord } from '../model/delivery';
import type { DeliveryTask } from '../model/delivery-task';
import type { Lane } from '../model/lanes';
import type { SubscriptionRecord } from '../model/subscription';
import { coalesce, coalesceByKey, type Settled } from './coalesce';
import type { ReadKey, ReadValue } from './dynamo-deliver-reads';

const settled = <T>(error: Error | undefined, value: T): Settled<T> =>
  error === undefined ? { ok: true, value } : { ok: false, error };

/** Stored events kept in BatchWriteItem requests. */
export function coalescedEventLog(log: EventLog): EventLog {
  const put = coalesce<StoredEvent, void>(async (events) =>
    (await log.putAll(events)).map((error) => settled(error, undefined)),
  );
  return { put, putAll: (events) => log.putAll(events), between: (...args) => log.between(...args) };
}

/** A tenant's subscriptions read once for every event of that tenant in the batch. */
export function coalescedSubscriptionList(subscriptions: DispatchSubscriptions): DispatchSubscriptions {
  const all = coalesceByKey(
    (tenantId: string) => tenantId,
    (tenantId) => subscriptions.all(tenantId),
  );
  return { all, get: (tenantId, id) => subscriptions.get(tenantId, id) };
}

type TaskGroup = ReadonlyArray<{ task: DeliveryTask; lane: Lane }>;

/** Every record's tasks sent together: ten to a SendMessageBatch call, whichever record they are of. */
export function coalescedDispatchQueue(
  queue: DispatchQueue & { sendTaskGroups(groups: readonly TaskGroup[]): Promise<Array<Error | undefined>> },
): DispatchQueue {
  const sendTasks = coalesce<TaskGroup, void>(async (groups) =>
    (await queue.sendTaskGroups(groups)).map((error) => settled(error, undefined)),
  );
  return {
    sendTasks: (tasks) => (tasks.length === 0 ? Promise.resolve() : sendTasks(tasks)),
    sendJob: (job, delaySeconds) => queue.sendJob(job, delaySeconds),
  };
}

/**
 * What the tasks of a batch read first, read together: their subscriptions and their deliveries
 * (a first delivery defers its claim when there is none: delivery/claim.ts), in one request
 * (adapters/dynamo-deliver-reads.ts). A subscription asked for by several tasks is read once, and
 * each gets its own copy.
 */
export function coalescedDeliverReads(
  reads: { getAll(keys: readonly ReadKey[]): Promise<ReadValue[]> },
  store: DeliveryStore & { recordFirst: NonNullable<DeliveryStore['recordFirst']> },
): { subscriptions: DeliverDeps['subscriptions']; store: DeliveryStore } {
  const read = coalesce<ReadKey, ReadValue>(async (keys) => {
    const values = await reads.getAll(keys);
    const given = new Set<string>();
    return values.map((value, i) => {
      const { kind, tenantId, id } = keys[i]!;
      const key = `${kind}\n${tenantId}\n${id}`;
      const first = !given.has(key);
      given.add(key);
      return { ok: true, value: first ? value : structuredClone(value) };
    });
  });
  return {
    subscriptions: {
      get: async (tenantId, id) =>
        (await read({ kind: 'subscription', tenantId, id })) as SubscriptionRecord | undefined,
    },
    store: {
      claim: (task, claim) => store.claim(task, claim),
      get: async (tenantId, id) =>
        (await read({ kind: 'delivery', tenantId, id })) as DeliveryRecord | undefined,
      record: (delivery, update, messageId) => store.record(delivery, update, messageId),
      recordFirst: (delivery, update, messageId) => store.recordFirst(delivery, update, messageId),
      hold: (delivery, messageId, now, whileStatus) => store.hold(delivery, messageId, now, whileStatus),
    },
  };
}

type Reservation = Parameters<DeliverySlots['reserve']>[2] & { tenantId: string; id: string };

/**
 * The slots a subscription's deliveries in the batch reserve together are one reservation of that
 * many slots in a row: each caller gets its own slot, one interval after the one before, exactly as
 * if they had reserved one after the other at the latest of their times. Deliveries reach this step
 * when their claims come back, not all at once, so the calls are gathered for a few milliseconds.
 */
export function coalescedSlots(slots: DeliverySlots, windowMs = 5): DeliverySlots {
  const reserve = coalesce<Reservation, number | undefined>(
    async (calls) => {
      const groups = new Map<string, number[]>();
      calls.forEach((call, index) => {
        const key = `${call.tenantId}\n${call.id}\n${call.intervalMs}`;
        groups.set(key, [...(groups.get(key) ?? []), index]);
      });
      const results: Array<Settled<number | undefined>> = calls.map(() => ({ ok: true, value: undefined }));
      await Promise.all(
        [...groups.values()].map(async (indexes) => {
          const first = calls[indexes[0]!]!;
          const count = indexes.reduce((sum, i) => sum + Math.max(1, calls[i]!.count ?? 1), 0);
          const now = Math.max(...indexes.map((i) => calls[i]!.now));
          try {
            const slot = await slots.reserve(first.tenantId, first.id, {
              now,
              intervalMs: first.intervalMs,
              count,
              ...(first.busy === undefined ? {} : { busy: first.busy }),
            });
            let next = slot;
            for (const i of indexes) {
              results[i] = { ok: true, value: next };
              if (next !== undefined) next += first.intervalMs * Math.max(1, calls[i]!.count ?? 1);
            }
          } catch (error) {
            for (const i of indexes) results[i] = { ok: false, error };
          }
        }),
      );
      return results;
    },
    { windowMs },
  );
  return { reserve: (tenantId, id, at) => reserve({ ...at, tenantId, id }) };
}
