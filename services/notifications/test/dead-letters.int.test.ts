/**
 * Dead-letter queue redrive, end to end on the local cloud, as an operator would go through it.
 *
 * A tenant's subscriptions hold an item without event types (as a faulty data migration could leave
 * one): dispatch fails on every receive of that tenant's stored events, so an event posted to ingest
 * is stored by processing, published, and reaches notifications' dispatch DLQ after maxReceiveCount
 * receives. The operator routes show it there with why; the operator removes the broken item and
 * redrives the queue (SQS's message-move API, the local cloud's emulation of it); the event is
 * delivered to the tenant's webhook exactly once, and is no longer in the DLQ.
 *
 * The dispatch queue's visibility timeout (60 s, sized for its function) is cut to 2 s while the
 * event fails, so its five failed receives come round in seconds; it is restored before the redrive.
 * A redrive moves whatever the DLQ holds, so the test asserts about its own event only.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import { drained, pipelineQueues } from '../../../test/e2e/support/barrier';
import { storedEvent } from '../../../test/e2e/support/events';
import { eventIds, receivedAt, receivedUntil, verifyWebhook } from '../../../test/e2e/support/receiver';
import { newTenant } from '../../../test/e2e/support/tenant';
import { awsClients, eventually, localCloud, tokenFor } from '../../../test/setup/local-cloud';

const cloud = localCloud();
const { sqs, dynamodb } = awsClients();
const dispatchQueueUrl = cloud.outputs.notifications.DispatchQueueUrl!;
const SUBSCRIPTIONS_TABLE = 'herald-local-notifications-subscriptions';
const PREFIX = '/v1/operator/dead-letters';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** An operator: a token with the operator scope, whatever its tenant. */
async function operator(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const token = await tokenFor({ tenant: 'operations', scopes: ['operator:dead-letters'] });
  const response = await fetch(`${cloud.endpoints.services.notifications}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
}

const restore: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const undo of restore.splice(0).reverse()) await undo();
}, 30_000);

async function dispatchVisibility(seconds: string): Promise<void> {
  await sqs.send(
    new SetQueueAttributesCommand({ QueueUrl: dispatchQueueUrl, Attributes: { VisibilityTimeout: seconds } }),
  );
}

/** The DLQ's message carrying `eventId`, as the peek route shows it, or undefined. */
async function peeked(eventId: string): Promise<Json | undefined> {
  const { status, body } = await operator('GET', `${PREFIX}/dispatch?sample=10`);
  expect(status).toBe(200);
  return (body.messages as Json[]).find((message) => String(message.bodyPreview).includes(eventId));
}

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
