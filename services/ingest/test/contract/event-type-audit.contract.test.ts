/**
 * The event-types table's audit outbox: a put given its audit entry writes the entry in the same
 * transaction, in the outbox's own partition (AUDIT#<tenant>), so the catalog, the listing and the
 * count never see it; the same put retried with its entry (committed before) writes no second one.
 */
import { expect, test } from '@jest/globals';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { auditEntry, type AuditEntry } from '@herald/shared/audit';
import { contractAws, describePort, tableFromTemplate } from '../../../../test/setup/contract';
import { DynamoEventTypeStore } from '../../src/adapters/dynamo-event-type-store';
import type { EventTypeStore } from '../../src/event-types';
import { MemoryEventTypeStore } from '../support/memory';

const T0 = new Date('2026-12-01T10:00:00.000Z');

interface Outbox {
  store: EventTypeStore;
  entries: (tenantId: string) => Promise<AuditEntry[]>;
}

const change = (action: AuditEntry['action'], type: string, at: Date) =>
  auditEntry(
    { tenantId: 'acme', subject: 'user-42', credential: 'jwt' },
    { headers: { 'user-agent': 'jest' } },
    `corr-${at.getTime()}`,
    { action, resource: { type: 'event_type', id: type }, changedFields: ['description'] },
    at,
  );

describePort<Outbox>(
  'EventTypeStore with audit entries',
  [
    {
      name: 'in memory',
      make: () => {
        const store = new MemoryEventTypeStore();
        return { store, entries: async (tenantId) => store.outbox.filter((e) => e.tenantId === tenantId) };
      },
    },
    {
      name: 'DynamoDB',
      make: async () => {
        const { dynamodb } = contractAws();
        const table = await tableFromTemplate('ingest', 'EventTypesTable');
        return {
          store: new DynamoEventTypeStore(dynamodb, table),
          entries: async (tenantId) => {
            const out = await dynamodb.send(
              new QueryCommand({
                TableName: table,
                KeyConditionExpression: 'pk = :pk',
                ExpressionAttributeValues: { ':pk': `AUDIT#${tenantId}` },
                ConsistentRead: true,
              }),
            );
            return (out.Items ?? []).map((item) => JSON.parse(String(item.auditEntry)) as AuditEntry);
          },
        };
      },
    },
  ],
  (make) => {
    test('each put writes its entry once, apart from the catalog; a retried put writes no second', async () => {
      const { store, entries } = await make();
      const put = change('event_type.put', 'order.created', T0);
      const stored = await store.put('acme', 'order.created', { description: 'd' }, T0, put);
      expect(stored).toMatchObject({ type: 'order.created', version: 1 });
      const again = await store.put('acme', 'order.created', { description: 'd' }, T0, put);
      expect(again).toMatchObject({ type: 'order.created', version: 1 });
      const deprecated = change('event_type.deprecated', 'order.created', new Date(T0.getTime() + 1000));
      await store.put('acme', 'order.created', { description: 'd', deprecated: true }, T0, deprecated);
      expect((await entries('acme')).map((entry) => entry.id).sort()).toEqual([put.id, deprecated.id].sort());
      // The outbox is not the catalog's.
      expect(await store.count('acme')).toBe(1);
      expect((await store.list('acme', 10, undefined)).items.map((type) => type.type)).toEqual([
        'order.created',
      ]);
      expect((await store.catalog('acme')).map((entry) => entry.type)).toEqual(['order.created']);
    });
  },
);
