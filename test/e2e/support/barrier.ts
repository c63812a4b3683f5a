/**
 * Proof of absence without guessing a delay. Every step of the pipeline after the inbound queue
 * starts from a message on one of Herald's queues, and a function deletes its message only after it
 * has sent whatever follows from it (the next queue's message, the webhook). So once the queues a
 * piece of work passes through are seen empty, read in flow order, nothing that work could still
 * cause is pending: what has not arrived by then never will.
 *
 * The stretch between processing's table and notifications' dispatch queue (stream → publish → bus
 * → rule) holds no queue: a test that needs it covered first checks the table itself (what is not
 * stored is never published).
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { awsClients, eventually, localCloud } from '../../setup/local-cloud';

const COUNTS = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
] as const;

/** Herald's queues in the order work flows through them. */
export function pipelineQueues(from: 'inbound' | 'dispatch'): string[] {
  const { processing, notifications } = localCloud().outputs;
  const notificationQueues = [
    notifications.DispatchQueueUrl,
    notifications.DeliveryQueueUrl,
    notifications.SlowDeliveryQueueUrl,
  ];
  const queues =
    from === 'inbound' ? [processing.InboundQueueUrl, ...notificationQueues] : notificationQueues;
  const missing = queues.findIndex((url) => !url);
  if (missing >= 0) throw new Error(`the local cloud's outputs name no URL for queue #${missing} of ${from}`);
  return queues as string[];
}

let client: ReturnType<typeof awsClients>['sqs'] | undefined;

async function pending(queueUrl: string): Promise<number> {
  const sqs = (client ??= awsClients().sqs);
  const out = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...COUNTS] }),
  );
  return COUNTS.reduce((sum, name) => sum + Number(out.Attributes?.[name] ?? 0), 0);
}

async function allEmpty(queueUrls: readonly string[]): Promise<boolean> {
  for (const url of queueUrls) if ((await pending(url)) > 0) return false;
  return true;
}

/**
 * Waits until every queue is empty (visible, in flight and delayed), in two sweeps in a row: a
 * task that moves back upstream between two reads of one sweep is seen by the next.
 *
 * The queues are shared by every suite on the local cloud, so this also waits for work other suites
 * left going (retries on the local schedule, rate-limited deliveries, the slow lane): on a loaded
 * machine that has taken over two minutes. Hence the long default; the test's own timeout bounds it.
 */
export async function drained(queueUrls: readonly string[], timeoutMs = 300_000): Promise<void> {
  await eventually(
    async () => ((await allEmpty(queueUrls)) && (await allEmpty(queueUrls)) ? true : undefined),
    timeoutMs,
    'Herald’s queues to drain',
  );
}
