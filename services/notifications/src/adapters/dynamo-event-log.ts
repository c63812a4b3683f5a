import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Envelope } from '@herald/shared/contracts';
import type { EventLog, StoredEvent } from '../fan-out/ports';
import type { PageKey } from '../model/pages';
import { tenantPartition } from '../model/table-keys';
import { queryPage } from './dynamo-support';

/**
 * An envelope as the deliveries table keeps it: its JSON text, as processing keeps it. A DynamoDB map
 * cannot hold every JSON document: it refuses numbers beyond its range (1.5e-300) and nesting deeper
 * than 32 levels, the document client loses a `__proto__` member, and none of that would come back
 * as the value that was signed. Text is kept exactly, and verifies again when it is read.
 */
export const envelopeText = (envelope: Envelope): string => JSON.stringify(envelope);

/**
 * The envelope of an item, in either form: text, as written now, or a map, as items written before
 * were (they are read as they always were: such an item was only ever written for an envelope the
 * map could hold). Maps leave the table as their items expire, `eventRetentionDays` after the change.
 */
export function envelopeOfItem(stored: unknown): Envelope | undefined {
  if (stored === undefined) return undefined;
  return (typeof stored === 'string' ? JSON.parse(stored) : stored) as Envelope;
}

/** The stored events in the deliveries table: kept by fan-out, read by replay and by deliver. */
export class DynamoEventLog implements EventLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(event: StoredEvent): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: tenantPartition(event.tenantId),
          sk: event.eventKey,
          envelope: envelopeText(event.envelope),
          expiresAt: event.expiresAt,
        },
      }),
    );
  }

  async between(
    tenantId: string,
    range: { from: string; to: string },
    limit: number,
    after?: PageKey,
  ): Promise<{ items: StoredEvent[]; next?: PageKey }> {
    const page = await queryPage<PageKey>(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': tenantPartition(tenantId),
        ':from': `EVT#${range.from}`,
        // '~' sorts after '#': every event stored at exactly `to` is included.
        ':to': `EVT#${range.to}~`,
      },
      Limit: limit,
      ExclusiveStartKey: after,
    });
    const items = page.items.map((item) => ({
      tenantId,
      eventKey: String(item.sk),
      envelope: envelopeOfItem(item.envelope)!,
      expiresAt: Number(item.expiresAt),
    }));
    return { ...page, items };
  }

  async load(tenantId: string, eventKey: string): Promise<Envelope | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: tenantPartition(tenantId), sk: eventKey },
        ProjectionExpression: 'envelope',
      }),
    );
    return envelopeOfItem(out.Item?.envelope);
  }
}
