// The record Lambda hands a function for a DynamoDB stream change: GetRecords' record as JSON (binary values
// base64, ApproximateCreationDateTime in epoch seconds) plus the stream's ARN.
import type { AttributeValue, _Record as StreamsRecord } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue as LambdaAttributeValue, DynamoDBRecord } from 'aws-lambda';

type Image = Record<string, LambdaAttributeValue>;

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** The SDK decodes binary attributes to bytes; the event carries them as base64, as the wire format does. */
export function toLambdaAttributeValue(value: AttributeValue): LambdaAttributeValue {
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttributeValue) };
  if (value.M !== undefined) return { M: toImage(value.M) };
  // S, N, SS, NS, NULL and BOOL are JSON already.
  const { $unknown: _unknown, ...plain } = value as AttributeValue & { $unknown?: unknown };
  return plain as LambdaAttributeValue;
}

function toImage(image: Record<string, AttributeValue>): Image {
  return Object.fromEntries(
    Object.entries(image).map(([name, value]) => [name, toLambdaAttributeValue(value)]),
  );
}

export function toDynamoDBRecord(
  record: StreamsRecord,
  streamArn: string,
  awsRegion: string,
): DynamoDBRecord {
  const change = record.dynamodb ?? {};
  const created = change.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource ?? 'aws:dynamodb',
    // DynamoDB Local names its region "ddblocal"; the local cloud is one region.
    awsRegion,
    dynamodb: {
      ...(created !== undefined && { ApproximateCreationDateTime: created.getTime() / 1000 }),
      ...(change.Keys && { Keys: toImage(change.Keys) }),
      ...(change.NewImage && { NewImage: toImage(change.NewImage) }),
      ...(change.OldImage && { OldImage: toImage(change.OldImage) }),
      SequenceNumber: change.SequenceNumber,
      SizeBytes: change.SizeBytes,
      StreamViewType: change.StreamViewType,
    },
    // Present only for deletes made by Time to Live.
    ...(record.userIdentity && {
      userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId },
    }),
    eventSourceARN: streamArn,
  };
}
