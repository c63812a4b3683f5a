/**
 * Notifications' dead-letter queues on the local cloud: a message its function can never handle
 * fails each receive and is moved by its queue's redrive policy to that queue's DLQ after
 * maxReceiveCount receives (dispatch, delivery, slow lane, e-mail); a stored event the bus cannot
 * hand to the dispatch queue lands in the stored-events rule's DLQ, and the operator's redrive of that
 * DLQ (forwarded by the route itself: SQS's message move takes only a DLQ an SQS queue feeds) keeps
 * it while the queue still refuses it, and has it delivered once when the queue takes it again.
 *
 * The queues keep their redrive policies as provisioned. Only their visibility timeouts (minutes,
 * sized for real functions) are cut to seconds while a test runs, so the failed receives come round
 * quickly; each is restored afterwards.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { clientConfig } from '@herald/local-cloud/client';
import { awsClients } from '../../../test/setup/local-cloud';
import { drained, pipelineQueues } from '../../../test/e2e/support/barrier';
import { eventIds, receivedAt, receivedUntil, verifyWebhook } from '../../../test/e2e/support/receiver';
import { newTenant } from '../../../test/e2e/support/tenant';
import { cloud, eventually, publishStored, signedEvent } from './support/cloud';
import { DEAD_LETTERS, operator, peekedLetter, takeFrom, type Json } from './support/dead-letters';

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

/** Changes a queue's attributes for the test; returns what puts them back (again after the test). */
async function setForTest(queueUrl: string, changes: Record<string, string>) {
  const before = await attributes(queueUrl, Object.keys(changes));
  const undo = () => sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: before }));
  restore.push(undo);
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: changes }));
  return undo;
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

  test('a stored event the dispatch queue refuses lands in the stored-events rule’s DLQ, and once the queue takes it again the operator’s redrive has it delivered once', async () => {
    const { Targets } = await bus.send(
      new ListTargetsByRuleCommand({ Rule: STORED_EVENTS_RULE, EventBusName: EVENT_BUS }),
    );
    const [target] = Targets!;
    expect(target!.Arn).toBe((await attributes(outputs.DispatchQueueUrl!, ['QueueArn'])).QueueArn);
    const ruleDlqUrl = urlOf(target!.DeadLetterConfig!.Arn!);
    const tenant = await newTenant();
    const subscription = await tenant.subscribeWebhook(['report.generated']);

    // The queue refuses what is larger than this; the stored events of other tests are far smaller.
    const limit = 16 * 1024;
    const takeLimitBack = await setForTest(outputs.DispatchQueueUrl!, { MaximumMessageSize: String(limit) });
    const refused = signedEvent(tenant.id, 'report.generated', { body: 'x'.repeat(limit) });
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
    // Taken out after the test if it failed before the redrive took it.
    let gone = false;
    restore.push(async () => {
      if (!gone) await takeFrom(ruleDlqUrl, dead.MessageId!, 'the letter', 10_000).catch(() => undefined);
    });
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

    // The operator sees it in the rule's DLQ with EventBridge's reason.
    const mine = (letter: Json) => letter.messageId === dead.MessageId;
    const letter = await eventually(() => peekedLetter('rule', mine), 30_000, 'the letter, peeked');
    expect(letter.reason).toContain(attribute('ERROR_CODE'));

    // Sent back while the queue still refuses it: the redrive keeps it, says why, and leaves it there.
    const early = await eventually(
      async () => {
        const { status, body } = await operator('POST', `${DEAD_LETTERS}/rule/redrive`);
        expect(status).toBe(200);
        return (body.kept as Json[]).some(mine) ? body : undefined;
      },
      30_000,
      'a redrive that kept the letter',
    );
    expect(early).toMatchObject({ queue: 'rule', kind: 'forward', finished: true });
    expect((early.kept as Json[]).find(mine)!.reason).toMatch(
      /^herald-local-notifications-dispatch refused it: \S+/,
    );
    expect(await eventually(() => peekedLetter('rule', mine), 30_000, 'the kept letter')).toBeDefined();
    expect(await receivedAt(subscription.endpoint)).toEqual([]);

    // The cause fixed, the operator redrives it again: forwarded to the dispatch queue, then deleted.
    await takeLimitBack();
    const forwarded = await eventually(
      async () => {
        const { status, body } = await operator('POST', `${DEAD_LETTERS}/rule/redrive`);
        expect(status).toBe(200);
        expect(body.kept as Json[]).not.toContainEqual(
          expect.objectContaining({ messageId: dead.MessageId }),
        );
        return body.resent >= 1 ? body : undefined;
      },
      30_000,
      'a redrive that forwarded the letter',
    );
    expect(forwarded).toMatchObject({ queue: 'rule', kind: 'forward', finished: true });

    // Dispatched and delivered, once; the letter is gone.
    const [webhook] = await receivedUntil(subscription.endpoint, (r) => r.length >= 1, 'the webhook');
    expect(verifyWebhook(webhook!, subscription.secret)).toMatchObject({
      id: refused.id,
      type: 'report.generated',
      data: refused.data,
    });
    await drained(pipelineQueues('dispatch'));
    expect(eventIds(await receivedAt(subscription.endpoint))).toEqual([refused.id]);
    expect(await peekedLetter('rule', mine)).toBeUndefined();
    gone = true;
  }, 360_000);
});
