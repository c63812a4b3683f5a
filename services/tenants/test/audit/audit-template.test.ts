/**
 * The audit log is immutable by its grants and its code: in the service's CloudFormation for a
 * deployed stage (prod), no role may update or delete an audit item (recordAudit, and any role
 * that appends through recordAuditEntry, may Query and PutItem; listAudit Query), and TTL is on; the adapter's only write is a
 * transaction of puts, each `attribute_not_exists`. Packaged into a temporary folder
 * (scripts/lib/package-stage.ts), so the local cloud's own packages are left alone.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { packageStage } from '../../../../scripts/lib/package-stage';
import { link } from '../../src/audit/chain';
import { DynamoAuditLog, transactWithLink } from '../../src/adapters/dynamo-audit-log';
import { entryOf, T0 } from './examples';

type Resource = { Type: string; Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
let template: { Resources: Record<string, Resource> };

beforeAll(async () => {
  template = (await packageStage('tenants', 'prod')).update as typeof template;
}, 300_000);

const namesAuditTable = (resource: unknown): boolean =>
  JSON.stringify(resource ?? null).includes('AuditTable');
const actions = (statement: Statement) => [statement.Action].flat();

/** Per role, the actions it is allowed on the audit table (or on everything). */
function auditGrants(): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    const statements: Statement[] = (resource.Properties.Policies ?? []).flatMap(
      (policy: { PolicyDocument: { Statement: Statement[] } }) => policy.PolicyDocument.Statement,
    );
    const allowed = statements
      .filter((s) => s.Effect === 'Allow' && (namesAuditTable(s.Resource) || s.Resource === '*'))
      .flatMap(actions)
      .filter((action) => action.startsWith('dynamodb:') || action === '*');
    if (allowed.length > 0) grants[id] = [...new Set(allowed)].sort();
  }
  return grants;
}

describe('the audit table in the template', () => {
  test("no role may update or delete an item: at most Query and PutItem (the chain's appends), listAudit Query", () => {
    const grants = auditGrants();
    // Whoever appends (recordAudit, and any function recording an entry of its own through
    // recordAuditEntry) holds PutItem and Query; nothing else that writes, on no role.
    for (const [role, allowed] of Object.entries(grants))
      expect({
        role,
        allowed: allowed.filter((a) => a !== 'dynamodb:Query' && a !== 'dynamodb:PutItem'),
      }).toEqual({
        role,
        allowed: [],
      });
    expect(grants.RecordAuditIamRoleLambdaExecution).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);
    expect(grants.ListAuditIamRoleLambdaExecution).toEqual(['dynamodb:Query']);
    // This service's own changes append their entries in the change's write: the same two grants.
    // The authorizer's tenant made on its first use is the local stage's alone (autoCreateTenants;
    // scripts/test/first-use-templates.test.ts): prod's has none.
    expect(grants.AuthorizeIamRoleLambdaExecution).toBeUndefined();
    for (const fn of [
      'CreateTenant',
      'UpdateTenant',
      'SuspendTenant',
      'ResumeTenant',
      'DeleteTenant',
      'CreateApiKey',
      'RevokeApiKey',
      'CreatePortalToken',
    ])
      expect({ fn, allowed: grants[`${fn}IamRoleLambdaExecution`] }).toEqual({
        fn,
        allowed: ['dynamodb:PutItem', 'dynamodb:Query'],
      });
  });

  test('TTL (the tenant retention) is the only deletion, and the table is kept and encrypted', () => {
    const table = template.Resources.AuditTable!.Properties;
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
  });
});

describe("the adapter's writes", () => {
  test("a change of the service's own is one transaction with its link's puts, each only if absent", async () => {
    const sent: Array<{ name: string; input: Record<string, any> }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    const db = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        sent.push({ name: command.constructor.name, input: command.input });
        return {};
      },
    } as unknown as DynamoDBDocumentClient;
    const change = {
      Put: { TableName: 'tenants', Item: { pk: 'acme' }, ConditionExpression: 'attribute_not_exists(pk)' },
    };
    const append = { link: link(undefined, entryOf(1), new Date(T0)), expiresAt: 2_000_000_000 };
    expect(await transactWithLink(db, 'audit', change, append)).toBe('written');
    expect(sent.map((command) => command.name)).toEqual(['TransactWriteCommand']);
    const items = sent[0]!.input.TransactItems as Array<
      Record<string, { TableName: string; ConditionExpression?: string }>
    >;
    expect(
      items.map((item) => [
        Object.keys(item)[0],
        Object.values(item)[0]!.TableName,
        Object.values(item)[0]!.ConditionExpression,
      ]),
    ).toEqual([
      ['Put', 'tenants', 'attribute_not_exists(pk)'],
      ['Put', 'audit', 'attribute_not_exists(pk)'],
      ['Put', 'audit', 'attribute_not_exists(pk)'],
    ]);
  });

  test('an append is a transaction of puts, each only if absent; nothing else writes', async () => {
    const sent: Array<{ name: string; input: Record<string, any> }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    const db = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        sent.push({ name: command.constructor.name, input: command.input });
        return { Items: [] };
      },
    } as unknown as DynamoDBDocumentClient;
    const log = new DynamoAuditLog(db, 'audit');
    await log.append(link(undefined, entryOf(1), new Date(T0)), 2_000_000_000);
    await log.head('acme');
    await log.page('acme', { limit: 10 });
    for await (const _ of log.walk('acme')) break;
    const writes = sent.filter((command) => command.name !== 'QueryCommand');
    expect(writes.map((command) => command.name)).toEqual(['TransactWriteCommand']);
    const items = writes[0]!.input.TransactItems as Array<Record<string, { ConditionExpression?: string }>>;
    expect(items.map((item) => [Object.keys(item), Object.values(item)[0]!.ConditionExpression])).toEqual([
      [['Put'], 'attribute_not_exists(pk)'],
      [['Put'], 'attribute_not_exists(pk)'],
    ]);
  });
});
