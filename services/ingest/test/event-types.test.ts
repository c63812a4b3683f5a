import { describe, expect, test } from '@jest/globals';
import { MAX_TYPES_PER_TENANT, putEventType } from '../src/event-types';
import { MemoryEventTypeStore } from './support/memory';
import { ORDER, ORDER_SCHEMA } from './support/schemas';

const deps = (store = new MemoryEventTypeStore()) => ({ store, now: () => new Date('2026-12-01T10:00:00Z') });

describe('putEventType', () => {
  test('stores a type with its schema and examples, and moves the version on', async () => {
    const d = deps();
    const first = await putEventType(
      'acme',
      'order.created',
      { description: 'd', schema: ORDER_SCHEMA, examples: [ORDER] },
      d,
    );
    expect(first).toMatchObject({ kind: 'stored', eventType: { version: 1, deprecated: false } });
    const second = await putEventType('acme', 'order.created', { description: 'd2' }, d);
    expect(second).toMatchObject({ kind: 'stored', eventType: { version: 2, description: 'd2' } });
    expect(second.kind === 'stored' && second.eventType.schema).toBeUndefined();
  });

  test('a boolean schema is a schema: true takes any data, false none', async () => {
    const d = deps();
    expect(
      await putEventType('acme', 'order.any', { description: 'd', schema: true, examples: [1] }, d),
    ).toMatchObject({
      kind: 'stored',
    });
    expect(
      await putEventType('acme', 'order.none', { description: 'd', schema: false, examples: [1] }, d),
    ).toEqual({
      kind: 'invalid',
      errors: [{ pointer: '/body/examples/0', message: expect.stringContaining('(false schema)') }],
    });
  });

  test('an example that breaks the schema is refused, naming its index and pointer', async () => {
    const outcome = await putEventType(
      'acme',
      'order.created',
      { description: 'd', schema: ORDER_SCHEMA, examples: [ORDER, { ...ORDER, total: -5 }] },
      deps(),
    );
    expect(outcome).toEqual({
      kind: 'invalid',
      errors: [{ pointer: '/body/examples/1/total', message: 'must be >= 0 (minimum)' }],
    });
  });

  test('schema problems are named under /body/schema; nothing is stored', async () => {
    const d = deps();
    const outcome = await putEventType(
      'acme',
      'order.created',
      { description: 'd', schema: { properties: { a: { pattern: '(a)\\1' } } } },
      d,
    );
    expect(outcome).toMatchObject({
      kind: 'invalid',
      errors: [{ pointer: '/body/schema/properties/a/pattern' }],
    });
    expect(d.store.types.size).toBe(0);
  });

  test('replacedBy is for a deprecated type, and names another', async () => {
    const outcome = await putEventType(
      'acme',
      'order.placed',
      { description: 'd', replacedBy: 'order.placed' },
      deps(),
    );
    expect(outcome).toMatchObject({
      kind: 'invalid',
      errors: [{ pointer: '/body/replacedBy' }, { pointer: '/body/replacedBy' }],
    });
  });

  test('a tenant registers at most MAX_TYPES_PER_TENANT types; replacing one is always fine', async () => {
    const d = deps();
    for (let i = 0; i < MAX_TYPES_PER_TENANT; i += 1) {
      await d.store.put('acme', `t.n${i}`, { description: 'd' }, new Date());
    }
    expect(await putEventType('acme', 'order.created', { description: 'd' }, d)).toEqual({
      kind: 'quota-exceeded',
      max: MAX_TYPES_PER_TENANT,
    });
    expect(await putEventType('acme', 't.n0', { description: 'd' }, d)).toMatchObject({ kind: 'stored' });
    expect(await putEventType('other', 'order.created', { description: 'd' }, d)).toMatchObject({
      kind: 'stored',
    });
  });
});
