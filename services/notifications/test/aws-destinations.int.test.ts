/**
 * AWS destinations on the local cloud, end to end through the APIs: an event posted to ingest reaches
 * an SQS queue, an SNS topic (through its SQS subscription in fauxqs) and an EventBridge bus (through
 * a rule with an SQS target), signed as a webhook, the signature checked with the subscription's
 * secret by the standardwebhooks verifier. The local stage has no STS: deliverAws and
 * createSubscription send with their own roles, which the local cloud's IAM lets reach only
 * `herald-local-destination-test-*` resources, so a target outside them is refused at creation.
 * A paused AWS destination's deliveries are held by deliverAws and sent once it is resumed.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, DeleteTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { clientConfig } from '@herald/local-cloud/client';
import { Webhook } from 'standardwebhooks';
import { ulid } from 'ulid';
import { awsClients, callService, eventually, tokenFor } from '../../../test/setup/local-cloud';
import { cloud, tenantApi } from './support/cloud';

const unique = () => ulid().toLowerCase();
const tenant = `it-aws-${unique()}`;
const api = tenantApi(tenant);
const ROLE = 'arn:aws:iam::000000000000:role/herald-destinations/it-destinations';
const { sqs } = awsClients();
const sns = new SNSClient(clientConfig(cloud.endpoints.aws.sqs));
const events = new EventBridgeClient(clientConfig(cloud.endpoints.aws.eventbridge));
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function testQueue(label: string): Promise<{ url: string; arn: string }> {
  const url = (
    await sqs.send(
      new CreateQueueCommand({ QueueName: `herald-local-destination-test-${label}-${unique()}` }),
    )
  ).QueueUrl!;
  cleanups.push(() => sqs.send(new DeleteQueueCommand({ QueueUrl: url })));
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })))
    .Attributes!.QueueArn!;
  return { url, arn };
}

/** The queue's messages until one satisfies `found`, each received once (deleted by visibility). */
async function messageWhere(
  url: string,
  found: (message: Message) => boolean,
  what: string,
): Promise<Message> {
  const seen: Message[] = [];
  return eventually(
    async () => {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['All'],
          VisibilityTimeout: 600,
        }),
      );
      seen.push(...(out.Messages ?? []));
      return seen.find(found);
    },
    45_000,
    what,
  );
}

const attributes = (message: Message): Record<string, string> =>
  Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue!]),
  );

/** Posts one event to ingest as a producer of the tenant; its id. */
async function postEvent(type: string, data: Record<string, unknown>): Promise<string> {
  const token = await tokenFor({ tenant, scopes: ['events:write'] });
  const id = `evt-${unique()}`;
  const answer = await callService('ingest', token, 'POST', '/v1/events', {
    body: { id, type, subject: `order/${id}`, data },
  });
  expect(answer.status).toBe(202);
  return id;
}

describe('AWS destinations on the local cloud', () => {
  test('the tenant’s ExternalId is made once and shown with the role path', async () => {
    const first = await api('GET', '/v1/destinations/external-id');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      externalId: expect.stringMatching(/^herald-[A-Za-z0-9_-]{32}$/),
      rolePath: '/herald-destinations/',
      principals: [
        'arn:aws:iam::000000000000:role/herald-notifications-local-deliverAws-us-east-1-lambdaRole',
        'arn:aws:iam::000000000000:role/herald-notifications-local-createSubscription-us-east-1',
        'arn:aws:iam::000000000000:role/herald-notifications-local-testDestination-us-east-1-lambdaRole',
      ],
    });

    expect((await api('GET', '/v1/destinations/external-id')).body).toEqual(first.body);
  });

  test('an SQS queue gets a test message at creation, then each event signed, headers as attributes', async () => {
    const queue = await testQueue('sqs');
    const created = await api('POST', '/v1/subscriptions', {
      destination: { arn: queue.arn, roleArn: ROLE },
      eventTypes: ['order.*'],
    });
    expect(created.status).toBe(201);
    const { externalId } = (await api('GET', '/v1/destinations/external-id')).body;
    expect(created.body).toMatchObject({
      kind: 'aws',
      status: 'active',
      destination: { arn: queue.arn, roleArn: ROLE, externalId },
    });
    const verifier = new Webhook(created.body.secret as string);
    const check = await messageWhere(
      queue.url,
      (m) => m.Body!.includes('herald.destination.test'),
      'test message',
    );
    expect(verifier.verify(check.Body!, attributes(check))).toMatchObject({
      type: 'herald.destination.test',
    });

    const id = await postEvent('order.created', { total: 42 });
    const message = await messageWhere(queue.url, (m) => m.Body!.includes(id), `event ${id} in the queue`);
    expect(attributes(message)).toMatchObject({
      'webhook-id': expect.stringMatching(/^msg_/),
      'webhook-signature': expect.stringMatching(/^v1,/),
      'x-correlation-id': expect.any(String),
    });
    expect(verifier.verify(message.Body!, attributes(message))).toMatchObject({
      id,
      type: 'order.created',
      data: { total: 42 },
    });

    const listed = await eventually(
      async () => {
        const page = await api('GET', `/v1/subscriptions/${created.body.id as string}/deliveries`);
        return page.body.items?.find((d) => d.eventId === id && d.status === 'succeeded');
      },
      30_000,
      'the delivery succeeded in the history',
    );
    expect(listed).toMatchObject({ status: 'succeeded' });

    // Redelivered through the AWS lane: the same webhook-id again, signed anew.
    const redelivered = await api('POST', `/v1/deliveries/${listed!.id as string}/redeliver`);
    expect(redelivered.status).toBe(202);
    const again = await messageWhere(
      queue.url,
      (m) => m.MessageId !== message.MessageId && m.Body!.includes(id),
      `event ${id} redelivered`,
    );
    expect(attributes(again)['webhook-id']).toBe(attributes(message)['webhook-id']);
    expect(verifier.verify(again.Body!, attributes(again))).toMatchObject({ id });

    // Test connection again: fine now, and a refusal once the queue is gone.
    const tested = await api('POST', `/v1/subscriptions/${created.body.id as string}/test`);
    expect(tested).toMatchObject({ status: 200, body: { ok: true } });
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }));
    const gone = await api('POST', `/v1/subscriptions/${created.body.id as string}/test`);
    expect(gone.status).toBe(200);
    expect(gone.body).toMatchObject({ ok: false, errors: [{ pointer: '/destination/arn' }] });
  }, 120_000);

  test('an SNS topic delivers through its SQS subscription, attributes and all', async () => {
    const queue = await testQueue('sns-sub');
    const topicArn = (
      await sns.send(new CreateTopicCommand({ Name: `herald-local-destination-test-sns-${unique()}` }))
    ).TopicArn!;
    cleanups.push(() => sns.send(new DeleteTopicCommand({ TopicArn: topicArn })));
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: queue.arn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const created = await api('POST', '/v1/subscriptions', {
      destination: { arn: topicArn, roleArn: ROLE },
      eventTypes: ['order.*'],
    });
    expect(created.status).toBe(201);
    const id = await postEvent('order.shipped', { carrier: 'post' });
    const message = await messageWhere(
      queue.url,
      (m) => m.Body!.includes(id),
      `event ${id} through the topic`,
    );
    expect(
      new Webhook(created.body.secret as string).verify(message.Body!, attributes(message)),
    ).toMatchObject({
      id,
      data: { carrier: 'post' },
    });
    expect(await api('POST', `/v1/subscriptions/${created.body.id as string}/test`)).toMatchObject({
      status: 200,
      body: { ok: true },
    });
  }, 120_000);

  test('an EventBridge bus gets the headers and payload in the detail; its rule hands it to a queue', async () => {
    const queue = await testQueue('bus-target');
    const busName = `herald-local-destination-test-bus-${unique()}`;
    const busArn = (await events.send(new CreateEventBusCommand({ Name: busName }))).EventBusArn!;
    const rule = `it-aws-destinations-${unique()}`;
    await events.send(
      new PutRuleCommand({
        Name: rule,
        EventBusName: busName,
        EventPattern: JSON.stringify({ source: ['herald'] }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: rule,
        EventBusName: busName,
        Targets: [{ Id: 'queue', Arn: queue.arn }],
      }),
    );
    cleanups.push(async () => {
      await events.send(new RemoveTargetsCommand({ Rule: rule, EventBusName: busName, Ids: ['queue'] }));
      await events.send(new DeleteRuleCommand({ Name: rule, EventBusName: busName }));
      await events.send(new DeleteEventBusCommand({ Name: busName }));
    });
    const created = await api('POST', '/v1/subscriptions', {
      destination: { arn: busArn, roleArn: ROLE },
      eventTypes: ['order.*'],
    });
    expect(created.status).toBe(201);
    const id = await postEvent('order.paid', { amount: 1.25 });
    const message = await messageWhere(queue.url, (m) => m.Body!.includes(id), `event ${id} through the bus`);
    const busEvent = JSON.parse(message.Body!) as {
      source: string;
      'detail-type': string;
      detail: { headers: Record<string, string>; payload: unknown };
    };
    expect(busEvent).toMatchObject({ source: 'herald', 'detail-type': 'order.paid' });
    expect(
      new Webhook(created.body.secret as string).verify(
        JSON.stringify(busEvent.detail.payload),
        busEvent.detail.headers,
      ),
    ).toMatchObject({
      id,
      data: { amount: 1.25 },
    });
    expect(await api('POST', `/v1/subscriptions/${created.body.id as string}/test`)).toMatchObject({
      status: 200,
      body: { ok: true },
    });
  }, 120_000);

  test('a subscription’s rate limit holds AWS deliveries back on their own queue, none lost', async () => {
    const queue = await testQueue('paced');
    const created = await api('POST', '/v1/subscriptions', {
      destination: { arn: queue.arn, roleArn: ROLE },
      eventTypes: ['order.*'],
      rateLimit: 1,
    });
    expect(created.status).toBe(201);
    const token = await tokenFor({ tenant, scopes: ['events:write'] });
    const ids = [1, 2, 3, 4].map(() => `evt-${unique()}`);
    const accepted = await callService('ingest', token, 'POST', '/v1/events', {
      body: { events: ids.map((id) => ({ id, type: 'order.paced', data: {} })) },
    });
    expect(accepted.status).toBe(202);
    // One a second: the later ones wait on the destinations queue (deliverAws puts them back).
    const arrived = new Set<string>();
    await messageWhere(
      queue.url,
      (m) => {
        for (const id of ids) if (m.Body!.includes(id)) arrived.add(id);
        return arrived.size === ids.length;
      },
      'the four paced events',
    );
  }, 120_000);

  test('a paused destination’s event is held, then sent to its queue once the subscription is resumed', async () => {
    const queue = await testQueue('paused');
    const created = await api('POST', '/v1/subscriptions', {
      destination: { arn: queue.arn, roleArn: ROLE },
      eventTypes: ['order.*'],
    });
    expect(created.status).toBe(201);
    const subscription = created.body.id as string;
    expect((await api('POST', `/v1/subscriptions/${subscription}/pause`)).body).toMatchObject({
      status: 'paused',
    });

    const id = await postEvent('order.held', { while: 'paused' });
    const deliveryOf = (status: string) =>
      eventually(
        async () => {
          const page = await api('GET', `/v1/subscriptions/${subscription}/deliveries`);
          const found = page.body.items?.find((d) => d.eventId === id);
          return found?.status === status ? found : undefined;
        },
        30_000,
        `the delivery ${status}`,
      );
    // deliverAws held it, checking in the same write that the subscription is still paused: no attempt.
    expect(await deliveryOf('held')).toMatchObject({ attempts: [] });

    expect((await api('POST', `/v1/subscriptions/${subscription}/resume`)).body).toMatchObject({
      status: 'active',
    });
    const message = await messageWhere(queue.url, (m) => m.Body!.includes(id), `event ${id} after resume`);
    expect(
      new Webhook(created.body.secret as string).verify(message.Body!, attributes(message)),
    ).toMatchObject({ id, data: { while: 'paused' } });
    expect(await deliveryOf('succeeded')).toMatchObject({ attempts: [{ outcome: 'succeeded' }] });
  }, 120_000);

  test('a target the role may not send to, and a role outside the prefix, are 422s naming what to check', async () => {
    const outside = await sqs.send(new CreateQueueCommand({ QueueName: `it-aws-outside-${unique()}` }));
    cleanups.push(() => sqs.send(new DeleteQueueCommand({ QueueUrl: outside.QueueUrl! })));
    const name = outside.QueueUrl!.split('/').at(-1)!;
    const refused = await api('POST', '/v1/subscriptions', {
      destination: { arn: `arn:aws:sqs:us-east-1:000000000000:${name}`, roleArn: ROLE },
      eventTypes: ['order.*'],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      {
        pointer: '/body/destination/arn',
        message: expect.stringMatching(
          /^the role was assumed, but the destination refused a test message \(sqs AccessDenied.*allows sqs:SendMessage on the queue/,
        ),
      },
    ]);
    const badRole = await api('POST', '/v1/subscriptions', {
      destination: {
        arn: 'arn:aws:sqs:us-east-1:000000000000:q',
        roleArn: 'arn:aws:iam::000000000000:role/admin',
      },
      eventTypes: ['order.*'],
    });
    expect(badRole.status).toBe(422);
    expect(badRole.body.errors).toEqual([
      {
        pointer: '/body/destination/roleArn',
        message: expect.stringMatching(/not a role under the path \/herald-destinations\//),
      },
    ]);
  }, 60_000);
});
