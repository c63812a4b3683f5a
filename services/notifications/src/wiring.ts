/**
 * The one place the notifications functions are wired: the adapters each function needs, built
 * once per container from its environment. Every getter is lazy: a function only reads the
 * variables (and creates the clients) its own work uses, which is also all its IAM role allows.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { STSClient } from '@aws-sdk/client-sts';
import { eventBridgeAuditPut } from '@herald/shared/audit-outbox';
import { SqsDeadLetterQueues } from '@herald/shared/aws/dead-letter-queues';
import { secretString } from '@herald/shared/aws/secrets';
import { dynamoDocumentClient } from '@herald/shared/aws/dynamodb';
import { s3Client } from '@herald/shared/aws/s3';
import { sqsClient } from '@herald/shared/aws/sqs';
import { tenantDataAdapters } from '@herald/shared/tenant-data/aws';
import type { TenantDataDeps } from '@herald/shared/tenant-data/job';
import { resolveCatalog } from '@herald/shared/dead-letters/catalog';
import type { DeadLetterDeps } from '@herald/shared/dead-letters/routes';
import { requireEnv } from '@herald/shared/env';
import { lazy } from '@herald/shared/lazy';
import { createEnvelopeVerifier, parsePublicKeys, type EnvelopeVerifier } from '@herald/shared/signing';
import type { SQSRecord } from 'aws-lambda';
import { ulid } from '@herald/shared/ulid';
import { countCalls } from '@herald/shared/aws/call-counter';
import {
  coalescedDeliverReads,
  coalescedDispatchQueue,
  coalescedEventLog,
  coalescedSlots,
  coalescedSubscriptionList,
} from './adapters/coalesced-ports';
import { createDeliveryMetrics, outcomeCounter } from './adapters/delivery-metrics';
import { createSecuritySignals } from './adapters/security-metrics';
import { DynamoDeliverySlots } from './adapters/dynamo-delivery-slots';
import { DynamoDeliverReads } from './adapters/dynamo-deliver-reads';
import { DynamoDeliveryStore } from './adapters/dynamo-delivery-store';
import { DynamoEmailDayCounter } from './adapters/dynamo-email-day-counter';
import { DynamoEventLog } from './adapters/dynamo-event-log';
import { DynamoSubjectOrder } from './adapters/dynamo-subject-order';
import { DynamoStatsStore } from './adapters/dynamo-stats';
import { DynamoSubscriptionHealth, DynamoSubscriptionStore } from './adapters/dynamo-subscription-store';
import { EventBridgePublisher } from './adapters/eventbridge-publisher';
import { DnsHostResolver, HttpWebhookSender } from './adapters/http-webhook-sender';
import { KmsSecretCipher } from './adapters/kms-secret-cipher';
import { SesEmailSender } from './adapters/ses-email-sender';
import { AwsDestinationSender } from './adapters/aws-destination-sender';
import { DynamoExternalIds } from './adapters/dynamo-external-ids';
import { StsRoleAssumer } from './adapters/sts-role-assumer';
import { SqsQueues } from './adapters/sqs-queues';
import { DynamoTenantUsage } from './adapters/dynamo-tenant-usage';
import { DynamoWebhookKeys } from './adapters/dynamo-webhook-keys';
import { DynamoTenantTables } from './adapters/dynamo-tenant-tables';
import { DynamoTenantState } from './adapters/dynamo-tenant-state';
import { deliverySettings, type DeliverySettings } from './config';
import { awsChannel } from './delivery/aws-channel';
import { emailChannel } from './delivery/email-channel';
import type { Channel, DeliverDeps } from './delivery/ports';
import { webhookChannel } from './delivery/webhook-channel';
import type { DispatchDeps } from './fan-out/ports';
import type { Lane } from './model/lanes';
import { notificationsDeadLetterQueues } from './routes/dead-letters';
import { emailLink, type EmailLinkDeps } from './subscriptions/email-confirmation';
import { tokenKeyFromSecret } from './subscriptions/email-confirmation-token';
import type { SubscriptionDeps } from './subscriptions/ports';
import { roleSessions, type RoleSessions } from './subscriptions/destination-role';
import type { DestinationDeps } from './subscriptions/destination-test';
import { cachingCipher, type SecretCipher } from './subscriptions/signing-secrets';
import { cachingKeySource, type PublicKeySource } from './subscriptions/webhook-keys';
import { notificationsSteps } from './tenant-data/steps';
import type { TenantStateDeps } from './tenant-state/ports';

/** How long a delivery function holds a claim on a delivery: longer than any one attempt takes. */
const LEASE_MS = 120_000;

const dynamo = /* @__PURE__ */ lazy(() => countCalls(dynamoDocumentClient(), 'DynamoDB'));
const sqs = /* @__PURE__ */ lazy(() => countCalls(sqsClient(), 'SQS'));

export const settings = /* @__PURE__ */ lazy((): DeliverySettings => deliverySettings());

export const subscriptionStore = /* @__PURE__ */ lazy(
  () => new DynamoSubscriptionStore(dynamo(), requireEnv('SUBSCRIPTIONS_TABLE')),
);
const subscriptionHealth = /* @__PURE__ */ lazy(
  () => new DynamoSubscriptionHealth(dynamo(), requireEnv('SUBSCRIPTIONS_TABLE')),
);
/** The public key set's read, each tenant's kept 30 s per container (the route is public). */
export const webhookKeySource = /* @__PURE__ */ lazy((): PublicKeySource =>
  cachingKeySource(new DynamoWebhookKeys(dynamo(), requireEnv('SUBSCRIPTIONS_TABLE')), {
    ttlMs: 30_000,
    maxEntries: 1_000,
  }),
);

export const deliveryStore = /* @__PURE__ */ lazy(
  () =>
    new DynamoDeliveryStore(dynamo(), requireEnv('DELIVERIES_TABLE'), {
      ...(process.env.SUBSCRIPTIONS_TABLE ? { subscriptionsTable: process.env.SUBSCRIPTIONS_TABLE } : {}),
      retentionDays: settings().retentionDays,
    }),
);
export const eventLog = /* @__PURE__ */ lazy(
  () => new DynamoEventLog(dynamo(), requireEnv('DELIVERIES_TABLE')),
);
/** Heads and marks of subscriptions ordered by subject, kept as long as the events they order. */
export const subjectOrder = /* @__PURE__ */ lazy(
  () => new DynamoSubjectOrder(dynamo(), requireEnv('DELIVERIES_TABLE'), settings().retentionDays * 86_400),
);
/** The overview's counters (aggregateStats writes them, getStats reads them). */
export const statsStore = /* @__PURE__ */ lazy(
  () => new DynamoStatsStore(dynamo(), requireEnv('DELIVERIES_TABLE')),
);
/** What counts toward a tenant's limits: subscriptions created, replays running. */
export const tenantUsage = /* @__PURE__ */ lazy(
  () => new DynamoTenantUsage(dynamo(), requireEnv('SUBSCRIPTIONS_TABLE')),
);
const deliverySlots = /* @__PURE__ */ lazy(
  () => new DynamoDeliverySlots(dynamo(), requireEnv('SUBSCRIPTIONS_TABLE')),
);

/** Decrypted secrets are kept five minutes per container: one KMS call per subscription, not per webhook. */
const secretCipher = /* @__PURE__ */ lazy((): SecretCipher =>
  cachingCipher(new KmsSecretCipher(countCalls(new KMSClient({}), 'KMS'), requireEnv('SECRETS_KEY_ID')), {
    ttlMs: 5 * 60_000,
    maxEntries: 1000,
  }),
);

export const queues = /* @__PURE__ */ lazy(
  () =>
    new SqsQueues(sqs(), {
      ...(process.env.DELIVERY_QUEUE_URL ? { fast: process.env.DELIVERY_QUEUE_URL } : {}),
      ...(process.env.SLOW_DELIVERY_QUEUE_URL ? { slow: process.env.SLOW_DELIVERY_QUEUE_URL } : {}),
      ...(process.env.EMAIL_QUEUE_URL ? { email: process.env.EMAIL_QUEUE_URL } : {}),
      ...(process.env.DESTINATIONS_QUEUE_URL ? { aws: process.env.DESTINATIONS_QUEUE_URL } : {}),
      ...(process.env.DISPATCH_QUEUE_URL ? { dispatch: process.env.DISPATCH_QUEUE_URL } : {}),
    }),
);

const publisher = /* @__PURE__ */ lazy(
  () =>
    new EventBridgePublisher(
      countCalls(new EventBridgeClient({}), 'EventBridge'),
      requireEnv('EVENT_BUS_NAME'),
    ),
);

/** publishAudit: each audit outbox entry put on processing's bus as audit.recorded. */
export const auditPut = /* @__PURE__ */ lazy(() =>
  eventBridgeAuditPut(countCalls(new EventBridgeClient({}), 'EventBridge'), requireEnv('EVENT_BUS_NAME')),
);

/** Holds ingest's public keys only: it can check envelopes, never forge them. */
const envelopeVerifier = /* @__PURE__ */ lazy((): EnvelopeVerifier =>
  createEnvelopeVerifier(parsePublicKeys(requireEnv('ENVELOPE_PUBLIC_KEYS'))),
);

export const webhooks = /* @__PURE__ */ lazy(() =>
  webhookChannel({
    sender: new HttpWebhookSender(settings().targets, undefined, () => securitySignals().ssrfRefused('send')),
    cipher: secretCipher(),
    timeoutMs: settings().timeoutMs,
    maxTimeoutMs: settings().maxTimeoutSeconds * 1000,
  }),
);
/** Every mail, confirmations included, goes through the stage's configuration set (suppression list). */
const sesSender = /* @__PURE__ */ lazy(
  () =>
    new SesEmailSender(
      countCalls(new SESv2Client({}), 'SES'),
      requireEnv('EMAIL_FROM'),
      process.env.EMAIL_CONFIGURATION_SET || undefined,
    ),
);
/** Signed e-mail links (confirm, unsubscribe): the key is a secret only the e-mail functions may read. */
export const emailLinkDeps = /* @__PURE__ */ lazy((): EmailLinkDeps => ({
  repository: subscriptionStore(),
  keys: async () => ({
    current: tokenKeyFromSecret(await secretString(requireEnv('EMAIL_LINK_KEY_SECRET_ID'))),
  }),
  mailer: sesSender(),
  linkBaseUrl: requireEnv('EMAIL_LINK_BASE_URL').replace(/\/+$/, ''),
  now: () => new Date(),
}));
export const emails = /* @__PURE__ */ lazy(() =>
  emailChannel(sesSender(), (subscription) => emailLink('unsubscribe', subscription, emailLinkDeps())),
);
/** What notifications keeps of each tenant (its status on its subscriptions, its settings). */
export const tenantState = /* @__PURE__ */ lazy(
  () => new DynamoTenantState(dynamo(), requireEnv('SUBSCRIPTIONS_TABLE')),
);

/** tenantState: the tenants service's events applied; a resume's release jobs on the dispatch queue. */
export const tenantStateDeps = /* @__PURE__ */ lazy((): TenantStateDeps => ({
  store: tenantState(),
  jobs: { send: (job, delay) => queues().sendJob(job, delay) },
  newId: newJobId,
}));

/** The daily e-mail cap deliverEmail enforces: its counters are items of the deliveries table. */
export const emailCap = /* @__PURE__ */ lazy((): NonNullable<DeliverDeps['emailCap']> => ({
  counter: new DynamoEmailDayCounter(dynamo(), requireEnv('DELIVERIES_TABLE')),
  limit: settings().dailyEmailCapPerTenant,
}));

/** A tenant's ExternalId for its AWS destinations' roles: an item of the subscriptions table. */
export const externalIds = /* @__PURE__ */ lazy(
  () => new DynamoExternalIds(dynamo(), requireEnv('SUBSCRIPTIONS_TABLE')),
);
/** The IAM path a destination's role must be under (the stage's; Herald may assume nothing else). */
export const destinationsRolePathPrefix = (): string => requireEnv('DESTINATIONS_ROLE_PATH_PREFIX');
/**
 * Assumed roles' credentials, kept per container; none where the stage sends with the function's
 * own credentials (DESTINATIONS_ASSUME_ROLE=false: the local stage, which has no STS emulator).
 */
const destinationSessions = /* @__PURE__ */ lazy((): RoleSessions | undefined =>
  process.env.DESTINATIONS_ASSUME_ROLE === 'false'
    ? undefined
    : roleSessions(new StsRoleAssumer(countCalls(new STSClient({}), 'STS'))),
);
const destinationSender = /* @__PURE__ */ lazy(() => new AwsDestinationSender());
/** What creating an AWS destination subscription needs beyond a webhook's: its ExternalId and test. */
export const destinationDeps = /* @__PURE__ */ lazy((): DestinationDeps => ({
  externalIds: externalIds(),
  rolePathPrefix: destinationsRolePathPrefix(),
  sender: destinationSender(),
  sessions: destinationSessions(),
}));
export const awsDestinations = /* @__PURE__ */ lazy(() =>
  awsChannel({ sender: destinationSender(), cipher: secretCipher(), sessions: destinationSessions() }),
);

const hostResolver = /* @__PURE__ */ lazy(() => new DnsHostResolver());

/** The delivery functions' metrics, flushed after each batch. */
export const deliveryMetrics = /* @__PURE__ */ lazy(createDeliveryMetrics);
/** Rejected envelopes and SSRF refusals, written as they happen. */
export const securitySignals = /* @__PURE__ */ lazy(() => createSecuritySignals());

export const newSubscriptionId = (): string => `sub_${ulid()}`;
export const newJobId = (): string => ulid();

/** What the routes that write a subscription or its secret need (create, update, rotate). */
export const subscriptionDeps = (): SubscriptionDeps => ({
  repository: subscriptionStore(),
  // Made on first use: PATCH builds these deps too, and its function has no key id (nor KMS rights).
  cipher: {
    encrypt: async (plaintext, context) => secretCipher().encrypt(plaintext, context),
    decrypt: async (ciphertext, context) => secretCipher().decrypt(ciphertext, context),
  },
  resolver: hostResolver(),
  targets: settings().targets,
  now: () => new Date(),
  newId: newSubscriptionId,
  graceSeconds: settings().graceSeconds,
  onSsrfRefused: () => securitySignals().ssrfRefused('subscribe'),
  emailLinks: emailLinkDeps,
  quota: tenantUsage(),
  tenantLimits: settings().tenantLimits,
  rateLimits: settings().rateLimits,
  maxTimeoutSeconds: settings().maxTimeoutSeconds,
});

/**
 * dispatch and deliver run a batch's records side by side; what the records ask of these ports at
 * about the same moment goes to AWS as one request (adapters/coalesce.ts), once per container.
 */
const batchedEventLog = /* @__PURE__ */ lazy(() => coalescedEventLog(eventLog()));
const batchedSubscriptionList = /* @__PURE__ */ lazy(() => coalescedSubscriptionList(subscriptionStore()));
const batchedQueues = /* @__PURE__ */ lazy(() => coalescedDispatchQueue(queues()));
const batchedSlots = /* @__PURE__ */ lazy(() => coalescedSlots(deliverySlots()));
const batchedDeliverReads = /* @__PURE__ */ lazy(() =>
  coalescedDeliverReads(
    new DynamoDeliverReads(dynamo(), {
      subscriptions: requireEnv('SUBSCRIPTIONS_TABLE'),
      deliveries: requireEnv('DELIVERIES_TABLE'),
    }),
    deliveryStore(),
  ),
);

export const dispatchDeps = (): DispatchDeps => ({
  verifier: envelopeVerifier(),
  events: batchedEventLog(),
  subscriptions: batchedSubscriptionList(),
  held: deliveryStore(),
  queue: batchedQueues(),
  replays: tenantUsage(),
  order: subjectOrder(),
  retentionDays: settings().retentionDays,
  now: () => new Date(),
});

/**
 * What delivering on `lane` through `channel` needs. The channel is the caller's to pick, so the
 * webhook function never bundles the e-mail client and the e-mail function never the HTTP sender.
 */
export const deliverDeps = (lane: Lane, channel: Channel): Omit<DeliverDeps, 'log'> => ({
  store: batchedDeliverReads().store,
  subscriptions: batchedDeliverReads().subscriptions,
  health: subscriptionHealth(),
  events: eventLog(),
  verifier: envelopeVerifier(),
  queue: queues(),
  bus: publisher(),
  channel,
  outcomes: outcomeCounter(deliveryMetrics(), securitySignals()),
  slots: batchedSlots(),
  order: subjectOrder(),
  config: {
    schedule: settings().schedule,
    lane,
    leaseMs: LEASE_MS,
    slowThresholdMs: settings().slowThresholdMs,
    disableAfterMs: settings().disableAfterMs,
    disableAfterFailures: settings().disableAfterFailures,
    rateLimits: settings().rateLimits,
  },
  now: () => new Date(),
});

/** deliver polls both webhook queues: the queue a record came from is its lane. */
export const webhookLaneOf = (record: SQSRecord): Lane =>
  record.eventSourceARN.endsWith(`:${process.env.SLOW_DELIVERY_QUEUE_NAME}`) ? 'slow' : 'fast';

/** The operator routes' view of the dead-letter queues, by the names the environment gives. */
export const deadLetterDeps = /* @__PURE__ */ lazy((): DeadLetterDeps => {
  const queues = new SqsDeadLetterQueues(sqsClient());
  const pair = (prefix: string) => ({
    queue: requireEnv(`${prefix}_QUEUE_NAME`),
    deadLetters: requireEnv(`${prefix}_DLQ_NAME`),
  });
  const specs = notificationsDeadLetterQueues({
    dispatch: pair('DISPATCH'),
    delivery: pair('DELIVERY'),
    slowDelivery: pair('SLOW_DELIVERY'),
    email: pair('EMAIL'),
    destinations: pair('DESTINATIONS'),
    ruleDeadLetters: requireEnv('RULE_DLQ_NAME'),
  });
  return {
    service: 'notifications',
    queues,
    catalog: lazy(() => resolveCatalog(specs, queues)),
    now: () => new Date(),
  };
});

/** A tenant's export and erasure: both tables' partitions, a page (100 items) at a time. */
export const tenantDataDeps = /* @__PURE__ */ lazy((): TenantDataDeps => ({
  service: 'notifications',
  ...notificationsSteps(
    new DynamoTenantTables(
      dynamo(),
      {
        subscriptions: requireEnv('SUBSCRIPTIONS_TABLE'),
        deliveries: requireEnv('DELIVERIES_TABLE'),
      },
      Number(process.env.TENANT_DATA_PAGE_SIZE ?? 100),
    ),
  ),
  ...tenantDataAdapters({
    s3: countCalls(s3Client(), 'S3'),
    sqs: sqs(),
    eventBridge: countCalls(new EventBridgeClient({}), 'EventBridge'),
    queueUrl: requireEnv('TENANT_DATA_QUEUE_URL'),
    busName: requireEnv('EVENT_BUS_NAME'),
  }),
  pagesPerInvocation: Number(process.env.TENANT_DATA_PAGES_PER_INVOCATION ?? 20),
  now: () => new Date(),
}));
