import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Envelope } from '@herald/shared/contracts';
import type { EnvelopeQueue } from '../accept-events';
import { messageBytes, toBatches } from '../batches';

/**
 * Processing's inbound queue over SendMessageBatch. A call that fails as a whole (throttling, network)
 * marks its entries failed instead of throwing, so the caller can tell the client which to retry.
 */
export class SqsEnvelopeQueue implements EnvelopeQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly onBatchError: (error: unknown, ids: string[]) => void = () => {},
  ) {}

  async send(envelopes: readonly Envelope[]): Promise<ReadonlySet<string>> {
    const messages = envelopes.map((envelope) => ({ envelope, body: JSON.stringify(envelope) }));
    const batches = toBatches(messages, (m) =>
      messageBytes(m.body, { correlationid: m.envelope.correlationid }),
    );
    const failed = new Set<string>();
    await Promise.all(
      batches.map(async (batch) => {
        try {
          const out = await this.sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: this.queueUrl,
              Entries: batch.map(({ envelope, body }, index) => ({
                Id: String(index),
                MessageBody: body,
                MessageAttributes: {
                  correlationid: { DataType: 'String', StringValue: envelope.correlationid },
                },
              })),
            }),
          );
          for (const entry of out.Failed ?? []) {
            const message = batch[Number(entry.Id)];
            if (message) failed.add(message.envelope.id);
          }
        } catch (error) {
          const ids = batch.map((m) => m.envelope.id);
          this.onBatchError(error, ids);
          for (const id of ids) failed.add(id);
        }
      }),
    );
    return failed;
  }
}
