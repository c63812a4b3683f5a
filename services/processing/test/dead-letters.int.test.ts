/**
 * Processing's dead-letter queues through the operator routes, end to end on the local cloud, as an
 * operator goes through them: each queue is looked into and shows a letter of this test's own, left
 * where it is; the publish and bus queues are redriven, which puts the stored event each letter names
 * on the bus again, from the events table, so a subscriber that never had it gets it.
 *
 * Where each letter comes from:
 * - inbound: a forged envelope sent to the inbound queue, which consume refuses on every receive until
 *   the queue's redrive policy moves it (3 receives of 5 s on the `local` stage);
 * - publish: what publish writes when the bus refuses a stored event for good, sent with publish's own
 *   adapter (the local bus never refuses a valid entry): the event's tenant and id, the bus's code;
 * - bus: the event as the bus hands it to a dead-letter queue, with EventBridge's ERROR_CODE and
 *   ERROR_MESSAGE, written by the local bus itself. Its own dead-letter queue (events it cannot
 *   decrypt) is not emulated, so a rule of this test's own on processing's bus, whose target queue does
 *   not exist, has processing's bus DLQ as its dead-letter queue; the rule is gone before the redrive.
 *
 * Notifications' rule delivered the original of each event, so the witness of a republish is a webhook
 * subscription made after the original reached an earlier one: only a republished copy can reach it.
 *
 * The queues are shared with other files. This file reads only its own letters (by message id or by
 * the event they name) and takes them out at the end. A redrive takes whatever the queue holds: a letter
 * it cannot republish (processing.int.test.ts's unreadable item in the publish DLQ) is held only while
 * the pass runs (seconds) and made visible again at once, well inside that file's wait for it; no other
 * file leaves a letter naming a stored event there, and none writes to the bus DLQ.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  DeleteRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { CORRELATION_ATTRIBUTE } from '@herald/shared/correlation';
import { ACCOUNT_ID, clientConfig, REGION } from '@herald/local-cloud/client';
import { SqsDeadLetterQueue } from '../src/adapters/sqs-dead-letter-queue';
import { eventKey } from '../src/events-table';
import type { DeadLetter } from '../src/publish-events';
import { REPUBLISH_DOES } from '../src/republish';
import { storedEvent } from '../../../test/e2e/support/events';
import { eventIds, receivedUntil, verifyWebhook } from '../../../test/e2e/support/receiver';
import { newTenant, type Tenant, type WebhookSubscription } from '../../../test/e2e/support/tenant';
import { awsClients, callService, eventually, localCloud, tokenFor } from '../../../test/setup/local-cloud';

const cloud = localCloud();
const { sqs, dynamodb } = awsClients();
const bus = new EventBridgeClient(clientConfig(cloud.endpoints.aws.eventbridge));
const outputs = cloud.outputs.processing;
const EVENTS_TABLE = 'herald-local-processing-events';
const PREFIX = '/v1/operator/dead-letters';
const INBOUND = 'herald-local-processing-inbound';
const queueUrl = (name: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/${name}`;
const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${name}`;
const DLQ = {
  inbound: queueUrl(`${INBOUND}-dlq`),
  publish: outputs.PublishDeadLetterQueueUrl!,
  bus: queueUrl('herald-local-processing-bus-dlq'),
};

const run = randomBytes(4).toString('hex');
/** The id of this run's event of that label. */
const idOf = (label: string) => `dlq-${label}-${run}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** An operator: a token with the operator scope, whatever its tenant. */
async function operator(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const token = await tokenFor({ tenant: 'operations', scopes: ['operator:dead-letters'] });
  const { status, body: answer } = await callService<Json>('processing', token, method, path, { body });
  return { status, body: answer };
}

/** The queue as the peek route shows it, with up to ten of its messages (left in the queue). */
async function peek(queue: keyof typeof DLQ): Promise<Json> {
  const answer = await operator('GET', `${PREFIX}/${queue}?sample=10`);
  expect(answer.status).toBe(200);
  return answer.body;
}

/**
 * Waits until the peek route shows a message `mine` picks out; other files' reads can hide a letter
 * for a few seconds. Returns the queue's summary and that message.
 */
async function peekFor(
  queue: keyof typeof DLQ,
  mine: (message: Json) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<{ summary: Json; message: Json }> {
  return eventually(
    async () => {
      const { messages, ...summary } = await peek(queue);
      const message = (messages as Json[]).find(mine);
      return message === undefined ? undefined : { summary, message };
    },
    timeoutMs,
    what,
  );
}

/** A message whose (untruncated) body names `eventId` where `at` looks. */
const naming =
  (eventId: string, at: (body: Json) => unknown) =>
  (message: Json): boolean => {
    if (message.truncated) return false;
    try {
      return at(JSON.parse(message.bodyPreview as string) as Json) === eventId;
    } catch {
      return false;
    }
  };

/**
 * Takes every message of this run (its body names one of the run's events) out of a dead-letter
 * queue, in one pass over it: the others received on the way are held until the pass ends, so none
 * is read twice, then made visible again at once.
 */
async function takeOut(queueUrl: string, timeoutMs = 30_000): Promise<void> {
  const theirs: string[] = [];
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          VisibilityTimeout: 30,
        }),
      );
      if (Messages.length === 0) break;
      const mine = Messages.filter((m) => (m.Body ?? '').includes(`-${run}`));
      theirs.push(...Messages.filter((m) => !mine.includes(m)).map((m) => m.ReceiptHandle!));
      if (mine.length > 0)
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: mine.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
    }
  } finally {
    for (let i = 0; i < theirs.length; i += 10)
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: theirs
            .slice(i, i + 10)
            .map((receipt, j) => ({ Id: String(j), ReceiptHandle: receipt, VisibilityTimeout: 0 })),
        }),
      );
  }
}

/** What this file leaves on the shared cloud, undone at the end whatever happened. */
const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo().catch(() => undefined);
}, 120_000);

let tenant: Tenant;
/** Subscribed to every event of these tests from the start: it gets each original. */
let early: WebhookSubscription;

beforeAll(async () => {
  tenant = await newTenant();
  early = await tenant.subscribeWebhook(['dlq.publish', 'dlq.bus']);
}, 30_000);

/** Posts an event to ingest as the tenant, waits until processing serves it and `early` received it. */
async function ingested(type: string, label: string): Promise<{ id: string; type: string }> {
  const event = { id: idOf(label), type, data: { label } };
  const accepted = await tenant.call('ingest', 'POST', '/v1/events', { body: event });
  expect(accepted.status).toBe(202);
  await storedEvent(tenant, event.id);
  await receivedUntil(
    early.endpoint,
    (r) => eventIds(r).includes(event.id),
    `${event.id} at the early subscriber`,
  );
  return event;
}

/** Waits for `eventId` at the subscription's endpoint, checked as the subscriber checks it. */
async function deliveredTo(subscription: WebhookSubscription, eventId: string, type: string): Promise<void> {
  const requests = await receivedUntil(
    subscription.endpoint,
    (r) => eventIds(r).includes(eventId),
    `${eventId} at the subscriber made after its original`,
  );
  expect(eventIds(requests)).toEqual([eventId]);
  expect(verifyWebhook(requests[0]!, subscription.secret)).toMatchObject({ id: eventId, type });
}

/**
 * Redrives a resend queue: `republished`'s event goes back on the bus and its letter is taken, while
 * `expired`'s (its event no longer stored) is kept, with why.
 */
async function redriveResending(queue: 'publish' | 'bus', republished: Json, expired: Json) {
  const redriven = await operator('POST', `${PREFIX}/${queue}/redrive`, {});
  expect(redriven.status).toBe(200);
  expect(redriven.body).toMatchObject({ queue, kind: 'resend', finished: true });
  expect(redriven.body.resent).toBeGreaterThanOrEqual(1);
  const kept = new Map(
    (redriven.body.kept as Json[]).map((k) => [k.messageId as string, k.reason as string]),
  );
  expect(kept.has(republished.messageId as string)).toBe(false);
  expect(kept.get(expired.messageId as string)).toBe('not in the events table (expired?)');
}

describe('processing’s dead-letter queues, through the operator routes', () => {
  test('inbound: an envelope consume refused on every receive is shown with why, redacted, and left in place', async () => {
    const correlationId = `dlq-inbound-${run}`;
    const secret = `sk_live_${randomBytes(12).toString('hex')}`;
    // Signed with a key processing does not know: refused on every receive.
    const forged = {
      specversion: '1.0',
      id: `dlq-inbound-${run}`,
      source: '/herald/ingest',
      type: 'dlq.inbound',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: { apiKey: secret, n: 1 },
      tenantid: tenant.id,
      correlationid: correlationId,
      signaturekeyid: 'not-an-ingest-key',
      signature: `${'A'.repeat(85)}A`,
    };
    const body = JSON.stringify(forged);
    const { MessageId } = await sqs.send(
      new SendMessageCommand({
        QueueUrl: outputs.InboundQueueUrl,
        MessageBody: body,
        MessageAttributes: { [CORRELATION_ATTRIBUTE]: { DataType: 'String', StringValue: correlationId } },
      }),
    );
    cleanup.push(() => takeOut(DLQ.inbound));

    const { summary, message } = await peekFor(
      'inbound',
      (m) => m.messageId === MessageId,
      'the forged envelope in the inbound DLQ',
      90_000,
    );
    expect(summary).toMatchObject({
      queue: 'inbound',
      name: `${INBOUND}-dlq`,
      source: { name: INBOUND, maxReceiveCount: 3 },
      redrive: { kind: 'move' },
      oldestSampledSentAt: expect.any(String),
    });
    expect(summary.approximateNumberOfMessages).toBeGreaterThanOrEqual(1);
    expect(message).toMatchObject({
      reason: `exceeded maxReceiveCount 3 on ${INBOUND}`,
      correlationId,
      sentAt: expect.any(String),
      ageSeconds: expect.any(Number),
      bodyBytes: Buffer.byteLength(body),
      truncated: false,
    });
    // Received by consume more than maxReceiveCount times (the last receive moved it), and by the peek.
    expect(message.receiveCount).toBeGreaterThan(3);
    // Secrets hidden, the rest shown: the operator can tell whose envelope it is, not replay its key.
    const shown = JSON.parse(message.bodyPreview as string) as Json;
    expect(shown).toMatchObject({
      id: forged.id,
      tenantid: tenant.id,
      signaturekeyid: 'not-an-ingest-key',
      signature: '[redacted]',
      data: { apiKey: '[redacted]', n: 1 },
    });
    expect(message.bodyPreview).not.toContain(secret);

    // Each queue listed, with its source and how it is redriven; and the letter is still there.
    const listed = await operator('GET', PREFIX);
    expect(listed.status).toBe(200);
    expect(listed.body.service).toBe('processing');
    const queues = Object.fromEntries((listed.body.deadLetterQueues as Json[]).map((q) => [q.queue, q]));
    expect(queues).toMatchObject({
      inbound: { name: `${INBOUND}-dlq`, redrive: { kind: 'move' } },
      publish: {
        name: 'herald-local-processing-publish-dlq',
        redrive: { kind: 'resend', does: REPUBLISH_DOES },
      },
      bus: { name: 'herald-local-processing-bus-dlq', redrive: { kind: 'resend', does: REPUBLISH_DOES } },
    });
    await peekFor(
      'inbound',
      (m) => m.messageId === MessageId,
      'the forged envelope, still in the inbound DLQ',
    );
  }, 150_000);

  test('publish: a stored event the bus refused is shown, republished from the table by the redrive, and its letter gone', async () => {
    const event = await ingested('dlq.publish', 'publish');
    const late = await tenant.subscribeWebhook(['dlq.publish']);

    // What publish writes when the bus refuses an entry for good, through publish's own adapter; and one
    // naming an event the table no longer holds (expired), which no redrive can republish.
    const refused: DeadLetter = {
      reason: 'rejected-by-bus',
      sequenceNumber: '4100000000000000000001',
      tenantId: tenant.id,
      eventId: event.id,
      errorCode: 'InvalidArgument',
    };
    const expired: DeadLetter = {
      ...refused,
      sequenceNumber: '4100000000000000000002',
      eventId: `${event.id}-expired`,
    };
    await new SqsDeadLetterQueue(sqs, DLQ.publish).send([refused, expired]);
    cleanup.push(() => takeOut(DLQ.publish));

    const { summary, message } = await peekFor(
      'publish',
      naming(event.id, (body) => body.eventId),
      'the refused event’s letter in the publish DLQ',
    );
    const { message: expiredLetter } = await peekFor(
      'publish',
      naming(expired.eventId!, (body) => body.eventId),
      'the expired event’s letter in the publish DLQ',
    );
    expect(summary).toMatchObject({
      queue: 'publish',
      name: 'herald-local-processing-publish-dlq',
      redrive: { kind: 'resend', does: REPUBLISH_DOES },
    });
    expect(summary.source).toBeUndefined();
    expect(message).toMatchObject({
      reason: 'rejected-by-bus (InvalidArgument)',
      sentAt: expect.any(String),
    });
    expect(JSON.parse(message.bodyPreview as string)).toEqual(refused);

    await redriveResending('publish', message, expiredLetter);

    // On the bus again, exactly as stored: the subscriber made after the original gets it, signed.
    await deliveredTo(late, event.id, event.type);
    // The republished letter is gone; the one that could not be is still there for the operator.
    const after = (await peek('publish')).messages as Json[];
    expect(after.map((m) => m.messageId)).not.toContain(message.messageId);
    await peekFor(
      'publish',
      (m) => m.messageId === expiredLetter.messageId,
      'the expired event’s letter, kept',
    );
  }, 240_000);

  test('bus: an event the bus dead-lettered is shown with EventBridge’s error, republished from the table by the redrive, and its letter gone', async () => {
    // A rule of this test's own whose target is gone: the bus dead-letters what it matches.
    const rule = `processing-dlq-int-${run}`;
    await bus.send(
      new PutRuleCommand({
        Name: rule,
        EventBusName: outputs.EventBusName,
        EventPattern: JSON.stringify({
          source: ['herald.processing'],
          'detail-type': ['event.stored'],
          detail: { tenantid: [tenant.id], id: [idOf('bus'), idOf('bus-expired')] },
        }),
      }),
    );
    const removeRule = async () => {
      await bus.send(
        new RemoveTargetsCommand({ Rule: rule, EventBusName: outputs.EventBusName, Ids: ['gone'] }),
      );
      await bus.send(new DeleteRuleCommand({ Name: rule, EventBusName: outputs.EventBusName }));
    };
    cleanup.push(removeRule);
    await bus.send(
      new PutTargetsCommand({
        Rule: rule,
        EventBusName: outputs.EventBusName,
        Targets: [
          {
            Id: 'gone',
            Arn: queueArn(`processing-dlq-int-${run}-gone`),
            DeadLetterConfig: { Arn: queueArn('herald-local-processing-bus-dlq') },
          },
        ],
      }),
    );
    cleanup.push(() => takeOut(DLQ.bus));

    const event = await ingested('dlq.bus', 'bus');
    const expiring = await ingested('dlq.bus', 'bus-expired');
    const { summary, message } = await peekFor(
      'bus',
      naming(event.id, (body) => body.detail?.id),
      'the event in the bus DLQ',
    );
    const { message: expiredLetter } = await peekFor(
      'bus',
      naming(expiring.id, (body) => body.detail?.id),
      'the expiring event in the bus DLQ',
    );
    expect(summary).toMatchObject({
      queue: 'bus',
      name: 'herald-local-processing-bus-dlq',
      redrive: { kind: 'resend', does: REPUBLISH_DOES },
    });
    expect(message.reason).toBe(`NO_RESOURCE: Queue processing-dlq-int-${run}-gone does not exist.`);
    // The event as the bus delivers it, the stored envelope as its detail, signature hidden.
    expect(JSON.parse(message.bodyPreview as string)).toMatchObject({
      source: 'herald.processing',
      'detail-type': 'event.stored',
      detail: { id: event.id, tenantid: tenant.id, type: 'dlq.bus', signature: '[redacted]' },
    });

    // The cause fixed; meanwhile the other event expired from the table (as its TTL would remove it).
    await removeRule();
    await dynamodb.send(
      new DeleteCommand({ TableName: EVENTS_TABLE, Key: eventKey(tenant.id, expiring.id) }),
    );
    const late = await tenant.subscribeWebhook(['dlq.bus']);

    await redriveResending('bus', message, expiredLetter);

    await deliveredTo(late, event.id, event.type);
    const after = (await peek('bus')).messages as Json[];
    expect(after.map((m) => m.messageId)).not.toContain(message.messageId);
    await peekFor('bus', (m) => m.messageId === expiredLetter.messageId, 'the expired event’s letter, kept');
  }, 240_000);
});
