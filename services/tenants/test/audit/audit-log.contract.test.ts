/**
 * The audit table's promises, against its in-memory stand-in and the DynamoDB adapter on DynamoDB
 * Local: appends are conditional (one writer per link, an entry once), pages are the tenant's alone,
 * newest first and filtered, and the walk gives the chain oldest first, which the verifier checks;
 * an item changed in the table behind the adapter's back is reported.
 */
import { expect, test } from '@jest/globals';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { contractAws, describePort } from '../../../../test/setup/contract';
import { randomUUID } from 'node:crypto';
import { link } from '../../src/audit/chain';
import { auditPartition, DynamoAuditLog, seqKey } from '../../src/adapters/dynamo-audit-log';
import type { AuditLog } from '../../src/audit/ports';
import { recordAuditEntry } from '../../src/audit/record';
import { verifyChain } from '../../src/audit/verify';
import { entryOf, T0 } from './examples';
import { MemoryAuditLog } from './memory-audit-log';

interface Subject {
  log: AuditLog;
  /** Changes an entry's stored text in place, as someone with table access could. */
  tamper?: (tenantId: string, seq: number) => Promise<void>;
}

/** The audit table's key schema, as services/tenants/serverless.yml declares AuditTable. */
async function auditTable(): Promise<string> {
  const name = `tenants-AuditTable-${randomUUID().slice(0, 8)}`;
  await contractAws().dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  return name;
}

const implementations = [
  { name: 'memory', make: (): Subject => ({ log: new MemoryAuditLog() }) },
  {
    name: 'DynamoDB',
    make: async (): Promise<Subject> => {
      const { dynamodb } = contractAws();
      const table = await auditTable();
      return {
        log: new DynamoAuditLog(dynamodb, table),
        tamper: async (tenantId, seq) => {
          await dynamodb.send(
            new UpdateCommand({
              TableName: table,
              Key: { pk: auditPartition(tenantId), sk: seqKey(seq) },
              UpdateExpression: 'SET entry = :entry',
              ExpressionAttributeValues: {
                ':entry': JSON.stringify({ ...entryOf(seq), changedFields: ['url', 'secret'] }),
              },
            }),
          );
        },
      };
    },
  },
];

const deps = (log: AuditLog) => ({ log, retentionDays: async () => 30, now: () => new Date(T0) });

describePort('AuditLog', implementations, (make) => {
  test('an empty tenant has no head and an empty chain', async () => {
    const { log } = await make();
    expect(await log.head('acme')).toBeUndefined();
    expect((await log.page('acme', { limit: 10 })).items).toEqual([]);
    expect(await verifyChain('acme', log.walk('acme'))).toEqual({ ok: true, entries: 0 });
  });

  test('append links after the head; a taken link is a conflict; an entry already in is a duplicate', async () => {
    const { log } = await make();
    const first = link(undefined, entryOf(1), new Date(T0));
    expect(await log.append(first, 2_000_000_000)).toBe('appended');
    expect(await log.head('acme')).toEqual({ seq: 1, hash: first.hash });
    // Another writer links entry 2 after the same head: the first to write wins.
    expect(await log.append(link(first, entryOf(2), new Date(T0)), 2_000_000_000)).toBe('appended');
    expect(await log.append(link(first, entryOf(3), new Date(T0)), 2_000_000_000)).toBe('conflict');
    // Entry 1 carried again, whatever link it would take.
    expect(await log.append(link({ seq: 2, hash: 'x' }, entryOf(1), new Date(T0)), 2_000_000_000)).toBe(
      'duplicate',
    );
    expect((await log.head('acme'))?.seq).toBe(2);
  });

  test('racing recorders make one chain that verifies, each entry once', async () => {
    const { log } = await make();
    await Promise.all(Array.from({ length: 5 }, (_, i) => recordAuditEntry(entryOf(i + 1), deps(log))));
    await recordAuditEntry(entryOf(3), deps(log));
    const walked = [];
    for await (const item of log.walk('acme')) walked.push(item);
    expect(walked.map((item) => item.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(walked.map((item) => item.entry.id)).size).toBe(5);
    expect(await verifyChain('acme', log.walk('acme'))).toMatchObject({ ok: true, entries: 5 });
  });

  test("pages are the tenant's, newest first, filtered, resumed below a sequence number", async () => {
    const { log } = await make();
    for (let n = 1; n <= 6; n += 1)
      await recordAuditEntry(
        entryOf(n, n % 2 === 0 ? { change: { action: 'subscription.paused', changedFields: [] } } : {}),
        deps(log),
      );
    await recordAuditEntry(entryOf(1, { tenantId: 'globex' }), deps(log));
    const page = await log.page('acme', { limit: 4 });
    expect(page.items.map((item) => item.seq)).toEqual([6, 5, 4, 3]);
    expect(page.nextBeforeSeq).toBe(3);
    expect((await log.page('acme', { limit: 4, beforeSeq: 3 })).items.map((item) => item.seq)).toEqual([
      2, 1,
    ]);
    const paused = await log.page('acme', { limit: 2, action: 'subscription.paused' });
    expect(paused.items.map((item) => item.seq)).toEqual([6, 4]);
    expect(
      (
        await log.page('acme', { limit: 2, action: 'subscription.paused', beforeSeq: paused.nextBeforeSeq! })
      ).items.map((item) => item.seq),
    ).toEqual([2]);
    const window = await log.page('acme', {
      limit: 10,
      since: new Date(T0 + 2000).toISOString(),
      until: new Date(T0 + 3000).toISOString(),
      resource: { type: 'subscription', id: 'sub_1' },
      actor: 'user-42',
    });
    expect(window.items.map((item) => item.seq)).toEqual([3, 2]);
    expect((await log.page('globex', { limit: 10 })).items).toHaveLength(1);
  });

  test('an entry changed in the table is reported by the verifier at its link', async () => {
    const { log, tamper } = await make();
    if (!tamper) return; // the in-memory log has no table to tamper with
    for (let n = 1; n <= 4; n += 1) await recordAuditEntry(entryOf(n), deps(log));
    expect(await verifyChain('acme', log.walk('acme'))).toMatchObject({ ok: true, entries: 4 });
    await tamper('acme', 2);
    expect(await verifyChain('acme', log.walk('acme'))).toMatchObject({
      ok: false,
      brokenAt: 2,
      reason: 'entry-altered',
    });
  });
});
