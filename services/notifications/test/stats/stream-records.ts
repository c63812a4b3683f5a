/** Stream records of the deliveries table as Lambda hands them over (NEW_AND_OLD_IMAGES). */
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';

function attribute(value: unknown): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(attribute) };
  if (value && typeof value === 'object') return { M: image(value as Record<string, unknown>) };
  return { NULL: true };
}

const image = (item: Record<string, unknown>): Record<string, AttributeValue> =>
  Object.fromEntries(
    Object.entries(item)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name, attribute(value)]),
  );

let sequence = 0;

export function change(
  key: { pk: string; sk: string },
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): DynamoDBRecord {
  return {
    eventName: !before ? 'INSERT' : !after ? 'REMOVE' : 'MODIFY',
    dynamodb: {
      Keys: image(key),
      ...(before ? { OldImage: image({ ...key, ...before }) } : {}),
      ...(after ? { NewImage: image({ ...key, ...after }) } : {}),
      SequenceNumber: String(++sequence).padStart(21, '0'),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

/** A delivery item, as the claim and the record leave it. */
export function delivery(fields: {
  tenant?: string;
  subscription?: string;
  event?: string;
  busTime: string;
  status: string;
  updatedAt: string;
  run?: number;
  nextAttemptAt?: string;
  attempts?: Array<{ at: string; durationMs: number; outcome: string }>;
}) {
  const tenantId = fields.tenant ?? 'acme';
  const subscriptionId = fields.subscription ?? 'sub_A';
  const eventId = fields.event ?? 'evt-1';
  return {
    key: { pk: `TENANT#${tenantId}`, sk: `DLV#msg_${subscriptionId}_${eventId}` },
    item: {
      tenantId,
      subscriptionId,
      eventId,
      eventKey: `EVT#${fields.busTime}#${eventId}`,
      status: fields.status,
      updatedAt: fields.updatedAt,
      run: fields.run ?? 1,
      nextAttemptAt: fields.nextAttemptAt,
      attempts: (fields.attempts ?? []).map((attempt, i) => ({ run: 1, attempt: i + 1, ...attempt })),
    },
  };
}

export const storedEvent = (tenant: string, busTime: string, id: string) =>
  change({ pk: `TENANT#${tenant}`, sk: `EVT#${busTime}#${id}` }, undefined, { envelope: '{}' });
