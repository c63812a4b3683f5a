/**
 * One batch of the events table's stream: the inserted events, read from their new images, are
 * published (publishStoredEvents); the dead-lettered are logged one by one, the batch counted.
 */
import type { BatchContext, StreamBatchResult } from '@herald/shared/entry/stream';
import type { Metrics } from '@herald/shared/metrics';
import type { DynamoDBRecord } from 'aws-lambda';
import { count } from './processing-metrics';
import { publishStoredEvents, type PublishDeps, type StreamRecord } from './publish-events';

/** The attributes publishing reads from a stored event's new image (plain strings in the table). */
export function toStreamRecord(record: DynamoDBRecord): StreamRecord {
  const image = record.dynamodb?.NewImage;
  const text = (name: string) => image?.[name]?.S;
  const [tenantId, eventId, storedAt, envelope] = ['tenantId', 'eventId', 'storedAt', 'envelope'].map(text);
  const id = record.dynamodb?.SequenceNumber ?? '';
  if (!tenantId || !eventId || !storedAt || !envelope || Number.isNaN(Date.parse(storedAt))) {
    const [pk, sk] = [record.dynamodb?.Keys?.pk?.S, record.dynamodb?.Keys?.sk?.S];
    return { id, event: undefined, ...(pk && sk ? { key: { pk, sk } } : {}) };
  }
  const sequence = Number(image?.subjectSequence?.N);
  const previous = text('subjectPreviousStoredAt');
  return {
    id,
    event: {
      tenantId,
      eventId,
      storedAt,
      envelope,
      ...(Number.isSafeInteger(sequence) && sequence > 0 ? { subjectSequence: sequence } : {}),
      ...(previous && !Number.isNaN(Date.parse(previous)) ? { subjectPreviousStoredAt: previous } : {}),
    },
  };
}

/** An event's item: a subject's sequence counter (SUBJECTSEQ#) is inserted once too, with nothing to publish. */
const isEventItem = (record: DynamoDBRecord): boolean =>
  record.dynamodb?.Keys?.sk?.S?.startsWith('EVENT#') ?? true;

export function publishBatch(deps: () => PublishDeps, metrics: Metrics) {
  return async (stream: DynamoDBRecord[], { log }: BatchContext): Promise<StreamBatchResult> => {
    // The mapping's filter lets only INSERTs through; anything else has nothing to publish.
    const records = stream
      .filter((record) => record.eventName === 'INSERT' && isEventItem(record))
      .map(toStreamRecord);
    const report = await publishStoredEvents(records, deps());
    for (const letter of report.deadLettered)
      log.error('Event sent to the publish dead-letter queue', { ...letter });
    count(metrics, 'EventsPublished', report.published);
    count(metrics, 'PublishDeadLettered', report.deadLettered.length);
    count(metrics, 'PublishFailures', report.failed.length);
    return {
      failed: report.failed,
      summary: {
        records: records.length,
        published: report.published,
        deadLettered: report.deadLettered.length,
        putCalls: report.putCalls,
      },
    };
  };
}
