/**
 * Per-subject ordering: a subscription with `ordering: "subject"` gets the events of one subject
 * strictly in the order processing stored them (the `sequence` it numbers them with, carried on the
 * bus beside the envelope), one at a time: a later event waits until the one before it has succeeded
 * or failed for good (its retries exhausted), then goes.
 *
 * For each (subscription, subject) the deliveries table keeps a head, the sequence up to which every
 * event of the subject is settled for the subscription, and a mark per event dispatch has seen:
 *
 *   - `waiting`: the subscription's delivery task for the event, to be queued once the head reaches
 *     the event before it;
 *   - `queued`: that task, queued (or being queued) by the party named on it;
 *   - `skip`: an event of the subject the subscription does not take (its event types or content
 *     filter do not match). The sequence counts every event of the subject, so
 *     a subscription's events have gaps; a skip mark is how the head knows a gap is settled.
 *
 * Dispatch marks the event, then reads the head: the event right after it goes at once (or, a skip,
 * moves the head on); a later one waits for its turn. When a delivery settles, deliver moves the head
 * onto it with a conditional write (only from the event before it) and queues the next waiting task,
 * moving past skip marks. Events reach dispatch in any order (EventBridge keeps none): whichever of
 * the mark and the move comes second sees the other, since each writes before it reads, and when
 * both come close together both see the other. So a task is queued only by the party that takes
 * its mark from waiting to queued, one conditional write: of a dispatch and a settle that both find
 * it their turn, or settles repeated (SQS giving a message back, a redelivery's run), one sends it.
 *
 * Nothing is lost. A crash between a settle's move and its take leaves the mark waiting: the
 * message's redelivery (follow-ups run again, delivery/claim.ts) takes it. A crash between the take
 * and the send leaves it queued under the name of the step that took it (the deliver message, or the
 * bus event dispatch was fanning out); that step comes back when SQS gives its message back after
 * the visibility timeout, finds the mark queued under its own name, and sends the task again (a
 * settle only if the task's delivery is not recorded; dispatch reads no deliveries). A copy of a task
 * that did go is dropped by its claim once its delivery is recorded. Every other step is safe to
 * repeat: marks are the same each time, and the head moves only forward and only from where it was;
 * a step never sends a task another step took.
 *
 * Heads and marks belong to a line: the subject, under the time the subscription last turned
 * ordering on (`orderedSince`), so turning it off and on again starts afresh instead of waiting for
 * events delivered meanwhile without marks. A line's first event is the first of the subject stored
 * since then (processing publishes when the previous one was stored): it starts the head just before
 * it, whenever it reaches dispatch; the events after it wait for it until then.
 */
import { createHash } from 'node:crypto';
import type { DeliveryTask } from '../model/delivery-task';
import type { Lane } from '../model/lanes';

/** Where an ordered delivery stands in its subject's order, carried by its task and kept on its delivery. */
export interface OrderPosition {
  /** The subject's line (orderLine): fixed width, whatever the subject holds. */
  line: string;
  sequence: number;
}

/** The line of `subject` for a subscription ordered since `orderedSince`: a digest, so any subject makes a key. */
export function orderLine(orderedSince: string, subject: string): string {
  return createHash('sha256').update(`${orderedSince}\n${subject}`).digest('base64url').slice(0, 32);
}

export type OrderMark =
  | { sequence: number; state: 'waiting'; task: DeliveryTask; lane: Lane }
  /** `by`: the step that took it for queueing (`OrderDeps.by`). */
  | { sequence: number; state: 'queued'; task: DeliveryTask; lane: Lane; by: string }
  | { sequence: number; state: 'skip' };

/** A mark as dispatch writes it: a task waiting its turn, or a skip (only `queue` makes one queued). */
export type NewMark = Exclude<OrderMark, { state: 'queued' }>;

/** The heads and marks of ordered subscriptions (adapters/dynamo-subject-order.ts; in memory for tests). */
export interface SubjectOrderStore {
  /** The head of (subscription, line); undefined when the subscription has seen none of the line. */
  head(tenantId: string, subscriptionId: string, line: string): Promise<number | undefined>;
  /** Starts the head at `at` unless it exists; the head after (the existing one if there was). */
  start(tenantId: string, subscriptionId: string, line: string, at: number): Promise<number>;
  /** Moves the head from `from` to `to` if it is at `from`; false otherwise (another moved it). */
  advance(tenantId: string, subscriptionId: string, line: string, from: number, to: number): Promise<boolean>;
  /** Writes the event's mark unless it has one (its first mark stays); it expires with the events. */
  mark(
    tenantId: string,
    subscriptionId: string,
    line: string,
    mark: NewMark,
    expiresAt: number,
  ): Promise<void>;
  /**
   * Takes the waiting task of the mark at `sequence` for queueing, in one conditional write: waiting
   * becomes queued by `by`. Of the parties that find it waiting at once, one gets true. True also
   * when `by` had taken it (the same step again: it may have stopped before its send); false when
   * another did, or the mark is a skip or missing.
   */
  queue(
    tenantId: string,
    subscriptionId: string,
    line: string,
    sequence: number,
    by: string,
  ): Promise<boolean>;
  /** The marks after sequence `after`, in sequence order, at most `limit`. */
  after(
    tenantId: string,
    subscriptionId: string,
    line: string,
    after: number,
    limit: number,
  ): Promise<OrderMark[]>;
}

export interface OrderDeps {
  order: SubjectOrderStore;
  /** Queues a released task on its lane. */
  send(task: DeliveryTask, lane: Lane): Promise<void>;
  /**
   * The step queueing, named on the marks it takes: the same name when the step runs again (its
   * message given back), another for any other step. Deliver's SQS message id; for dispatch, the
   * bus event it fans out.
   */
  by: string;
  /**
   * Whether the task's delivery is recorded: it went, so a step running again need not send it
   * again. Without it, a step running again sends the task it had taken.
   */
  recorded?(task: DeliveryTask): Promise<boolean>;
}

/** Marks read at a time while moving the head past skip marks. */
const PAGE = 25;

interface Key {
  tenantId: string;
  subscriptionId: string;
  line: string;
}

/**
 * Dispatch's part, for one event and one ordered subscription: marks it (`task` when the
 * subscription takes it, else a skip), and says whether its task goes now. A task that waits is
 * queued later by whichever delivery settles the event before it. `first`: the line's first event
 * (the one before it came before ordering began), which starts the line's head just before it.
 */
export async function admit(
  key: Key,
  mark: NewMark,
  at: { first: boolean; expiresAt: number },
  deps: OrderDeps,
): Promise<'now' | 'waiting' | 'skipped' | 'settled'> {
  const { tenantId, subscriptionId, line } = key;
  await deps.order.mark(tenantId, subscriptionId, line, mark, at.expiresAt);
  const head =
    (await deps.order.head(tenantId, subscriptionId, line)) ??
    (at.first ? await deps.order.start(tenantId, subscriptionId, line, mark.sequence - 1) : undefined);
  // The line has not started: its first event has not reached dispatch, and starts it from here.
  if (head === undefined) return mark.state === 'skip' ? 'skipped' : 'waiting';
  if (mark.state === 'skip') {
    // The gap right after the head is settled by this mark: move on to what follows it. Behind the
    // head it is this event dispatched again, which goes on from the head in case the first time
    // stopped before queueing the task it reached.
    if (mark.sequence <= head + 1) await release(key, head, deps);
    return 'skipped';
  }
  if (mark.sequence === head + 1) {
    // Its turn: queued by whichever of this dispatch and the settle before it takes the mark.
    if (await deps.order.queue(tenantId, subscriptionId, line, mark.sequence, deps.by))
      await deps.send(mark.task, mark.lane);
    return 'now';
  }
  // Behind the head: a copy of a settled event, nothing to send. Ahead: the settle of the event
  // before it queues it, finding this mark (written before that settle reads the marks).
  return mark.sequence <= head ? 'settled' : 'waiting';
}

/**
 * Deliver's part: the delivery at `position` has settled (succeeded, failed for good, or ended
 * without an attempt), so the head moves onto it and the next waiting task goes. Safe to repeat.
 */
export async function settle(
  key: Omit<Key, 'line'>,
  position: OrderPosition,
  deps: OrderDeps,
): Promise<void> {
  const full = { ...key, line: position.line };
  const moved = await deps.order.advance(
    key.tenantId,
    key.subscriptionId,
    position.line,
    position.sequence - 1,
    position.sequence,
  );
  if (moved) return release(full, position.sequence, deps);
  // Moved already: a repeated settle (a message given back, a redelivery's or replay's run) makes
  // sure the task after the head is queued, which a crash could have kept from going.
  const head = await deps.order.head(key.tenantId, key.subscriptionId, position.line);
  if (head !== undefined && head >= position.sequence) await release(full, head, deps);
}

/**
 * From a head at `head`: moves it past the skip marks that follow it, and queues the waiting task
 * it then reaches if this step takes it. Stops at a gap (the next event has not reached dispatch:
 * its dispatch goes on from there), where another writer moved the head (that writer goes on), or
 * at a task queued already. One this same step had queued is sent again unless its delivery is
 * recorded: the step is running again after stopping, maybe before its send.
 */
async function release(key: Key, head: number, deps: OrderDeps): Promise<void> {
  const { tenantId, subscriptionId, line } = key;
  let at = head;
  for (;;) {
    const marks = await deps.order.after(tenantId, subscriptionId, line, at, PAGE);
    for (const mark of marks) {
      if (mark.sequence !== at + 1) return;
      if (mark.state === 'waiting') {
        if (await deps.order.queue(tenantId, subscriptionId, line, mark.sequence, deps.by))
          await deps.send(mark.task, mark.lane);
        return;
      }
      if (mark.state === 'queued') {
        if (mark.by === deps.by && !(await deps.recorded?.(mark.task))) await deps.send(mark.task, mark.lane);
        return;
      }
      if (!(await deps.order.advance(tenantId, subscriptionId, line, at, mark.sequence))) return;
      at = mark.sequence;
    }
    if (marks.length < PAGE) return;
  }
}
