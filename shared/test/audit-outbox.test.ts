import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { auditEntry, auditOutboxItem, type AuditBusEntry } from '../src/audit';
import { carryAuditOutbox } from '../src/audit-outbox';
import { publishAuditHandler } from '../src/audit-outbox-handler';
import { captureLogs, lambdaContext } from '../src/testing/http';

const entry = (n: number) =>
  auditEntry(
    { tenantId: 'acme', subject: 'user-42' },
    {},
    `corr-${n}`,
    { action: 'subscription.paused', resource: { type: 'subscription', id: `sub_${n}` } },
    new Date(Date.UTC(2026, 11, 1, 10, 0, n)),
  );

function insert(n: number, text = JSON.stringify(entry(n))): DynamoDBRecord {
  const item = auditOutboxItem(entry(n));
  return {
    eventName: 'INSERT',
    dynamodb: {
      SequenceNumber: String(100 + n),
      Keys: { pk: { S: item.pk }, sk: { S: item.sk } },
      NewImage: { pk: { S: item.pk }, sk: { S: item.sk }, auditEntry: { S: text } },
    },
  };
}

describe('carryAuditOutbox', () => {
  test('puts every inserted entry on the bus as audit.recorded, ten to a call; other records are not its', async () => {
    const puts: AuditBusEntry[][] = [];
    const records = [
      ...Array.from({ length: 12 }, (_, i) => insert(i + 1)),
      { ...insert(13), eventName: 'REMOVE' as const },
      {
        eventName: 'INSERT' as const,
        dynamodb: { SequenceNumber: '999', Keys: { pk: { S: 'TENANT#acme' }, sk: { S: 'SUB#x' } } },
      },
    ];
    const report = await carryAuditOutbox(records, async (entries) => {
      puts.push([...entries]);
      return entries.map(() => true);
    });
    expect(puts.map((batch) => batch.length)).toEqual([10, 2]);
    expect(puts[0]![0]).toEqual({
      Source: 'herald.notifications',
      DetailType: 'audit.recorded',
      Detail: JSON.stringify(entry(1)),
    });
    expect(report).toEqual({ failed: [], carried: 12, unreadable: [], putCalls: 2 });
  });

  test('what the bus refused, or every batch from an unreachable bus on, goes back to the stream', async () => {
    const refused = await carryAuditOutbox([insert(1), insert(2), insert(3)], async (entries) =>
      entries.map((_, i) => i !== 1),
    );
    expect(refused).toMatchObject({ failed: ['102'], carried: 2 });
    let calls = 0;
    const records = Array.from({ length: 15 }, (_, i) => insert(i + 1));
    const down = await carryAuditOutbox(records, async (entries) => {
      calls += 1;
      if (calls === 2) throw new Error('unreachable');
      return entries.map(() => true);
    });
    expect(down.carried).toBe(10);
    expect(down.failed).toEqual(Array.from({ length: 5 }, (_, i) => String(111 + i)));
  });

  test('an item that is no entry, or whose id is not its digest, is reported, not put', async () => {
    const altered = JSON.stringify({ ...entry(2), action: 'subscription.deleted' });
    const report = await carryAuditOutbox([insert(1, '{not json'), insert(2, altered)], async (entries) =>
      entries.map(() => true),
    );
    expect(report.carried).toBe(0);
    expect(report.unreadable.map((u) => u.sequenceNumber)).toEqual(['101', '102']);
  });
});

describe('publishAuditHandler', () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  test('hands back what the bus refused, logs an item that is no entry, and sums the batch up', async () => {
    const put: AuditBusEntry[][] = [];
    const handler = publishAuditHandler(() => async (entries) => {
      put.push([...entries]);
      return entries.map((_, i) => i !== 1);
    });
    const event = { Records: [insert(1), insert(2), insert(3, '{not json')] } as DynamoDBStreamEvent;
    expect(await handler(event, lambdaContext())).toEqual({ batchItemFailures: [{ itemIdentifier: '102' }] });
    expect(put.map((batch) => batch.length)).toEqual([2]);
    expect(logs.lines().find((line) => line.message === 'Audit outbox item is no entry')).toMatchObject({
      level: 'ERROR',
      sequenceNumber: '103',
    });
    expect(logs.lines().find((line) => line.message === 'Batch completed with failures')).toMatchObject({
      records: 3,
      failed: 1,
      carried: 1,
      unreadable: 1,
      putCalls: 1,
      awsCalls: {},
    });
  });
});
