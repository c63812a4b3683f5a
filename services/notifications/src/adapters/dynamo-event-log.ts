import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Envelope } from '@herald/shared/contracts';
import type { EventLog, StoredEvent } from '../fan-out/ports';
import type { PageKey } from '../model/pages';
import { tenantPartition } from '../model/table-keys';
import { queryPage } from './dynamo-support';

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
          envelope: event.envelope,
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
      envelope: item.envelope as Envelope,
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
    return out.Item?.envelope as Envelope | undefined;
  }
}
