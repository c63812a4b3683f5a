import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** SendMessageBatch takes at most 10 messages a call. */
const MAX_BATCH = 10;

/**
 * Sends each body as one message, ten to a call, and throws unless SQS accepted every one: for
 * callers that must know a message is queued before they let go of what it describes.
 */
export async function sendMessages(
  sqs: SQSClient,
  queueUrl: string,
  bodies: readonly string[],
): Promise<void> {
  for (let start = 0; start < bodies.length; start += MAX_BATCH) {
    const chunk = bodies.slice(start, start + MAX_BATCH);
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((body, index) => ({ Id: String(index), MessageBody: body })),
      }),
    );
    const failed = out.Failed ?? [];
    if (failed.length > 0)
      throw new Error(
        `SQS refused ${failed.length} of ${chunk.length} message(s): ${failed[0]?.Code ?? 'unknown'}`,
      );
  }
}
