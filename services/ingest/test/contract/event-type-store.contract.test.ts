// The promises of EventTypeStore, kept by the in-memory stand-in and by the DynamoDB adapter alike:
// a PUT replaces the whole type and moves its version on, keeping createdAt; list pages by name
// with cursors bound to the tenant; the catalog is every type of the tenant with its schema as
// stored; every key bound to its tenant.
import { describe, expect, test } from '@jest/globals';
import { InvalidCursor } from '@herald/shared/cursor';
import { contractAws, describePort, tableFromTemplate } from '../../../../test/setup/contract';
import { DynamoEventTypeStore } from '../../src/adapters/dynamo-event-type-store';
import type { EventTypeStore } from '../../src/event-types';
import { MemoryEventTypeStore } from '../support/memory';
import { ORDER, ORDER_SCHEMA } from '../support/schemas';

const T0 = new Date('2026-12-01T10:00:00.000Z');
const T1 = new Date('2026-12-01T11:00:00.000Z');
let tenants = 0;
// The DynamoDB table is shared by the tests of a run: a tenant of its own per test.
const tenant = () => `contract-${Date.now().toString(36)}-${tenants++}`;

describePort<EventTypeStore>(
  'EventTypeStore',
  [
    { name: 'in memory', make: () => new MemoryEventTypeStore() },
    {
      name: 'DynamoDB',
      make: async () =>
        new DynamoEventTypeStore(
          contractAws().dynamodb,
          await tableFromTemplate('ingest', 'EventTypesTable'),
        ),
    },
  ],
  (make) => {
    test('put answers the type as stored, and get gives it back; numbers in the schema stay exact', async () => {
      const store = await make();
      const t = tenant();
      const schema = {
        ...ORDER_SCHEMA,
        properties: { ...ORDER_SCHEMA.properties, ratio: { multipleOf: 0.1 } },
      };
      const stored = await store.put(t, 'order.created', { description: 'd', schema, examples: [ORDER] }, T0);
      expect(stored).toEqual({
        type: 'order.created',
        description: 'd',
        schema,
        examples: [ORDER],
        deprecated: false,
        version: 1,
        createdAt: T0.toISOString(),
        updatedAt: T0.toISOString(),
      });
      expect(await store.get(t, 'order.created')).toEqual(stored);
      expect(await store.get(t, 'order.other')).toBeUndefined();
      expect(await store.get(tenant(), 'order.created')).toBeUndefined();
    });

    test('a second put replaces the whole type: version 2, createdAt kept, left-out fields removed', async () => {
      const store = await make();
      const t = tenant();
      await store.put(t, 'order.created', { description: 'd', schema: ORDER_SCHEMA, examples: [ORDER] }, T0);
      const replaced = await store.put(
        t,
        'order.created',
        { description: 'old', deprecated: true, replacedBy: 'order.placed' },
        T1,
      );
      expect(replaced).toEqual({
        type: 'order.created',
        description: 'old',
        deprecated: true,
        replacedBy: 'order.placed',
        version: 2,
        createdAt: T0.toISOString(),
        updatedAt: T1.toISOString(),
      });
    });

    test('list pages by name; the cursor resumes for its tenant only', async () => {
      const store = await make();
      const t = tenant();
      for (const type of ['c.three', 'a.one', 'b.two']) await store.put(t, type, { description: type }, T0);
      const first = await store.list(t, 2, undefined);
      expect(first.items.map((item) => item.type)).toEqual(['a.one', 'b.two']);
      const second = await store.list(t, 2, first.nextCursor);
      expect(second.items.map((item) => item.type)).toEqual(['c.three']);
      if (second.nextCursor !== undefined)
        expect((await store.list(t, 2, second.nextCursor)).items).toEqual([]);
      expect(await store.count(t)).toBe(3);
    });

    test('catalog: every type of the tenant with the hot-path fields, schema as JSON text', async () => {
      const store = await make();
      const t = tenant();
      await store.put(t, 'order.created', { description: 'd', schema: ORDER_SCHEMA, examples: [ORDER] }, T0);
      await store.put(
        t,
        'order.placed',
        { description: 'd', deprecated: true, replacedBy: 'order.created' },
        T0,
      );
      await store.put(tenant(), 'order.created', { description: 'other tenant' }, T0);
      const entries = await store.catalog(t);
      expect(entries.sort((a, b) => a.type.localeCompare(b.type))).toEqual([
        { type: 'order.created', version: 1, deprecated: false, schemaJson: expect.any(String) },
        { type: 'order.placed', version: 1, deprecated: true, replacedBy: 'order.created' },
      ]);
      expect(JSON.parse(entries[0]!.schemaJson!)).toEqual(ORDER_SCHEMA);
    });
  },
);

describe('DynamoEventTypeStore cursors', () => {
  test("another tenant's or a made-up cursor is refused", async () => {
    const store = new DynamoEventTypeStore(
      contractAws().dynamodb,
      await tableFromTemplate('ingest', 'EventTypesTable'),
    );
    const t = tenant();
    for (const type of ['a.one', 'b.two']) await store.put(t, type, { description: type }, T0);
    const { nextCursor } = await store.list(t, 1, undefined);
    await expect(store.list(tenant(), 1, nextCursor)).rejects.toBeInstanceOf(InvalidCursor);
    await expect(store.list(t, 1, 'bm90LWEtY3Vyc29y')).rejects.toBeInstanceOf(InvalidCursor);
  });
});
