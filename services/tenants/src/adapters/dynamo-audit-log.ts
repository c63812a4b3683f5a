/**
 * The audit table (DynamoDB). Per tenant partition `TENANT#<t>`:
 *   SEQ#<seq, 15 digits>   an entry, in chain order: its JSON text, its link (seq, prevHash, hash),
 *                          and the members the filters read, as attributes
 *   ID#<entry id>          the entry's id taken, so an entry carried twice is appended once
 * Both are written by one TransactWriteItems of two conditional puts (`attribute_not_exists`): the
 * sequence number's put makes the chain single-writer (a second writer of the same link fails and
 * reads the head again), the id's put makes a repeat a no-op. Nothing updates or deletes an item:
 * the functions' roles hold dynamodb:PutItem on this table and no other write (the template test
 * holds them to it); TTL (`expiresAt`, from the tenant's retention) is the only deletion.
 */
import {
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '@herald/shared/audit';
import { ChainRace, type ChainedEntry, type ChainLink } from '../audit/chain';
import type { AppendOutcome, AuditLog, AuditPage, AuditQuery } from '../audit/ports';

const SEQ_DIGITS = 15;
/** Reads of one page at most, however few entries the filters keep. */
const MAX_READS_PER_PAGE = 10;

export const auditPartition = (tenantId: string): string => `TENANT#${tenantId}`;
export const seqKey = (seq: number): string => `SEQ#${String(seq).padStart(SEQ_DIGITS, '0')}`;
export const idKey = (id: string): string => `ID#${id}`;

export interface AuditItem {
  pk: string;
  sk: string;
  entry: string;
  seq: number;
  prevHash: string;
  hash: string;
  recordedAt: string;
  at: string;
  action: string;
  resourceType: string;
  resourceId: string;
  actor: string;
  expiresAt: number;
}

export function toAuditItem(link: ChainedEntry, expiresAt: number): AuditItem {
  const { entry } = link;
  return {
    pk: auditPartition(entry.tenantId),
    sk: seqKey(link.seq),
    entry: JSON.stringify(entry),
    seq: link.seq,
    prevHash: link.prevHash,
    hash: link.hash,
    recordedAt: link.recordedAt,
    at: entry.at,
    action: entry.action,
    resourceType: entry.resource.type,
    resourceId: entry.resource.id,
    actor: entry.actor.subject,
    expiresAt,
  };
}

/** The link as stored. An item whose text is not JSON reads as a non-entry, for the verifier to report. */
export function fromAuditItem(item: Record<string, unknown>): ChainedEntry {
  let entry: AuditEntry;
  try {
    entry = JSON.parse(String(item.entry)) as AuditEntry;
  } catch {
    entry = {} as AuditEntry;
  }
  return {
    entry,
    seq: Number(item.seq),
    prevHash: String(item.prevHash),
    hash: String(item.hash),
    recordedAt: String(item.recordedAt),
  };
}

interface CancellationReason {
  Code?: string;
}

/**
 * The link's two puts, each only if absent: `SEQ#<n>` (one writer per link) and `ID#<entry id>` (an
 * entry appended once). recordAudit appends them alone; a change of this service's own puts them in
 * the same transaction as the change (`transactWithLink`).
 */
export function linkPuts(tableName: string, link: ChainedEntry, expiresAt: number) {
  const item = toAuditItem(link, expiresAt);
  return [
    { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Put: {
        TableName: tableName,
        Item: { pk: item.pk, sk: idKey(link.entry.id), seq: link.seq, expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/** One item of a TransactWriteItems, as the document client takes it. */
export type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/**
 * Writes a change of this service's own (`change`: one transaction item, with its condition) and
 * its audit entry's link in one TransactWriteItems: the change is never made without its entry, nor
 * the entry written without the change. `refused`: the change's condition failed, nothing was
 * written; `duplicate`: the entry is in the chain already (the same transaction committed before,
 * the SDK's retry of it): both are written, once. A link whose sequence number another writer took
 * throws ChainRace, for the caller to read the head again (recordAuditLinked).
 */
export async function transactWithLink(
  db: DynamoDBDocumentClient,
  auditTable: string,
  change: TransactItem,
  append: { link: ChainedEntry; expiresAt: number },
): Promise<'written' | 'refused' | 'duplicate'> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [change, ...linkPuts(auditTable, append.link, append.expiresAt)],
      }),
    );
    return 'written';
  } catch (error) {
    const { name, CancellationReasons: reasons } = error as {
      name?: string;
      CancellationReasons?: CancellationReason[];
    };
    if (name !== 'TransactionCanceledException' || !reasons) throw error;
    if (reasons[2]?.Code === 'ConditionalCheckFailed') return 'duplicate';
    if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'refused';
    // The head moved (another link took the number), or another transaction held an item.
    if (
      reasons.some(
        (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
      )
    )
      throw new ChainRace(`Another writer appended to ${append.link.entry.tenantId}'s chain`);
    throw error;
  }
}

export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async head(tenantId: string): Promise<ChainLink | undefined> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :seq)',
        ExpressionAttributeValues: { ':pk': auditPartition(tenantId), ':seq': 'SEQ#' },
        ProjectionExpression: 'seq, #hash',
        ExpressionAttributeNames: { '#hash': 'hash' },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? { seq: Number(item.seq), hash: String(item.hash) } : undefined;
  }

  async append(link: ChainedEntry, expiresAt: number): Promise<AppendOutcome> {
    try {
      await this.db.send(
        new TransactWriteCommand({ TransactItems: linkPuts(this.tableName, link, expiresAt) }),
      );
      return 'appended';
    } catch (error) {
      const { name, CancellationReasons: reasons } = error as {
        name?: string;
        CancellationReasons?: CancellationReason[];
      };
      if (name !== 'TransactionCanceledException' || !reasons) throw error;
      if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'duplicate';
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'conflict';
      throw error;
    }
  }

  async page(tenantId: string, query: AuditQuery): Promise<AuditPage> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': auditPartition(tenantId), ':low': 'SEQ#' };
    const filters: string[] = [];
    const equal = (attribute: string, value: string) => {
      names[`#${attribute}`] = attribute;
      values[`:${attribute}`] = value;
      filters.push(`#${attribute} = :${attribute}`);
    };
    if (query.action) equal('action', query.action);
    if (query.resource) {
      equal('resourceType', query.resource.type);
      if (query.resource.id !== undefined) equal('resourceId', query.resource.id);
    }
    if (query.actor !== undefined) equal('actor', query.actor);
    if (query.since !== undefined || query.until !== undefined) {
      names['#at'] = 'at';
      values[':since'] = query.since ?? '0000';
      values[':until'] = query.until ?? '9999';
      filters.push('#at BETWEEN :since AND :until');
    }
    // Below the cursor's sequence number: SEQ# sorts below every SEQ#<digits>.
    values[':high'] = query.beforeSeq === undefined ? 'SEQ#~' : seqKey(query.beforeSeq);
    const input: QueryCommandInput = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :low AND :high',
      ExpressionAttributeValues: values,
      ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
      ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
      ScanIndexForward: false,
      Limit: query.limit,
    };
    const items: ChainedEntry[] = [];
    let start: Record<string, unknown> | undefined;
    for (let read = 0; read < MAX_READS_PER_PAGE; read += 1) {
      const out = await this.db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      for (const item of out.Items ?? []) {
        // The cursor's own entry sorts at :high: BETWEEN is inclusive.
        if (query.beforeSeq !== undefined && Number(item.seq) >= query.beforeSeq) continue;
        items.push(fromAuditItem(item));
        if (items.length === query.limit) return { items, nextBeforeSeq: Number(item.seq) };
      }
      start = out.LastEvaluatedKey;
      if (!start) return { items };
    }
    // Filters kept few of many: resume below the last entry read.
    return { items, nextBeforeSeq: Number(String(start!.sk).slice('SEQ#'.length)) };
  }

  async *walk(tenantId: string): AsyncIterable<ChainedEntry> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :seq)',
          ExpressionAttributeValues: { ':pk': auditPartition(tenantId), ':seq': 'SEQ#' },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) yield fromAuditItem(item);
      start = out.LastEvaluatedKey;
    } while (start);
  }
}
