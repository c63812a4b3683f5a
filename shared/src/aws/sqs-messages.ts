/** @deprecated use @herald/shared/aws/sqs-send */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { sendAllMessages } from './sqs-send';

/** @deprecated use sendAllMessages of @herald/shared/aws/sqs-send */
export function sendMessages(sqs: SQSClient, queueUrl: string, bodies: readonly string[]): Promise<void> {
  return sendAllMessages(
    sqs,
    queueUrl,
    bodies.map((body) => ({ body })),
  );
}
