import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
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

const BATCH_WRITE_ITEMS = 25;
/** Rounds of sending again what DynamoDB left unprocessed, 50, 100, 200 ms apart. */
const UNPROCESSED_ROUNDS = 3;

/** The key condition of a tenant's stored events between two bus times, both included. */
const eventsBetween = (tenantId: string, range: { from: string; to: string }) => ({
  KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
  ExpressionAttributeValues: {
    ':pk': tenantPartition(tenantId),
    ':from': `EVT#${range.from}`,
    // '~' sorts after '#': every event stored at exactly `to` is included.
    ':to': `EVT#${range.to}~`,
  },
});

const storedEventOf = (tenantId: string, item: Record<string, unknown>): StoredEvent => ({
  tenantId,
  eventKey: String(item.sk),
  envelope: envelopeOfItem(item.envelope)!,
  expiresAt: Number(item.expiresAt),
});

const itemOf = (event: StoredEvent) => ({
  pk: tenantPartition(event.tenantId),
  sk: event.eventKey,
  envelope: envelopeText(event.envelope),
  expiresAt: event.expiresAt,
});

/** The stored events in the deliveries table: kept by fan-out, read by replay and by deliver. */
export class DynamoEventLog implements EventLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(event: StoredEvent): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: itemOf(event) }));
  }

  /**
   * Keeps many events with BatchWriteItem (25 a request), as put keeps one: unconditionally, so
   * keeping an event again writes the same item. What DynamoDB leaves unprocessed (throttling) is
   * sent again, a few times with a pause; what it still leaves, or a request that fails, is that
   * event's error alone, in the order given.
   */
  async putAll(events: readonly StoredEvent[]): Promise<Array<Error | undefined>> {
    const errors: Array<Error | undefined> = events.map(() => undefined);
    // A request may not name one key twice: the same event kept twice is one write.
    const byKey = new Map<string, number[]>();
    events.forEach((event, index) => {
      const key = `${event.tenantId}\n${event.eventKey}`;
      byKey.set(key, [...(byKey.get(key) ?? []), index]);
    });
    const groups = [...byKey.values()];
    const chunks = Array.from({ length: Math.ceil(groups.length / BATCH_WRITE_ITEMS) }, (_, i) =>
      groups.slice(i * BATCH_WRITE_ITEMS, (i + 1) * BATCH_WRITE_ITEMS),
    );
    await Promise.all(
      chunks.map(async (chunk) => {
        const fail = (indexes: number[], error: Error) => indexes.forEach((i) => (errors[i] = error));
        let pending = chunk;
        for (let round = 0; pending.length > 0; round++) {
          const requests = pending.map((indexes) => ({ PutRequest: { Item: itemOf(events[indexes[0]!]!) } }));
          let unprocessed: Array<Record<string, unknown>>;
          try {
            const out = await this.db.send(
              new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
            );
            unprocessed = (out.UnprocessedItems?.[this.tableName] ?? []).map(
              (request) => request.PutRequest?.Item ?? {},
            );
          } catch (error) {
            pending.forEach((indexes) => fail(indexes, error as Error));
            return;
          }
          const left = new Set(unprocessed.map((item) => `${String(item.pk)}\n${String(item.sk)}`));
          pending = pending.filter((indexes) => {
            const event = events[indexes[0]!]!;
            return left.has(`${tenantPartition(event.tenantId)}\n${event.eventKey}`);
          });
          if (pending.length === 0) return;
          if (round >= UNPROCESSED_ROUNDS) {
            pending.forEach((indexes) => fail(indexes, new Error('DynamoDB left the event unprocessed')));
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
        }
      }),
    );
    return errors;
  }

  async between(
    tenantId: string,
    range: { from: string; to: string },
    limit: number,
    after?: PageKey,
  ): Promise<{ items: StoredEvent[]; next?: PageKey }> {
    const page = await queryPage<PageKey>(this.db, {
      TableName: this.tableName,
      ...eventsBetween(tenantId, range),
      Limit: limit,
      ExclusiveStartKey: after,
    });
    const items = page.items.map((item) => storedEventOf(tenantId, item));
    return { ...page, items };
  }

  /**
   * The tenant's stored events between two bus times (the replay's range, as `between` reads it)
   * whose envelope `matches` accepts: without it, Select: COUNT (nothing read back); with it, each
   * envelope is read. Either way DynamoDB reads the whole range (1 MB a page).
   */
  async count(
    tenantId: string,
    range: { from: string; to: string },
    matches?: (envelope: Envelope) => boolean,
  ): Promise<number> {
    let total = 0;
    let after: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          ...eventsBetween(tenantId, range),
          ...(matches ? { ProjectionExpression: 'envelope' } : { Select: 'COUNT' }),
          ExclusiveStartKey: after,
        }),
      );
      total += matches
        ? (out.Items ?? []).filter((item) => {
            const envelope = envelopeOfItem(item.envelope);
            return envelope !== undefined && matches(envelope);
          }).length
        : (out.Count ?? 0);
      after = out.LastEvaluatedKey;
    } while (after);
    return total;
  }

  /**
   * The newest stored events of a range, newest first (one query, ScanIndexForward: false). `more`
   * is DynamoDB's LastEvaluatedKey: set when the limit was reached, even if nothing older is left.
   */
  async newest(
    tenantId: string,
    range: { from: string; to: string },
    limit: number,
  ): Promise<{ items: StoredEvent[]; more: boolean }> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        ...eventsBetween(tenantId, range),
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const items = (out.Items ?? []).map((item) => storedEventOf(tenantId, item));
    return { items, more: out.LastEvaluatedKey !== undefined };
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
