/**
 * The one place the processing functions are wired: adapters built from the environment once per
 * container, on first use, so a function only reads the variables (and creates the clients) its own
 * work needs. Each getter is marked pure so a function's bundle keeps only the adapters it uses.
 */
import { countCalls } from '@herald/shared/aws/call-counter';
import { dynamoDocumentClient } from '@herald/shared/aws/dynamodb';
import { SqsDeadLetterQueues } from '@herald/shared/aws/dead-letter-queues';
import { eventBridgeClient } from '@herald/shared/aws/eventbridge';
import { s3Client } from '@herald/shared/aws/s3';
import { sqsClient } from '@herald/shared/aws/sqs';
import { resolveCatalog } from '@herald/shared/dead-letters/catalog';
import type { DeadLetterDeps } from '@herald/shared/dead-letters/routes';
import { numberEnv, requireEnv } from '@herald/shared/env';
import { lazy } from '@herald/shared/lazy';
import { logger } from '@herald/shared/logger';
import { createEnvelopeVerifier, parsePublicKeys } from '@herald/shared/signing';
import { partitionEraser, partitionExporter, tenantDataAdapters } from '@herald/shared/tenant-data/aws';
import type { TenantDataDeps } from '@herald/shared/tenant-data/job';
import { DynamoEventReader } from './adapters/dynamo-event-reader';
import { DynamoEventStore } from './adapters/dynamo-event-store';
import { EventBridgeBus } from './adapters/eventbridge-bus';
import { SqsDeadLetterQueue } from './adapters/sqs-dead-letter-queue';
import type { ConsumeDeps } from './consume-envelope';
import type { PublishDeps } from './publish-events';
import type { EventReader } from './read-events';
import { republisher } from './republish';
import { processingDeadLetterQueues } from './routes/dead-letters';
import { processingSteps } from './tenant-data';

/** Every AWS call is counted (call-counter.ts): consume and publish log theirs. */
const dynamo = /* @__PURE__ */ lazy(() => countCalls(dynamoDocumentClient(), 'DynamoDB'));
const eventBridge = /* @__PURE__ */ lazy(() => countCalls(eventBridgeClient(), 'EventBridge'));
const sqs = /* @__PURE__ */ lazy(() => countCalls(sqsClient(), 'SQS'));

/** The verifier holds ingest's public keys only: it can check, never forge. */
export const consumeDeps = /* @__PURE__ */ lazy((): ConsumeDeps => ({
  verifier: createEnvelopeVerifier(parsePublicKeys(requireEnv('ENVELOPE_PUBLIC_KEYS'))),
  store: new DynamoEventStore(dynamo(), requireEnv('EVENTS_TABLE')),
  retentionDays: numberEnv('EVENT_RETENTION_DAYS', 30),
  requireIngestTime: process.env.REQUIRE_INGEST_TIME === 'true',
  numberSubjects: process.env.PUBLISH_SUBJECT_SEQUENCE === 'true',
  now: () => new Date(),
}));

export const eventReader = /* @__PURE__ */ lazy(
  (): EventReader => new DynamoEventReader(dynamo(), requireEnv('EVENTS_TABLE')),
);

export const publishDeps = /* @__PURE__ */ lazy((): PublishDeps => ({
  bus: new EventBridgeBus(eventBridge(), requireEnv('EVENT_BUS_NAME')),
  deadLetters: new SqsDeadLetterQueue(sqs(), requireEnv('PUBLISH_DLQ_URL'), (refused) =>
    logger.error('Could not dead-letter events', { refused }),
  ),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  subjectSequence: process.env.PUBLISH_SUBJECT_SEQUENCE === 'true',
}));

/** The operator routes' view of the dead-letter queues; only redrive ever builds the republisher. */
export const deadLetterDeps = /* @__PURE__ */ lazy((): DeadLetterDeps => {
  const queues = new SqsDeadLetterQueues(sqsClient());
  const specs = processingDeadLetterQueues(
    {
      inbound: requireEnv('INBOUND_QUEUE_NAME'),
      inboundDeadLetters: requireEnv('INBOUND_DLQ_NAME'),
      publishDeadLetters: requireEnv('PUBLISH_DLQ_NAME'),
      busDeadLetters: requireEnv('BUS_DLQ_NAME'),
    },
    lazy(() =>
      republisher({
        events: eventReader(),
        bus: new EventBridgeBus(eventBridgeClient(), requireEnv('EVENT_BUS_NAME')),
        subjectSequence: process.env.PUBLISH_SUBJECT_SEQUENCE === 'true',
      }),
    ),
  );
  return {
    service: 'processing',
    queues,
    catalog: lazy(() => resolveCatalog(specs, queues)),
    now: () => new Date(),
  };
});

/** A tenant's export and erasure: the events table's partition, a page (100 items) at a time. */
export const tenantDataDeps = /* @__PURE__ */ lazy((): TenantDataDeps => {
  const spec = {
    db: dynamo(),
    table: requireEnv('EVENTS_TABLE'),
    partition: (tenantId: string) => `TENANT#${tenantId}`,
    pageSize: numberEnv('TENANT_DATA_PAGE_SIZE', 100),
  };
  return {
    service: 'processing',
    ...processingSteps({
      eraser: (name, matches) => partitionEraser(name, { ...spec, attributes: ['envelope'] }, matches),
      exporter: (name, toLine) => partitionExporter(name, spec, toLine),
    }),
    ...tenantDataAdapters({
      s3: countCalls(s3Client(), 'S3'),
      sqs: sqs(),
      eventBridge: eventBridge(),
      queueUrl: requireEnv('TENANT_DATA_QUEUE_URL'),
      busName: requireEnv('EVENT_BUS_NAME'),
    }),
    pagesPerInvocation: numberEnv('TENANT_DATA_PAGES_PER_INVOCATION', 20),
    now: () => new Date(),
  };
});
