/**
 * Notifications' dead-letter queues as the tests reach them: an operator on the dead-letter routes
 * (`/v1/operator/dead-letters`, a token with the operator scope, whatever its tenant), and the admin
 * SQS client taking a test's own message out of a queue.
 */
import { expect } from '@jest/globals';
import { DeleteMessageCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { awsClients, callService, eventually, tokenFor } from '../../../../test/setup/local-cloud';

export const DEAD_LETTERS = '/v1/operator/dead-letters';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export async function operator(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const token = await tokenFor({ tenant: 'operations', scopes: ['operator:dead-letters'] });
  const { status, body: answer } = await callService<Json>('notifications', token, method, path, { body });
  return { status, body: answer };
}

/**
 * The letter of `queue` that `mine` picks among the ten the peek route shows, or undefined. Other
 * files' letters may share the queue, and a peek elsewhere hides its sample for a few seconds, so
 * callers poll this with `eventually`.
 */
export async function peekedLetter(
  queue: string,
  mine: (letter: Json) => boolean,
): Promise<Json | undefined> {
  const { status, body } = await operator('GET', `${DEAD_LETTERS}/${queue}?sample=10`);
  expect(status).toBe(200);
  return (body.messages as Json[]).find(mine);
}

let sqs: ReturnType<typeof awsClients>['sqs'] | undefined;

/**
 * Waits for the message with this id in the queue, takes it out, and returns it. Each receive hides
 * what it got for a second only, so the other files' messages in the queue are barely held up.
 */
export async function takeFrom(
  queueUrl: string,
  messageId: string,
  what: string,
  timeoutMs = 90_000,
): Promise<Message> {
  sqs ??= awsClients().sqs;
  const client = sqs;
  const message = await eventually(
    async () => {
      const out = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          VisibilityTimeout: 1,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      return out.Messages?.find((candidate) => candidate.MessageId === messageId);
    },
    timeoutMs,
    what,
  );
  await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
  return message;
}
