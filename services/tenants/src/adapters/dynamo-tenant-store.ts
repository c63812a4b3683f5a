/**
 * Tenants in the tenants table: one item per tenant, `pk` its id. The operator's listing scans the
 * table (tenants are few, and only the operator lists them), a page at a time. A change given its
 * audit entry's link is one TransactWriteItems with the link's puts in the audit table
 * (transactWithLink); a transaction returns no item, so an update reads the tenant after it
 * (strongly consistent).
 */
import {
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '@herald/shared/cursor';
import type { LinkedAppend } from '../audit/record';
import type { Tenant, TenantStatus } from '../model/tenant';
import type { Page, TenantStore } from '../ports';
import { transactWithLink } from './dynamo-audit-log';

const isConditionFailure = (error: unknown): boolean =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

function fromItem(item: Record<string, unknown>): Tenant {
  const { pk: _pk, ...tenant } = item;
  void _pk;
  return tenant as unknown as Tenant;
}

export class DynamoTenantStore implements TenantStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** The audit table, for the functions that record their changes (their role may append to it). */
    private readonly auditTable?: string,
  ) {}

  private audited(): string {
    if (!this.auditTable) throw new Error('This tenant store was made without the audit table');
    return this.auditTable;
  }

  async get(id: string, consistent = false): Promise<Tenant | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: id },
        ...(consistent ? { ConsistentRead: true } : {}),
      }),
    );
    return out.Item ? fromItem(out.Item) : undefined;
  }

  async create(tenant: Tenant, audit?: LinkedAppend): Promise<boolean> {
    const put = {
      TableName: this.table,
      Item: { pk: tenant.id, ...tenant },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    if (audit) return (await transactWithLink(this.db, this.audited(), { Put: put }, audit)) !== 'refused';
    try {
      await this.db.send(new PutCommand(put));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async list(limit: number, cursor?: string): Promise<Page<Tenant>> {
    const start = cursor === undefined ? undefined : { pk: decodeCursor(cursor, 1)[0]! };
    const out = await this.db.send(
      new ScanCommand({ TableName: this.table, Limit: limit, ExclusiveStartKey: start }),
    );
    const last = out.LastEvaluatedKey as { pk: string } | undefined;
    return {
      items: (out.Items ?? []).map(fromItem),
      ...(last ? { next: encodeCursor([last.pk]) } : {}),
    };
  }

  async update(
    id: string,
    change: { settings?: Tenant['settings']; status?: TenantStatus; name?: string; updatedAt: string },
    from?: readonly TenantStatus[],
    audit?: LinkedAppend,
  ): Promise<Tenant | undefined> {
    const fields = Object.entries(change).filter(([, value]) => value !== undefined);
    const names: Record<string, string> = Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name]));
    const values: Record<string, unknown> = Object.fromEntries(
      fields.map(([, value], i) => [`:f${i}`, value]),
    );
    let condition = 'attribute_exists(pk)';
    if (from) {
      names['#status'] = 'status';
      from.forEach((status, i) => (values[`:from${i}`] = status));
      condition += ` AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})`;
    }
    const update = {
      TableName: this.table,
      Key: { pk: id },
      UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    if (audit) {
      const outcome = await transactWithLink(this.db, this.audited(), { Update: update }, audit);
      return outcome === 'refused' ? undefined : this.get(id, true);
    }
    try {
      const out = await this.db.send(new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }));
      return out.Attributes ? fromItem(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}
