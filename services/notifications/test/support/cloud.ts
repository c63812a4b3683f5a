/**
 * What the notifications integration tests do against the local cloud: call the API as a tenant,
 * put signed stored events on processing's bus, and read what the webhook receiver and the SES
 * emulator got.
 */
import {
  DeleteRuleCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { expect } from '@jest/globals';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Envelope } from '@herald/shared/contracts';
import { createEnvelopeSigner, type Ed25519PrivateJwk } from '@herald/shared/signing';
import { ulid } from 'ulid';
import { clientConfig } from '@herald/local-cloud/client';
import {
  awsClients,
  callService,
  eventually,
  localCloud,
  serviceLogRecords,
  tokenFor,
} from '../../../../test/setup/local-cloud';
import { drained, pipelineQueues } from '../../../../test/e2e/support/barrier';

export const cloud = localCloud();
const signingKey = (cloud as unknown as { envelopeSigningKey: Ed25519PrivateJwk }).envelopeSigningKey;
const signer = createEnvelopeSigner(signingKey);
const events = new EventBridgeClient(clientConfig(cloud.endpoints.aws.eventbridge));

export interface ApiResponse {
  status: number;
  contentType: string | null;
  body: Record<string, unknown> & { items?: Array<Record<string, unknown>> };
}

export function tenantApi(tenant: string, scopes = ['subscriptions:read', 'subscriptions:write']) {
  const token = tokenFor({ tenant, scopes });
  return async (method: string, path: string, body?: unknown): Promise<ApiResponse> => {
    const answer = await callService<ApiResponse['body']>('notifications', await token, method, path, {
      body,
    });
    return { status: answer.status, contentType: answer.headers.get('content-type'), body: answer.body };
  };
}

/** A fresh receiver endpoint name, so tests never see each other's requests. */
export const endpointName = (label: string) => `${label}-${ulid().toLowerCase()}`;
export const endpointUrl = (name: string) => `${cloud.endpoints.webhooks}/${name}`;

/** The local stage's slowThresholdMs is 1000 and its webhookTimeoutMs 3000: a receiver this slow is slow. */
export const SLOW_RECEIVER_MS = 1500;
export const SUBSCRIPTIONS_TABLE = 'herald-local-notifications-subscriptions';

/** A webhook subscription to a fresh receiver endpoint that verifies with its secret and behaves as told. */
export async function webhookSubscription(
  api: ReturnType<typeof tenantApi>,
  label: string,
  eventTypes: string[],
  behaviour: Record<string, unknown> = {},
) {
  const name = endpointName(label);
  const created = await api('POST', '/v1/subscriptions', {
    url: endpointUrl(name),
    eventTypes,
    description: `integration ${label}`,
  });
  expect(created.status).toBe(201);
  const secret = created.body.secret as string;
  await configureEndpoint(name, { secret, ...behaviour });
  return { name, id: created.body.id as string, secret, created };
}

/** The subscription's item once deliver has timed a slow answer and marked it slow. */
export function markedSlow(tenant: string, subscriptionId: string) {
  return eventually(
    async () => {
      const { Item } = await awsClients().dynamodb.send(
        new GetCommand({
          TableName: SUBSCRIPTIONS_TABLE,
          Key: { pk: `TENANT#${tenant}`, sk: `SUB#${subscriptionId}` },
        }),
      );
      return Item?.slowSince ? Item : undefined;
    },
    20_000,
    'the slow mark',
  );
}

export async function configureEndpoint(name: string, settings: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${cloud.endpoints.webhooks}/_endpoints/${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });
  if (response.status !== 200) throw new Error(`receiver refused settings: ${await response.text()}`);
}

export interface Received {
  seq: number;
  time: string;
  headers: Record<string, string>;
  body: string;
  json?: { id: string; type: string; data: unknown };
  verified?: boolean;
  verificationError?: string;
  status: number;
}

export async function received(name: string): Promise<Received[]> {
  const response = await fetch(`${cloud.endpoints.webhooks}/_requests?endpoint=${encodeURIComponent(name)}`);
  return (await response.json()) as Received[];
}

export function receivedAtLeast(name: string, count: number, timeoutMs = 20_000): Promise<Received[]> {
  return eventually(
    async () => {
      const requests = await received(name);
      return requests.length >= count ? requests : undefined;
    },
    timeoutMs,
    `${count} request(s) at ${name}`,
  );
}

export function signedEvent(tenant: string, type: string, data: Record<string, unknown> = {}): Envelope {
  return signer.sign({
    specversion: '1.0',
    id: `evt-${ulid()}`,
    source: '/herald/ingest',
    type,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: data as never,
    tenantid: tenant,
    correlationid: `it-${ulid()}`,
  });
}

/** What processing's publish does for a stored event. */
export async function publishStored(...envelopes: Envelope[]): Promise<void> {
  const out = await events.send(
    new PutEventsCommand({
      Entries: envelopes.map((envelope) => ({
        EventBusName: 'herald-local',
        Source: 'herald.processing',
        DetailType: 'event.stored',
        Detail: JSON.stringify(envelope),
      })),
    }),
  );
  if (out.FailedEntryCount) throw new Error(`PutEvents failed: ${JSON.stringify(out.Entries)}`);
}

export async function sesMessages(): Promise<
  Array<{ destination: { to: string[] }; subject: string; body: { text?: string } }>
> {
  const response = await fetch(`${cloud.endpoints.aws.ses}/store`);
  const store = (await response.json()) as { emails?: unknown[] };
  return (store.emails ?? []) as never;
}

/**
 * Makes the SES emulator refuse every mail to `address` with SendEmail's `error` (MessageRejected: a
 * permanent refusal, as SES answers for an address it will not send to), until the returned function
 * is called. See packages/local-cloud's README, "SES".
 */
export async function refuseMail(address: string, error = 'MessageRejected'): Promise<() => Promise<void>> {
  const url = `${cloud.endpoints.aws.ses}/_refusals/${encodeURIComponent(address)}`;
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error }),
  });
  if (response.status !== 200) throw new Error(`SES emulator refused the setting: ${await response.text()}`);
  return async () => {
    await fetch(url, { method: 'DELETE' });
  };
}

/** The confirmation link in a confirmation mail. */
export const confirmationLink = (mail: { body: { text?: string } }) =>
  /(http\S+\/v1\/email\/confirm\?token=\S+)/.exec(mail.body.text ?? '')?.[1];

/** An e-mail subscription whose address has followed its confirmation link: active. */
export async function confirmedEmailSubscription(
  api: ReturnType<typeof tenantApi>,
  address: string,
  eventTypes: string[],
): Promise<string> {
  const created = await api('POST', '/v1/subscriptions', { email: address, eventTypes });
  if (created.status !== 201) throw new Error(`subscription refused: ${JSON.stringify(created.body)}`);
  const mail = await eventually(
    async () => (await sesMessages()).find((m) => m.destination.to.includes(address)),
    20_000,
    `the confirmation mail to ${address}`,
  );
  const confirmed = await fetch(confirmationLink(mail)!);
  if (confirmed.status !== 200) throw new Error(`confirmation link answered ${confirmed.status}`);
  return created.body.id as string;
}

/** An event notifications published on its bus, as an EventBridge rule's SQS target receives it. */
export interface BusEvent {
  source: string;
  'detail-type': string;
  detail: Record<string, unknown>;
}

/**
 * What notifications publishes on the bus about `tenant` (delivery.failed, subscription.disabled),
 * caught by a rule of the caller's own into a queue of its own, as a consumer of those events would
 * be. Messages are deleted as they are read; `stop()` removes the rule and the queue.
 */
export async function observeNotificationEvents(tenant: string) {
  const { sqs } = awsClients();
  const name = `it-notifications-observer-${ulid().toLowerCase()}`;
  const bus = 'herald-local';
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const queueArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  await events.send(
    new PutRuleCommand({
      Name: name,
      EventBusName: bus,
      EventPattern: JSON.stringify({ source: ['herald.notifications'], detail: { tenantid: [tenant] } }),
    }),
  );
  await events.send(
    new PutTargetsCommand({ Rule: name, EventBusName: bus, Targets: [{ Id: 'observer', Arn: queueArn }] }),
  );
  const seen: BusEvent[] = [];
  return {
    /** Every event caught so far. */
    async events(): Promise<BusEvent[]> {
      const out = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      const messages = out.Messages ?? [];
      seen.push(...messages.map((m) => JSON.parse(m.Body!) as BusEvent));
      if (messages.length > 0)
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      return [...seen];
    },
    async stop(): Promise<void> {
      await events.send(new RemoveTargetsCommand({ Rule: name, EventBusName: bus, Ids: ['observer'] }));
      await events.send(new DeleteRuleCommand({ Name: name, EventBusName: bus }));
      await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    },
  };
}

export { eventually };

/**
 * Waits until notifications' dispatch and webhook queues are empty (visible, in flight, delayed):
 * every task fanned out so far has then been sent or dropped, so a webhook that has not arrived by
 * now never will. Call it once a later event has arrived (the barrier), so the earlier one's fan-out
 * is known to be on the queues.
 */
export const settled = () => drained(pipelineQueues('dispatch'));

/** The JSON log records of the notifications functions. */
export const notificationLogs = () => serviceLogRecords('notifications');
