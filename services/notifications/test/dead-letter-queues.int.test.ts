/**
 * Notifications' dead-letter queues on the local cloud: a message its function can never handle
 * fails each receive and is moved by its queue's redrive policy to that queue's DLQ after
 * maxReceiveCount receives (dispatch, delivery, slow lane, e-mail); a stored event the bus cannot
 * hand to the dispatch queue lands in the stored-events rule's DLQ.
 *
 * The queues keep their redrive policies as provisioned. Only their visibility timeouts (minutes,
 * sized for real functions) are cut to seconds while a test runs, so the failed receives come round
 * quickly; each is restored afterwards.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { clientConfig } from '@herald/local-cloud/client';
import { awsClients } from '../../../test/setup/local-cloud';
import { cloud, eventually, publishStored, signedEvent } from './support/cloud';

const { sqs } = awsClients();
const bus = new EventBridgeClient(clientConfig(cloud.endpoints.aws.eventbridge));
const outputs = cloud.outputs.notifications;
const STORED_EVENTS_RULE = 'herald-local-notifications-stored-events';
const EVENT_BUS = 'herald-local';
/** Long enough for a function to fail a message before it comes round again. */
const TEST_VISIBILITY_SECONDS = '2';

/** SQS's queue URL for a queue ARN (the local cloud's emulator answers to the AWS form). */
const urlOf = (arn: string) => {
  const [, , , region, account, name] = arn.split(':');
  return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
};

async function attributes(queueUrl: string, names: string[]) {
  const out = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: names as never }),
  );
  return out.Attributes ?? {};
}

/** Attribute changes made by a test, put back after it whatever happened. */
const restore: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const undo of restore.splice(0).reverse()) await undo();
}, 30_000);

async function setForTest(queueUrl: string, changes: Record<string, string>) {
  const before = await attributes(queueUrl, Object.keys(changes));
  restore.push(() => sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: before })));
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: changes }));
}

/** Waits for the message with this id in the queue, takes it out, and returns it. */
async function takeFrom(queueUrl: string, messageId: string, what: string): Promise<Message> {
  const message = await eventually(
    async () => {
      const out = await sqs.send(
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
    90_000,
    what,
  );
  await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
  return message;
}

describe('notifications’ dead-letter queues on the local cloud', () => {
  test.each([
    ['dispatch', outputs.DispatchQueueUrl!, 'not JSON, so no stored event'],
    ['delivery', outputs.DeliveryQueueUrl!, JSON.stringify({ not: 'a delivery task' })],
    ['slow-lane delivery', outputs.SlowDeliveryQueueUrl!, JSON.stringify({ not: 'a delivery task' })],
    ['e-mail', outputs.EmailQueueUrl!, JSON.stringify({ not: 'an e-mail task' })],
  ])(
    'a message the %s function always fails reaches its DLQ after maxReceiveCount receives',
    async (_queue, queueUrl, poison) => {
      const { RedrivePolicy } = await attributes(queueUrl, ['RedrivePolicy']);
      const { deadLetterTargetArn, maxReceiveCount } = JSON.parse(RedrivePolicy!) as {
        deadLetterTargetArn: string;
        maxReceiveCount: number;
      };
      expect(maxReceiveCount).toBeGreaterThan(1);
      await setForTest(queueUrl, { VisibilityTimeout: TEST_VISIBILITY_SECONDS });

      const { MessageId } = await sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: poison }),
      );
      const dead = await takeFrom(
        urlOf(deadLetterTargetArn),
        MessageId!,
        `the message in ${deadLetterTargetArn}`,
      );

      expect(dead.Body).toBe(poison);
      // Moved by the redrive policy: received, and failed, maxReceiveCount times first.
      expect(Number(dead.Attributes!.ApproximateReceiveCount)).toBeGreaterThanOrEqual(maxReceiveCount);
    },
    120_000,
  );

  test('a stored event the dispatch queue refuses lands in the stored-events rule’s DLQ', async () => {
    const { Targets } = await bus.send(
      new ListTargetsByRuleCommand({ Rule: STORED_EVENTS_RULE, EventBusName: EVENT_BUS }),
    );
    const [target] = Targets!;
    expect(target!.Arn).toBe((await attributes(outputs.DispatchQueueUrl!, ['QueueArn'])).QueueArn);
    const ruleDlqUrl = urlOf(target!.DeadLetterConfig!.Arn!);

    // The queue refuses what is larger than this; the stored events of other tests are far smaller.
    const limit = 16 * 1024;
    await setForTest(outputs.DispatchQueueUrl!, { MaximumMessageSize: String(limit) });
    const refused = signedEvent('it-rule-dlq', 'report.generated', { body: 'x'.repeat(limit) });
    await publishStored(refused);

    const dead = await eventually(
      async () => {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: ruleDlqUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            VisibilityTimeout: 1,
            MessageAttributeNames: ['All'],
          }),
        );
        return out.Messages?.find((message) => JSON.parse(message.Body!).detail?.id === refused.id);
      },
      60_000,
      'the refused event in the rule DLQ',
    );
    await sqs.send(new DeleteMessageCommand({ QueueUrl: ruleDlqUrl, ReceiptHandle: dead.ReceiptHandle! }));
    // The event itself, as the bus would have delivered it, with why it could not be.
    expect(JSON.parse(dead.Body!)).toMatchObject({
      source: 'herald.processing',
      'detail-type': 'event.stored',
      detail: refused,
    });
    const attribute = (name: string) => dead.MessageAttributes?.[name]?.StringValue;
    expect(attribute('RULE_ARN')).toMatch(new RegExp(`rule/${EVENT_BUS}/${STORED_EVENTS_RULE}$`));
    expect(attribute('TARGET_ARN')).toBe(target!.Arn);
    expect(attribute('ERROR_CODE')).toBeTruthy();
  }, 90_000);
});
