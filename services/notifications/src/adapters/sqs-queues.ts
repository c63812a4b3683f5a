import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { CORRELATION_ATTRIBUTE } from '@herald/shared/sqs';
import type { TaskQueue } from '../deliver';
import type { DeliveryTask, DispatchJob, Lane } from '../delivery-task';
import type { DispatchQueue } from '../dispatch';

export interface QueueUrls {
  fast?: string;
  slow?: string;
  email?: string;
  dispatch?: string;
}

/** SendMessageBatch takes ten entries and 256 KiB in all; stay under both. */
const BATCH_ENTRIES = 10;
const BATCH_BYTES = 240 * 1024;

const attributes = (correlationId: string) => ({
  [CORRELATION_ATTRIBUTE]: { DataType: 'String', StringValue: correlationId },
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
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.url(options.lane),
        MessageBody: JSON.stringify(task),
        MessageAttributes: attributes(task.correlationId),
        ...(options.delaySeconds ? { DelaySeconds: options.delaySeconds } : {}),
      }),
    );
  }

  async sendTasks(tasks: ReadonlyArray<{ task: DeliveryTask; lane: Lane }>): Promise<void> {
    const byLane = new Map<Lane, string[]>();
    const correlation = new Map<string, string>();
    for (const { task, lane } of tasks) {
      const body = JSON.stringify(task);
      byLane.set(lane, [...(byLane.get(lane) ?? []), body]);
      correlation.set(body, task.correlationId);
    }
    for (const [lane, bodies] of byLane) {
      for (const batch of batches(bodies)) {
        await this.sendBatch(this.url(lane), batch, (body) => correlation.get(body)!);
      }
    }
  }

  /** One batch; entries SQS refused are sent once more, and any refused again fail the call. */
  private async sendBatch(
    url: string,
    bodies: string[],
    correlationOf: (body: string) => string,
  ): Promise<void> {
    let pending = bodies.map((body, i) => ({
      Id: `t${i}`,
      MessageBody: body,
      MessageAttributes: attributes(correlationOf(body)),
    }));
    for (let round = 0; round < 2 && pending.length > 0; round++) {
      const out = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: pending }));
      const failed = new Set((out.Failed ?? []).map((entry) => entry.Id));
      pending = pending.filter((entry) => failed.has(entry.Id));
    }
    if (pending.length > 0) throw new Error(`SQS refused ${pending.length} delivery task(s)`);
  }

  async sendJob(job: DispatchJob, delaySeconds?: number): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.url('dispatch'),
        MessageBody: JSON.stringify(job),
        MessageAttributes: attributes(job.correlationId),
        ...(delaySeconds ? { DelaySeconds: delaySeconds } : {}),
      }),
    );
  }
}

function* batches(bodies: readonly string[]): Generator<string[]> {
  let batch: string[] = [];
  let bytes = 0;
  for (const body of bodies) {
    const size = Buffer.byteLength(body);
    if (batch.length === BATCH_ENTRIES || (batch.length > 0 && bytes + size > BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(body);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
