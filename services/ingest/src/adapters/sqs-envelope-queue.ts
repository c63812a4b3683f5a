import type { SQSClient } from '@aws-sdk/client-sqs';
import { sendMessages, type SendError } from '@herald/shared/aws/sqs-send';
import type { Envelope } from '@herald/shared/contracts';
import type { EnvelopeQueue, QueueFailure } from '../accept-events';

/** An envelope SQS did not take, and why. */
export type RefusedEnvelope = { id: string } & SendError;

/**
 * Processing's inbound queue over SendMessageBatch. Envelopes SQS refuses, or whose call fails as a
 * whole (throttling, network), are reported failed instead of thrown, so the caller can tell the
 * client which to retry: only those a retry may help are retryable (an entry SQS refused as the
 * sender's fault is refused every time). `onRefused` hears of each with SQS's error code.
 */
export class SqsEnvelopeQueue implements EnvelopeQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly onRefused: (refused: RefusedEnvelope[]) => void = () => {},
  ) {}

  async send(envelopes: readonly Envelope[]): Promise<ReadonlyMap<string, QueueFailure>> {
    const outcomes = await sendMessages(
      this.sqs,
      this.queueUrl,
      envelopes.map((envelope) => ({
        body: JSON.stringify(envelope),
        correlationId: envelope.correlationid,
        // The tenant as message group: the inbound queue is then a fair queue, so one tenant's
        // backlog does not hold up another's events.
        groupId: envelope.tenantid,
      })),
    );
    const refused = outcomes.flatMap(({ index, error }) =>
      error === undefined ? [] : [{ id: envelopes[index]!.id, ...error }],
    );
    if (refused.length > 0) this.onRefused(refused);
    return new Map(refused.map(({ id, retryable, code }) => [id, { retryable, code }]));
  }
}
