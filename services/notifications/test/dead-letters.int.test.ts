/**
 * Notifications' dead-letter queues end to end on the local cloud, as an operator goes through them.
 *
 * Looking in: a message of the test's own in each DLQ is shown by the peek route with why it is
 * there, its correlation id and its body with secrets hidden, and is left in place (the test then
 * takes it out itself, before the redrive below, which moves whatever the dispatch DLQ holds).
 *
 * Redrive: a tenant's subscriptions hold an item without event types (as a faulty data migration
 * could leave one): dispatch fails on every receive of that tenant's stored events, so an event posted
 * to ingest is stored by processing, published, and reaches notifications' dispatch DLQ after
 * maxReceiveCount receives. The operator routes show it there with why; the operator removes the
 * broken item and redrives the queue (SQS's message-move API, the local cloud's emulation of it);
 * the event is delivered to the tenant's webhook exactly once, and is no longer in the DLQ.
 *
 * The dispatch queue's visibility timeout (60 s, sized for its function) is cut to 2 s while the
 * event fails, so its five failed receives come round in seconds; it is restored before the redrive.
 * A redrive moves whatever the DLQ holds, so the test asserts about its own event only.
 *
 * Tests in one file run one after another, so the peeked messages are gone before the redrive runs.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import { drained, pipelineQueues } from '../../../test/e2e/support/barrier';
import { storedEvent } from '../../../test/e2e/support/events';
import { eventIds, receivedAt, receivedUntil, verifyWebhook } from '../../../test/e2e/support/receiver';
import { newTenant } from '../../../test/e2e/support/tenant';
import { awsClients, eventually, localCloud } from '../../../test/setup/local-cloud';
import { DEAD_LETTERS as PREFIX, operator, peekedLetter, takeFrom, type Json } from './support/dead-letters';
import { SUBSCRIPTIONS_TABLE } from './support/cloud';

const cloud = localCloud();
const { sqs, dynamodb } = awsClients();
const dispatchQueueUrl = cloud.outputs.notifications.DispatchQueueUrl!;
const restore: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const undo of restore.splice(0).reverse()) await undo();
}, 30_000);

async function dispatchVisibility(seconds: string): Promise<void> {
  await sqs.send(
    new SetQueueAttributesCommand({ QueueUrl: dispatchQueueUrl, Attributes: { VisibilityTimeout: seconds } }),
  );
}

/** The dispatch DLQ's message carrying `eventId`, as the peek route shows it, or undefined. */
const peeked = (eventId: string) =>
  peekedLetter('dispatch', (message) => String(message.bodyPreview).includes(eventId));

const QUEUES = 'herald-local-notifications';

describe('an operator looking into a dead-letter queue', () => {
  // [route id, the DLQ, the queue whose redrive policy feeds it (none: the bus feeds the rule's)]
  test.each([
    ['dispatch', `${QUEUES}-dispatch-dlq`, `${QUEUES}-dispatch`],
    ['delivery', `${QUEUES}-delivery-dlq`, `${QUEUES}-delivery`],
    ['delivery-slow', `${QUEUES}-delivery-slow-dlq`, `${QUEUES}-delivery-slow`],
    ['email', `${QUEUES}-email-dlq`, `${QUEUES}-email`],
    ['destinations', `${QUEUES}-destinations-dlq`, `${QUEUES}-destinations`],
    ['rule', `${QUEUES}-dispatch-rule-dlq`, undefined],
  ])(
    'sees a message of the %s DLQ with why it is there and its secrets hidden, and leaves it there',
    async (queue, name, source) => {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      const marker = `peek-${randomBytes(6).toString('hex')}`;
      const correlationId = `it-${marker}`;
      // A task as the functions fail them (the rule's: the stored event as the bus hands it over),
      // with the envelope's signature, which the operator is not shown.
      const envelope = { id: marker, type: 'dlq.peeked', signaturekeyid: 'k1', signature: 'sig-not-shown' };
      const body =
        source === undefined
          ? { version: '0', source: 'herald.processing', 'detail-type': 'event.stored', detail: envelope }
          : { v: 1, tenantId: 'dlq-peek', deliveryId: `msg_${marker}`, eventId: marker, envelope };
      const { MessageId } = await sqs.send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: JSON.stringify(body),
          MessageAttributes: {
            correlationid: { DataType: 'String', StringValue: correlationId },
            // What EventBridge records on what it dead-letters.
            ...(source === undefined
              ? {
                  ERROR_CODE: { DataType: 'String', StringValue: 'SQS_FAILURE' },
                  ERROR_MESSAGE: { DataType: 'String', StringValue: 'the queue refused the event' },
                }
              : {}),
          },
        }),
      );
      let taken = false;
      try {
        const { summary, letter } = await eventually(
          async () => {
            const { status, body: shown } = await operator('GET', `${PREFIX}/${queue}?sample=10`);
            expect(status).toBe(200);
            const mine = (shown.messages as Json[]).find((message) => message.messageId === MessageId);
            return mine && { summary: shown, letter: mine };
          },
          30_000,
          `the message in the ${queue} DLQ`,
        );
        expect(summary).toMatchObject({ queue, name, ...(source ? { source: { name: source } } : {}) });
        if (source === undefined) expect(summary.source).toBeUndefined();
        expect(letter).toMatchObject({
          reason:
            source === undefined
              ? 'SQS_FAILURE: the queue refused the event'
              : `exceeded maxReceiveCount ${summary.source.maxReceiveCount} on ${source}`,
          correlationId,
          receiveCount: expect.any(Number),
          ageSeconds: expect.any(Number),
          truncated: false,
        });
        expect(letter.bodyPreview).toContain(`"id":"${marker}"`);
        expect(letter.bodyPreview).toContain('"signaturekeyid":"k1","signature":"[redacted]"');
        expect(letter.bodyPreview).not.toContain('sig-not-shown');

        // Left in place by the peek: still in the queue, where the test takes it out.
        await takeFrom(QueueUrl!, MessageId!, `the peeked message still in ${name}`, 30_000);
        taken = true;
      } finally {
        if (!taken) await takeFrom(QueueUrl!, MessageId!, 'the message', 30_000).catch(() => undefined);
      }
    },
    90_000,
  );
});

describe('a dead-lettered event, after its cause is fixed', () => {
  test('is redriven from the DLQ with SQS’s message-move API and delivered exactly once', async () => {
    const tenant = await newTenant();
    const subscription = await tenant.subscribeWebhook(['dlq.redriven']);
    const broken = {
      pk: `TENANT#${tenant.id}`,
      sk: 'SUB#sub_broken',
      id: 'sub_broken',
      kind: 'webhook',
      status: 'active',
    };
    await dynamodb.send(new PutCommand({ TableName: SUBSCRIPTIONS_TABLE, Item: broken }));
    const removeBroken = () =>
      dynamodb.send(
        new DeleteCommand({ TableName: SUBSCRIPTIONS_TABLE, Key: { pk: broken.pk, sk: broken.sk } }),
      );
    restore.push(removeBroken);

    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dispatchQueueUrl, AttributeNames: ['VisibilityTimeout'] }),
    );
    const visibility = Attributes!.VisibilityTimeout!;
    restore.push(() => dispatchVisibility(visibility));
    await dispatchVisibility('2');

    // The poison: an ordinary event of that tenant.
    const event = { id: `dlq-${randomBytes(6).toString('hex')}`, type: 'dlq.redriven', data: { n: 1 } };
    expect((await tenant.call('ingest', 'POST', '/v1/events', { body: event })).status).toBe(202);
    await storedEvent(tenant, event.id);

    // In the DLQ, as the routes show it: with the receive limit it exceeded, left where it is.
    const dead = await eventually(() => peeked(event.id), 120_000, 'the event in the dispatch DLQ');
    await dispatchVisibility(visibility);
    expect(dead).toMatchObject({
      reason: 'exceeded maxReceiveCount 5 on herald-local-notifications-dispatch',
      receiveCount: expect.any(Number),
      ageSeconds: expect.any(Number),
    });
    expect(dead.receiveCount).toBeGreaterThan(5);
    // The envelope's signature is not shown; its key id is.
    expect(dead.bodyPreview).toContain('"signaturekeyid":"');
    expect(dead.bodyPreview).not.toMatch(/"signature":"(?!\[redacted\])/);
    const listed = await operator('GET', PREFIX);
    expect(listed.status).toBe(200);
    const dispatch = (listed.body.deadLetterQueues as Json[]).find((queue) => queue.queue === 'dispatch')!;
    expect(dispatch).toMatchObject({
      name: 'herald-local-notifications-dispatch-dlq',
      source: { name: 'herald-local-notifications-dispatch', maxReceiveCount: 5 },
      redrive: { kind: 'move' },
      oldestSampledAgeSeconds: expect.any(Number),
    });
    expect(dispatch.approximateNumberOfMessages).toBeGreaterThanOrEqual(1);
    expect(await receivedAt(subscription.endpoint)).toEqual([]);

    // The cause fixed, the operator redrives the queue.
    await removeBroken();
    const started = await operator('POST', `${PREFIX}/dispatch/redrive`);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      queue: 'dispatch',
      kind: 'move',
      taskHandle: expect.any(String),
      destinationArn: expect.stringMatching(/:herald-local-notifications-dispatch$/),
    });
    const task = await eventually(
      async () => {
        const { body } = await operator('GET', `${PREFIX}/dispatch/redrive`);
        const [latest] = body.tasks as Json[];
        return latest?.status === 'COMPLETED' ? latest : undefined;
      },
      60_000,
      'the redrive to complete',
    );
    expect(task.approximateNumberOfMessagesMoved).toBeGreaterThanOrEqual(1);

    // Delivered, and only once: nothing of it is left anywhere in notifications' queues.
    const [webhook] = await receivedUntil(subscription.endpoint, (r) => r.length >= 1, 'the webhook', 60_000);
    expect(verifyWebhook(webhook!, subscription.secret)).toMatchObject({ id: event.id, type: event.type });
    await drained(pipelineQueues('dispatch'));
    expect(eventIds(await receivedAt(subscription.endpoint))).toEqual([event.id]);
    expect(await peeked(event.id)).toBeUndefined();
  }, 480_000);
});
