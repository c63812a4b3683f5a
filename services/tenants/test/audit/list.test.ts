import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { HttpProblem } from '@herald/shared/problem';
import { auditQuery, listAudit } from '../../src/audit/list';
import { recordAuditEntry } from '../../src/audit/record';
import { entryOf, T0 } from './examples';
import { MemoryAuditLog } from './memory-audit-log';

async function logWith(count: number): Promise<MemoryAuditLog> {
  const log = new MemoryAuditLog();
  const deps = { log, retentionDays: async () => 30, now: () => new Date(T0) };
  for (let n = 1; n <= count; n += 1) {
    await recordAuditEntry(
      entryOf(n, {
        subject: n % 2 === 0 ? 'user-even' : 'user-odd',
        change: n % 3 === 0 ? { action: 'subscription.paused', changedFields: [] } : {},
      }),
      deps,
    );
  }
  await recordAuditEntry(entryOf(1, { tenantId: 'globex' }), deps);
  return log;
}

describe('listAudit', () => {
  test("pages through the caller's tenant's entries newest first, with cursors", async () => {
    const log = await logWith(7);
    const first = await listAudit('acme', { limit: '3' }, log);
    expect(first.items.map((item) => item.seq)).toEqual([7, 6, 5]);
    expect(first.items[0]).toMatchObject({
      tenantId: 'acme',
      hash: expect.any(String),
      prevHash: expect.any(String),
    });
    const second = await listAudit('acme', { limit: '3', cursor: first.nextCursor! }, log);
    expect(second.items.map((item) => item.seq)).toEqual([4, 3, 2]);
    const third = await listAudit('acme', { limit: '3', cursor: second.nextCursor! }, log);
    expect(third.items.map((item) => item.seq)).toEqual([1]);
    expect(third.nextCursor).toBeUndefined();
    expect((await listAudit('globex', {}, log)).items).toHaveLength(1);
  });

  test('filters by action, resource, actor and time range, together', async () => {
    const log = await logWith(7);
    const seqs = async (params: Record<string, string>) =>
      (await listAudit('acme', params, log)).items.map((item) => item.seq);
    expect(await seqs({ action: 'subscription.paused' })).toEqual([6, 3]);
    expect(await seqs({ actor: 'user-even' })).toEqual([6, 4, 2]);
    expect(
      await seqs({
        resourceType: 'subscription',
        resourceId: 'sub_1',
        actor: 'user-even',
        action: 'subscription.paused',
      }),
    ).toEqual([6]);
    expect(await seqs({ resourceType: 'api_key' })).toEqual([]);
    expect(await seqs({ since: new Date(T0 + 2000).toISOString(), until: '2026-12-01T10:00:04Z' })).toEqual([
      4, 3, 2,
    ]);
  });

  test("a cursor resumes only its tenant's query with the same filters", async () => {
    const log = await logWith(7);
    const { nextCursor } = await listAudit('acme', { limit: '2', actor: 'user-odd' }, log);
    await expect(
      listAudit('globex', { limit: '2', actor: 'user-odd', cursor: nextCursor! }, log),
    ).rejects.toMatchObject({ status: 400 });
    await expect(listAudit('acme', { limit: '2', cursor: nextCursor! }, log)).rejects.toMatchObject({
      status: 400,
    });
    await expect(listAudit('acme', { cursor: 'bm90IGEgY3Vyc29y' }, log)).rejects.toMatchObject({
      status: 400,
    });
  });

  test.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ action: 'subscription.read' }, 'action'],
    [{ resourceId: 'sub_1' }, 'resourceId'],
    [{ resourceType: 'secret' }, 'resourceType'],
    [{ since: 'yesterday' }, 'since'],
    [{ since: '2026-12-02T00:00:00Z', until: '2026-12-01T00:00:00Z' }, 'until'],
  ])('refuses %j, naming %s', (params, parameter) => {
    try {
      auditQuery('acme', params);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(HttpProblem);
      expect((error as HttpProblem).status).toBe(422);
      expect((error as HttpProblem).extra).toEqual({
        errors: [{ pointer: `/queryStringParameters/${parameter}`, message: expect.any(String) }],
      });
    }
  });
});

describe("the filters' actions and resource types: the audit entry contract's", () => {
  const json = (path: string) =>
    JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', '..', path), 'utf8')) as {
      properties: Record<string, Record<string, Record<string, Record<string, { enum?: string[] }>>>>;
    };
  const contract = json('shared/src/contracts/audit-entry.schema.json').properties as unknown as {
    action: { enum: string[] };
    resource: { properties: { type: { enum: string[] } } };
  };
  const filters = json('services/tenants/src/schemas/list-audit.schema.json').properties
    .queryStringParameters!.properties as unknown as Record<'action' | 'resourceType', { enum: string[] }>;

  test('every action and resource type the contract names is a filter auditQuery takes', () => {
    for (const action of contract.action.enum) expect(auditQuery('acme', { action }).action).toBe(action);
    for (const type of contract.resource.properties.type.enum)
      expect(auditQuery('acme', { resourceType: type }).resource).toEqual({ type });
  });

  // The route's schema cannot $ref the contract (scripts/compile-schemas.ts compiles each schema
  // alone, reading no other file), and its enums are what the API's document and the client offer:
  // so the two lists are held equal here.
  test("the route's schema lists exactly the contract's, in its order", () => {
    expect(filters.action.enum).toEqual(contract.action.enum);
    expect(filters.resourceType.enum).toEqual(contract.resource.properties.type.enum);
  });
});
