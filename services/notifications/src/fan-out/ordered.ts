/**
 * Fan-out to subscriptions ordered by subject (ordering/subject-order.ts): for an event with a
 * subject and its sequence, each such subscription marks it, as a task waiting its turn when it takes
 * the event, or as a skip when it does not (its types or filter do not match), so its line has no gap
 * there. A task whose turn it is goes at once, with the others. A disabled subscription's task waits
 * like any other: deliver holds the one whose turn it is until a resume.
 *
 * Ordering covers the events stored since the subscription turned it on (`orderedSince`): one stored
 * before goes at once, unmarked, and the first stored after (its previous event stored before, or
 * none) starts the line. Times compare in whole seconds, the bus's `time`, on both sides.
 */
import type { DeliveryTask } from '../model/delivery-task';
import type { Lane } from '../model/lanes';
import { admit, orderLine, type NewMark, type SubjectOrderStore } from '../ordering/subject-order';
import type { DispatchQueue, DispatchSubscription } from './ports';

interface Fanned {
  subscription: DispatchSubscription;
  task: DeliveryTask;
  lane: Lane;
}

export interface OrderedEvent {
  tenantId: string;
  /**
   * The bus event being fanned out: the name under which its dispatch takes marks for queueing, the
   * same when its message is given back (ordering/subject-order.ts).
   */
  busEventId: string;
  subject: string;
  sequence: number;
  /** When processing stored it (the bus time), and the subject's previous event (absent: none). */
  storedAt: string;
  previousStoredAt?: string;
  /** When its marks expire (epoch seconds): with the event. */
  expiresAt: number;
}

const second = (time: string): number => Math.floor(Date.parse(time) / 1000);

export async function orderedTasks(
  event: OrderedEvent,
  subscriptions: readonly DispatchSubscription[],
  tasks: readonly Fanned[],
  deps: { order: SubjectOrderStore; queue: DispatchQueue },
): Promise<{ unordered: Fanned[] }> {
  const ordered = subscriptions.filter(
    (s) =>
      s.ordering === 'subject' &&
      s.orderedSince !== undefined &&
      second(event.storedAt) >= second(s.orderedSince),
  );
  if (ordered.length === 0) return { unordered: [...tasks] };
  const byId = new Map(tasks.map((fanned) => [fanned.subscription.id, fanned]));
  const send = (task: DeliveryTask, lane: Lane) => deps.queue.sendTasks([{ task, lane }]);
  await Promise.all(
    ordered.map(async (subscription) => {
      const since = subscription.orderedSince!;
      const line = orderLine(since, event.subject);
      const fanned = byId.get(subscription.id);
      byId.delete(subscription.id);
      const mark: NewMark = fanned
        ? {
            sequence: event.sequence,
            state: 'waiting',
            task: { ...fanned.task, order: { line, sequence: event.sequence } },
            lane: fanned.lane,
          }
        : { sequence: event.sequence, state: 'skip' };
      const first = event.previousStoredAt === undefined || second(event.previousStoredAt) < second(since);
      await admit(
        { tenantId: event.tenantId, subscriptionId: subscription.id, line },
        mark,
        { first, expiresAt: event.expiresAt },
        { order: deps.order, send, by: `dispatch:${event.busEventId}` },
      );
    }),
  );
  return { unordered: [...byId.values()] };
}
