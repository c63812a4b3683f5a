import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  sendAllMessages,
  sendMessage,
  sendMessages,
  type OutgoingMessage,
} from '@herald/shared/aws/sqs-send';
import type { TaskQueue } from '../delivery/ports';
import type { DispatchQueue } from '../fan-out/ports';
import type { DeliveryTask, DispatchJob } from '../model/delivery-task';
import type { Lane } from '../model/lanes';

export interface QueueUrls {
  fast?: string;
  slow?: string;
  email?: string;
  /** AWS destinations' tasks (deliverAws). */
  aws?: string;
  dispatch?: string;
}

/**
 * A task or job as a message: its correlation id travels as the message's attribute, its tenant as
 * the message group, which makes each queue a fair queue: a tenant with a backlog of deliveries
 * does not hold up another tenant's.
 */
const messageOf = (content: DeliveryTask | DispatchJob, delaySeconds?: number): OutgoingMessage => ({
  body: JSON.stringify(content),
  correlationId: content.correlationId,
  groupId: content.tenantId,
  // No delay is sent as none, so the queue's own default applies as it always has.
  ...(delaySeconds ? { delaySeconds } : {}),
});

/** The notifications queues: delivery tasks on their lanes, jobs on the dispatch queue. */
export class SqsQueues implements TaskQueue, DispatchQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly urls: QueueUrls,
  ) {}

  private url(name: keyof QueueUrls): string {
    const url = this.urls[name];
    if (!url) throw new Error(`No URL configured for the ${name} queue`);
    return url;
  }

  async send(task: DeliveryTask, options: { lane: Lane; delaySeconds?: number }): Promise<void> {
    await sendMessage(this.sqs, this.url(options.lane), messageOf(task, options.delaySeconds));
  }

  /** Each lane's tasks in batches; throws unless SQS took every one (the record is then retried). */
  async sendTasks(tasks: ReadonlyArray<{ task: DeliveryTask; lane: Lane }>): Promise<void> {
    const byLane = new Map<Lane, OutgoingMessage[]>();
    for (const { task, lane } of tasks) byLane.set(lane, [...(byLane.get(lane) ?? []), messageOf(task)]);
    for (const [lane, messages] of byLane) await sendAllMessages(this.sqs, this.url(lane), messages);
  }

  /**
   * The tasks of many callers at once (coalesce.ts), each lane's in as few SendMessageBatch calls as
   * fit: per group, undefined when SQS took every one of its tasks, else the error sendTasks would
   * have thrown for it alone.
   */
  async sendTaskGroups(
    groups: ReadonlyArray<ReadonlyArray<{ task: DeliveryTask; lane: Lane }>>,
  ): Promise<Array<Error | undefined>> {
    const byLane = new Map<Lane, Array<{ group: number; message: OutgoingMessage }>>();
    groups.forEach((tasks, group) => {
      for (const { task, lane } of tasks)
        byLane.set(lane, [...(byLane.get(lane) ?? []), { group, message: messageOf(task) }]);
    });
    const refused = groups.map(() => [] as string[]);
    await Promise.all(
      [...byLane].map(async ([lane, entries]) => {
        const outcomes = await sendMessages(
          this.sqs,
          this.url(lane),
          entries.map((entry) => entry.message),
        );
        for (const { index, error } of outcomes) if (error) refused[entries[index]!.group]!.push(error.code);
      }),
    );
    return refused.map((codes, group) =>
      codes.length === 0
        ? undefined
        : new Error(
            `SQS refused ${codes.length} of ${groups[group]!.length} message(s): ${[...new Set(codes)].join(', ')}`,
          ),
    );
  }

  async sendJob(job: DispatchJob, delaySeconds?: number): Promise<void> {
    await sendMessage(this.sqs, this.url('dispatch'), messageOf(job, delaySeconds));
  }
}
