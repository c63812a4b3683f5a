import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { StoredEvent } from '../../src/events-table';

/** A stream INSERT record as Lambda delivers it: the new image in DynamoDB's attribute-value form. */
export function insertRecord(item: StoredEvent, sequence: string): DynamoDBRecord {
  const image: Record<string, AttributeValue> = Object.fromEntries(
    Object.entries(item).map(([name, value]) => [
      name,
      typeof value === 'number' ? { N: String(value) } : { S: value },
    ]),
  );
  return {
    eventID: `ev-${sequence}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      Keys: { pk: image.pk!, sk: image.sk! },
      NewImage: image,
      SequenceNumber: sequence,
      StreamViewType: 'NEW_IMAGE',
    },
  };
}
