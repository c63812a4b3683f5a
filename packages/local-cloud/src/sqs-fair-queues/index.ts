/**
 * Fair queues on fauxqs's standard queues (policy.ts says what AWS does). fauxqs keeps a standard
 * queue's messages in one list, hands them out oldest first, and drops the MessageGroupId a standard
 * queue is sent. So, once per process:
 *
 *  - the SQS front hands over the group ids of what it is about to pass on to SendMessage and
 *    SendMessageBatch (expectGroups), and the queue's enqueue puts each back on its message, matched
 *    by queue and body since the message id is not known before fauxqs gives it;
 *  - the queue's dequeue first moves the messages fairPick chooses to the head of the list, then lets
 *    fauxqs hand them out as it always does (visibility timeout, receive count, redrive to the DLQ);
 *  - receives and deletes are timed, for each tenant's share of processing time.
 *
 * fauxqs exports none of its store: its queue class is reached by file and its prototype patched.
 * FIFO queues are left exactly as fauxqs runs them.
 *
 * One more patch on the same class, for every queue: fauxqs puts a message whose visibility timeout
 * has run out back in the queue only when something next receives from it, so until then
 * GetQueueAttributes counted it in flight. SQS counts it visible again at once (the operator routes
 * sample a dead-letter queue only when it counts messages visible), so the counts settle timers first.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pickAmong } from './policy';
import { QueueUsage } from './queue-usage';

export {
  fairPick,
  noisyTenants,
  pickAmong,
  NOISY_MIN_IN_FLIGHT,
  NOISY_SHARE,
  PROCESSING_WINDOW_MS,
} from './policy';
export type { TenantUsage } from './policy';

/** The parts of fauxqs's message and queue this module uses. */
interface FauxqsMessage {
  messageId: string;
  body: string;
  messageGroupId?: string;
}
interface FauxqsQueue {
  name: string;
  messages: FauxqsMessage[];
  inflightMessages: Map<string, { message: FauxqsMessage }>;
  isFifo(): boolean;
  processTimers(): void;
  getAttribute(name: string): string | undefined;
  enqueue(message: FauxqsMessage): void;
  dequeue(max: number, ...rest: unknown[]): Array<{ ReceiptHandle?: string }>;
  deleteMessage(receiptHandle: string): boolean;
}

/** The tenant fair queues see: the group id, or the message alone when it has none. */
const tenantOf = (message: FauxqsMessage) => message.messageGroupId ?? `\u0000${message.messageId}`;

const usages = new WeakMap<FauxqsQueue, QueueUsage>();
const usageOf = (queue: FauxqsQueue): QueueUsage => {
  let usage = usages.get(queue);
  if (!usage) usages.set(queue, (usage = new QueueUsage()));
  return usage;
};

/** Group ids sent and not yet enqueued, by queue name, then body. */
const expected = new Map<string, Map<string, string[]>>();

/**
 * Says that `entries` are about to be sent to the standard queue `queueName`; returns what forgets
 * those fauxqs did not enqueue (refused entries), to call once the send has been answered.
 */
export function expectGroups(
  queueName: string,
  entries: ReadonlyArray<{ body: string; groupId: string }>,
): () => void {
  if (entries.length === 0) return () => undefined;
  const byBody = expected.get(queueName) ?? new Map<string, string[]>();
  expected.set(queueName, byBody);
  for (const { body, groupId } of entries) byBody.set(body, [...(byBody.get(body) ?? []), groupId]);
  return () => {
    for (const { body, groupId } of entries) {
      const groups = byBody.get(body);
      const at = groups?.indexOf(groupId) ?? -1;
      if (groups && at >= 0) groups.splice(at, 1);
      if (groups?.length === 0) byBody.delete(body);
    }
    if (byBody.size === 0) expected.delete(queueName);
  };
}

function takeGroup(queueName: string, body: string): string | undefined {
  const groups = expected.get(queueName)?.get(body);
  return groups?.shift();
}

/**
 * What a SendMessage or SendMessageBatch request (AWS JSON) sends with a MessageGroupId: the queue's
 * name and each such entry's body and group. Undefined for any other request.
 */
export function groupsOfSend(
  operation: string,
  input: unknown,
): { queueName: string; entries: Array<{ body: string; groupId: string }> } | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const { QueueUrl, Entries } = input as { QueueUrl?: unknown; Entries?: unknown };
  if (typeof QueueUrl !== 'string') return undefined;
  const queueName = QueueUrl.split('/').filter(Boolean).pop() ?? '';
  const entryOf = (value: unknown) => {
    const { MessageBody, MessageGroupId } = (value ?? {}) as {
      MessageBody?: unknown;
      MessageGroupId?: unknown;
    };
    return typeof MessageBody === 'string' && typeof MessageGroupId === 'string'
      ? [{ body: MessageBody, groupId: MessageGroupId }]
      : [];
  };
  if (operation === 'SendMessage') return { queueName, entries: entryOf(input) };
  if (operation === 'SendMessageBatch' && Array.isArray(Entries))
    return { queueName, entries: Entries.flatMap(entryOf) };
  return undefined;
}

/** fauxqs's queue class, from the file that defines it (the package exports only its server). */
async function fauxqsQueueClass(): Promise<{ prototype: FauxqsQueue }> {
  const require = createRequire(import.meta.url);
  const file = (require.resolve.paths('fauxqs') ?? [])
    .map((dir) => join(dir, 'fauxqs', 'dist', 'sqs', 'sqsStore.js'))
    .find((path) => existsSync(path));
  if (!file) throw new Error('fauxqs is not installed: cannot find dist/sqs/sqsStore.js');
  const store = (await import(pathToFileURL(file).href)) as { SqsQueue?: { prototype: FauxqsQueue } };
  if (!store.SqsQueue) throw new Error(`fauxqs changed: ${file} has no SqsQueue`);
  return store.SqsQueue;
}

const INSTALLED = Symbol.for('herald.local-cloud.fair-queues');

/** Makes every fauxqs standard queue in this process a fair queue. Idempotent. */
export async function installFairQueues(): Promise<void> {
  const queue = (await fauxqsQueueClass()).prototype as FauxqsQueue & { [INSTALLED]?: true };
  if (queue[INSTALLED]) return;
  for (const method of [
    'enqueue',
    'dequeue',
    'deleteMessage',
    'isFifo',
    'processTimers',
    'getAttribute',
  ] as const)
    if (typeof queue[method] !== 'function') throw new Error(`fauxqs changed: SqsQueue has no ${method}()`);
  const { enqueue, dequeue, deleteMessage, getAttribute } = queue;

  queue.getAttribute = function (this: FauxqsQueue, name: string) {
    if (name.startsWith('ApproximateNumberOfMessages')) this.processTimers();
    return getAttribute.call(this, name);
  };

  queue.enqueue = function (this: FauxqsQueue, message: FauxqsMessage) {
    if (!this.isFifo() && message.messageGroupId === undefined) {
      const group = takeGroup(this.name, message.body);
      if (group !== undefined) message.messageGroupId = group;
    }
    return enqueue.call(this, message);
  };

  queue.dequeue = function (this: FauxqsQueue, max: number, ...rest: unknown[]) {
    if (this.isFifo()) return dequeue.call(this, max, ...rest);
    this.processTimers();
    const now = Date.now();
    const usage = usageOf(this);
    usage.settle(this, now);
    const noisy = usage.noisy(now);
    const chosen = pickAmong(
      this.messages,
      tenantOf,
      noisy,
      (tenant) => usage.inFlightOf(tenant),
      Math.min(max, 10),
    );
    if (chosen.some((message, i) => this.messages[i] !== message)) {
      const first = new Set(chosen);
      this.messages = [...chosen, ...this.messages.filter((message) => !first.has(message))];
    }
    const received = dequeue.call(this, max, ...rest);
    for (const { ReceiptHandle } of received) {
      const entry = ReceiptHandle ? this.inflightMessages.get(ReceiptHandle) : undefined;
      if (entry) usage.received(ReceiptHandle!, tenantOf(entry.message), now);
    }
    return received;
  };

  queue.deleteMessage = function (this: FauxqsQueue, receiptHandle: string) {
    if (!this.isFifo()) usageOf(this).finished(receiptHandle, Date.now());
    return deleteMessage.call(this, receiptHandle);
  };

  queue[INSTALLED] = true;
}
