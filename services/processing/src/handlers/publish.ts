import { eventBridgeClient } from '@herald/shared/aws/eventbridge';
import { sqsClient } from '@herald/shared/aws/sqs';
import { requireEnv } from '@herald/shared/env';
import { logger } from '@herald/shared/logger';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { EventBridgeBus } from '../adapters/eventbridge-bus';
import { SqsDeadLetterQueue } from '../adapters/sqs-dead-letter-queue';
import { metricFields } from '../metrics';
import { publishStoredEvents, type PublishDeps, type StreamRecord } from '../publish-events';

/** The attributes publishing reads from a stored event's new image (plain strings in the table). */
function toStreamRecord(record: DynamoDBRecord): StreamRecord {
  const image = record.dynamodb?.NewImage;
  const text = (name: string) => image?.[name]?.S;
  const [tenantId, eventId, storedAt, envelope] = ['tenantId', 'eventId', 'storedAt', 'envelope'].map(text);
  const id = record.dynamodb?.SequenceNumber ?? '';
  if (!tenantId || !eventId || !storedAt || !envelope || Number.isNaN(Date.parse(storedAt))) {
    const [pk, sk] = [record.dynamodb?.Keys?.pk?.S, record.dynamodb?.Keys?.sk?.S];
    return { id, event: undefined, ...(pk && sk ? { key: { pk, sk } } : {}) };
  }
  return { id, event: { tenantId, eventId, storedAt, envelope } };
}

export function createHandler(deps: () => PublishDeps) {
  return middy(async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
    logger.resetKeys();
    if (typeof context?.awsRequestId === 'string') logger.addContext(context);
    // The mapping's filter lets only INSERTs through; anything else has nothing to publish.
    const records = (event?.Records ?? [])
      .filter((record) => record.eventName === 'INSERT')
      .map(toStreamRecord);
    const report = await publishStoredEvents(records, deps());

    for (const letter of report.deadLettered)
      logger.error('Event sent to the publish dead-letter queue', { ...letter });
    const summary = {
      records: records.length,
      published: report.published,
      deadLettered: report.deadLettered.length,
      failed: report.failed.length,
      putCalls: report.putCalls,
      ...metricFields({
        EventsPublished: report.published,
        PublishDeadLettered: report.deadLettered.length,
        PublishFailures: report.failed.length,
      }),
    };
    if (report.failed.length > 0)
      logger.warn('Some events not yet published; the stream delivers them again', summary);
    else logger.info('Batch published', summary);
    return { batchItemFailures: report.failed.map((id) => ({ itemIdentifier: id })) };
  });
}

let deps: PublishDeps | undefined;
export const handler = createHandler(
  () =>
    (deps ??= {
      bus: new EventBridgeBus(eventBridgeClient(), requireEnv('EVENT_BUS_NAME')),
      deadLetters: new SqsDeadLetterQueue(sqsClient(), requireEnv('PUBLISH_DLQ_URL')),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    }),
);
