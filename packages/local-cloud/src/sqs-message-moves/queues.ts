// What the message-move operations need to know of the queues, asked of fauxqs through the SQS API
// itself (never its internals): which queue an ARN names, and which queues' redrive policies name a
// dead-letter queue.
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  QueueDoesNotExist,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export interface QueueInfo {
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
}

const SQS_ARN = /^arn:[^:]+:sqs:[^:]+:[^:]+:([^:/]+)$/;

export class QueueDirectory {
  constructor(private readonly sqs: SQSClient) {}

  /** The queue `arn` names, or undefined when there is no such queue. */
  async byArn(arn: string): Promise<QueueInfo | undefined> {
    const name = SQS_ARN.exec(arn)?.[1];
    if (name === undefined) return undefined;
    let url: string | undefined;
    try {
      url = (await this.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
    } catch (error) {
      if (error instanceof QueueDoesNotExist) return undefined;
      throw error;
    }
    if (url === undefined) return undefined;
    const info = await this.byUrl(url);
    // The same name in another region or account is another queue.
    return info?.arn === arn ? info : undefined;
  }

  /** The queue at `url`, or undefined when there is none. */
  async byUrl(url: string): Promise<(QueueInfo & { redrivePolicy?: string }) | undefined> {
    try {
      const { Attributes = {} } = await this.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['QueueArn', 'FifoQueue', 'RedrivePolicy'],
        }),
      );
      const arn = Attributes.QueueArn ?? '';
      return {
        name: arn.split(':').at(-1) ?? '',
        url,
        arn,
        fifo: Attributes.FifoQueue === 'true',
        ...(Attributes.RedrivePolicy ? { redrivePolicy: Attributes.RedrivePolicy } : {}),
      };
    } catch (error) {
      if (error instanceof QueueDoesNotExist) return undefined;
      throw error;
    }
  }

  /** The queues whose redrive policy sends their dead letters to `deadLetterArn`, by name. */
  async sourcesOf(deadLetterArn: string): Promise<QueueInfo[]> {
    const sources: QueueInfo[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.sqs.send(new ListQueuesCommand({ MaxResults: 1000, NextToken: nextToken }));
      const queues = await Promise.all((page.QueueUrls ?? []).map((url) => this.byUrl(url)));
      for (const queue of queues) {
        if (queue?.redrivePolicy !== undefined && targetOf(queue.redrivePolicy) === deadLetterArn) {
          const { redrivePolicy: _policy, ...info } = queue;
          sources.push(info);
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return sources.sort((a, b) => a.name.localeCompare(b.name));
  }
}

function targetOf(redrivePolicy: string): string | undefined {
  try {
    const policy = JSON.parse(redrivePolicy) as { deadLetterTargetArn?: unknown };
    return typeof policy.deadLetterTargetArn === 'string' ? policy.deadLetterTargetArn : undefined;
  } catch {
    return undefined;
  }
}
