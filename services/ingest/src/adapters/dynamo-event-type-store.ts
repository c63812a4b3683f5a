import {
  QueryCommand,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { auditOutboxPut, type AuditEntry } from '@herald/shared/audit';
import { decodeCursor, encodeCursor, InvalidCursor } from '@herald/shared/cursor';
import type { CatalogEntry, EventType, EventTypeInput, EventTypePage, EventTypeStore } from '../event-types';

/**
 * The event-types table: a tenant's catalog is one partition, so the hot path reads it with one
 * Query and a key built from a token's tenant reaches that tenant's types only.
 *
 *   pk = TENANT#<tenant>   sk = TYPE#<type>
 *
 * The schema and the examples are kept as JSON text: DynamoDB would turn a schema's numbers into its
 * own decimals and refuse empty strings in some places, and the text is what was checked.
 */
const partition = (tenantId: string) => `TENANT#${tenantId}`;
const sortKey = (type: string) => `TYPE#${type}`;

interface Item {
  pk: string;
  sk: string;
  type: string;
  description: string;
  schema?: string;
  examples?: string;
  deprecated: boolean;
  replacedBy?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const NAMES = [
  'type',
  'description',
  'deprecated',
  'version',
  'createdAt',
  'updatedAt',
  'schema',
  'examples',
  'replacedBy',
] as const;

const toEventType = (item: Item): EventType => ({
  type: item.type,
  description: item.description,
  ...(item.schema === undefined ? {} : { schema: JSON.parse(item.schema) as unknown }),
  ...(item.examples === undefined ? {} : { examples: JSON.parse(item.examples) as unknown[] }),
  deprecated: item.deprecated,
  ...(item.replacedBy === undefined ? {} : { replacedBy: item.replacedBy }),
  version: item.version,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
});

/** The audit outbox's partition: apart from the catalog's, which its reads take whole. */
export const AUDIT_OUTBOX = { partition: (tenantId: string) => `AUDIT#${tenantId}` };

export class DynamoEventTypeStore implements EventTypeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * One UpdateItem: a replace that keeps createdAt and moves the version on atomically. With its
   * audit entry, the update and the entry's outbox item are one TransactWriteItems, and the type is
   * read back (a transaction returns no item): one call more. The outbox items have a partition of
   * their own (AUDIT#<tenant>), since the catalog's reads take the tenant's whole partition.
   */
  async put(
    tenantId: string,
    type: string,
    input: EventTypeInput,
    now: Date,
    audit?: AuditEntry,
  ): Promise<EventType> {
    // Every name through ExpressionAttributeNames: several (schema, type...) are DynamoDB reserved words.
    const set = [
      '#type = :type',
      '#description = :description',
      '#deprecated = :deprecated',
      '#version = if_not_exists(#version, :zero) + :one',
      '#createdAt = if_not_exists(#createdAt, :now)',
      '#updatedAt = :now',
    ];
    const remove: string[] = [];
    const values: Record<string, unknown> = {
      ':type': type,
      ':description': input.description,
      ':deprecated': input.deprecated ?? false,
      ':zero': 0,
      ':one': 1,
      ':now': now.toISOString(),
    };
    const optional = {
      schema: input.schema === undefined ? undefined : JSON.stringify(input.schema),
      examples: input.examples === undefined ? undefined : JSON.stringify(input.examples),
      replacedBy: input.replacedBy,
    };
    for (const [name, value] of Object.entries(optional)) {
      if (value === undefined) remove.push(`#${name}`);
      else {
        set.push(`#${name} = :${name}`);
        values[`:${name}`] = value;
      }
    }
    const update = {
      TableName: this.tableName,
      Key: { pk: partition(tenantId), sk: sortKey(type) },
      UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ExpressionAttributeNames: Object.fromEntries(NAMES.map((name) => [`#${name}`, name])),
      ExpressionAttributeValues: values,
    };
    if (audit) {
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [{ Update: update }, auditOutboxPut(this.tableName, audit, AUDIT_OUTBOX)],
          }),
        );
      } catch (error) {
        // The entry written already: the same request's transaction committed before.
        const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
        if (reasons?.[1]?.Code !== 'ConditionalCheckFailed') throw error;
      }
      const out = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: update.Key, ConsistentRead: true }),
      );
      return toEventType(out.Item as Item);
    }
    const out = await this.db.send(new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }));
    return toEventType(out.Attributes as Item);
  }

  async get(tenantId: string, type: string): Promise<EventType | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: partition(tenantId), sk: sortKey(type) } }),
    );
    return out.Item ? toEventType(out.Item as Item) : undefined;
  }

  async list(tenantId: string, limit: number, cursor: string | undefined): Promise<EventTypePage> {
    let start: Record<string, string> | undefined;
    if (cursor !== undefined) {
      const [cursorTenant, type] = decodeCursor(cursor, 2);
      if (cursorTenant !== tenantId) throw new InvalidCursor();
      start = { pk: partition(tenantId), sk: sortKey(type!) };
    }
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partition(tenantId) },
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const items = (out.Items ?? []).map((item) => toEventType(item as Item));
    const last = out.LastEvaluatedKey as { sk?: string } | undefined;
    return {
      items,
      ...(last?.sk ? { nextCursor: encodeCursor([tenantId, last.sk.slice('TYPE#'.length)]) } : {}),
    };
  }

  async count(tenantId: string): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partition(tenantId) },
          Select: 'COUNT',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return count;
  }

  async catalog(tenantId: string): Promise<CatalogEntry[]> {
    const entries: CatalogEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          // The hot path's fields only: descriptions and examples stay in the table.
          ProjectionExpression: '#type, #version, #deprecated, #replacedBy, #schema',
          ExpressionAttributeNames: {
            '#type': 'type',
            '#version': 'version',
            '#deprecated': 'deprecated',
            '#replacedBy': 'replacedBy',
            '#schema': 'schema',
          },
          ExpressionAttributeValues: { ':pk': partition(tenantId) },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of (out.Items ?? []) as Item[]) {
        entries.push({
          type: item.type,
          version: item.version,
          deprecated: item.deprecated,
          ...(item.replacedBy === undefined ? {} : { replacedBy: item.replacedBy }),
          ...(item.schema === undefined ? {} : { schemaJson: item.schema }),
        });
      }
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return entries;
  }
}
