/**
 * The adapters each function needs, built once per container from its environment. Every getter
 * is lazy: a function only reads the variables (and creates the clients) its own work uses, which
 * is also all its IAM role allows.
 */
import type { SubscriptionDeps } from '../subscriptions';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { dynamoDocumentClient } from '@herald/shared/aws/dynamodb';
import { sqsClient } from '@herald/shared/aws/sqs';
import { requireEnv } from '@herald/shared/env';
import { createEnvelopeVerifier, parsePublicKeys, type EnvelopeVerifier } from '@herald/shared/signing';
import { ulid } from 'ulid';
import { deliverySettings, type DeliverySettings } from '../config';
import { cachingCipher, type SecretCipher } from '../signing-secrets';
import { countCalls } from './aws-call-counter';
import { DynamoDeliveryStore } from './dynamo-delivery-store';
import { DynamoSubscriptionHealth, DynamoSubscriptionStore } from './dynamo-subscription-store';
import { EventBridgePublisher } from './eventbridge-publisher';
import { DnsHostResolver, HttpWebhookSender } from './http-webhook-sender';
import { KmsSecretCipher } from './kms-secret-cipher';
import { SesEmailSender } from './ses-email-sender';
import { SqsQueues } from './sqs-queues';

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

const dynamo = /* @__PURE__ */ once(() => countCalls(dynamoDocumentClient(), 'DynamoDB'));
const sqs = /* @__PURE__ */ once(() => countCalls(sqsClient(), 'SQS'));

export const settings = /* @__PURE__ */ once((): DeliverySettings => deliverySettings());

export const subscriptionStore = /* @__PURE__ */ once(
  () => new DynamoSubscriptionStore(dynamo(), requireEnv('SUBSCRIPTIONS_TABLE')),
);
export const subscriptionHealth = /* @__PURE__ */ once(
  () => new DynamoSubscriptionHealth(dynamo(), requireEnv('SUBSCRIPTIONS_TABLE')),
);
export const deliveryStore = /* @__PURE__ */ once(
  () =>
    new DynamoDeliveryStore(dynamo(), requireEnv('DELIVERIES_TABLE'), {
      ...(process.env.SUBSCRIPTIONS_TABLE ? { subscriptionsTable: process.env.SUBSCRIPTIONS_TABLE } : {}),
      retentionDays: settings().retentionDays,
    }),
);

/** Decrypted secrets are kept five minutes per container: one KMS call per subscription, not per webhook. */
export const secretCipher = /* @__PURE__ */ once((): SecretCipher =>
  cachingCipher(new KmsSecretCipher(countCalls(new KMSClient({}), 'KMS'), requireEnv('SECRETS_KEY_ID')), {
    ttlMs: 5 * 60_000,
    maxEntries: 1000,
  }),
);

export const queues = /* @__PURE__ */ once(
  () =>
    new SqsQueues(sqs(), {
      ...(process.env.DELIVERY_QUEUE_URL ? { fast: process.env.DELIVERY_QUEUE_URL } : {}),
      ...(process.env.SLOW_DELIVERY_QUEUE_URL ? { slow: process.env.SLOW_DELIVERY_QUEUE_URL } : {}),
      ...(process.env.EMAIL_QUEUE_URL ? { email: process.env.EMAIL_QUEUE_URL } : {}),
      ...(process.env.DISPATCH_QUEUE_URL ? { dispatch: process.env.DISPATCH_QUEUE_URL } : {}),
    }),
);

export const publisher = /* @__PURE__ */ once(
  () =>
    new EventBridgePublisher(
      countCalls(new EventBridgeClient({}), 'EventBridge'),
      requireEnv('EVENT_BUS_NAME'),
    ),
);

/** Holds ingest's public keys only: it can check envelopes, never forge them. */
export const envelopeVerifier = /* @__PURE__ */ once((): EnvelopeVerifier =>
  createEnvelopeVerifier(parsePublicKeys(requireEnv('ENVELOPE_PUBLIC_KEYS'))),
);

export const webhookSender = /* @__PURE__ */ once(() => new HttpWebhookSender(settings().targets));
export const hostResolver = /* @__PURE__ */ once(() => new DnsHostResolver());
export const emailSender = /* @__PURE__ */ once(
  () => new SesEmailSender(countCalls(new SESv2Client({}), 'SES'), requireEnv('EMAIL_FROM')),
);

export const newSubscriptionId = (): string => `sub_${ulid()}`;
export const newJobId = (): string => ulid();

/** What the routes that write a subscription or its secret need (create, update, rotate). */
export const subscriptionDeps = (): SubscriptionDeps => ({
  repository: subscriptionStore(),
  cipher: secretCipher(),
  resolver: hostResolver(),
  targets: settings().targets,
  now: () => new Date(),
  newId: newSubscriptionId,
  graceSeconds: settings().graceSeconds,
});
