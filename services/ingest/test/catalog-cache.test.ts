import { describe, expect, test } from '@jest/globals';
import { CatalogCache } from '../src/catalog-cache';
import { compileSchema } from '../src/event-schemas';
import { MemoryEventTypeStore } from './support/memory';

const now = new Date('2026-12-01T10:00:00Z');

function setup(options: Partial<{ maxTenants: number; maxValidators: number }> = {}) {
  const store = new MemoryEventTypeStore();
  let clock = 0;
  const compiles: string[] = [];
  const cache = new CatalogCache(store, {
    ttlMs: 60_000,
    maxTenants: options.maxTenants ?? 10,
    maxValidators: options.maxValidators ?? 10,
    now: () => clock,
    onCompile: ({ tenantId, type, version }) => compiles.push(`${tenantId}/${type}@${version}`),
  });
  return { store, cache, compiles, tick: (ms: number) => void (clock += ms) };
}

const amount = { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } };

describe('CatalogCache', () => {
  test("reads a tenant's catalog once per TTL, and again after it", async () => {
    const { store, cache, tick } = setup();
    await store.put('acme', 'order.created', { description: 'd', schema: amount }, now);
    for (let i = 0; i < 5; i += 1) (await cache.forTenant('acme'))('order.created', { amount: 1 });
    expect(store.catalogReads).toBe(1);

    // A change made now is seen once the TTL has passed, not before.
    await store.put(
      'acme',
      'order.created',
      { description: 'd', schema: { type: 'object', maxProperties: 0 } },
      now,
    );
    tick(59_999);
    expect((await cache.forTenant('acme'))('order.created', { amount: 1 })).toEqual({ kind: 'ok' });
    tick(1);
    expect((await cache.forTenant('acme'))('order.created', { amount: 1 })).toMatchObject({
      kind: 'invalid',
      error: { keyword: 'maxProperties' },
    });
    expect(store.catalogReads).toBe(2);
  });

  test('concurrent first uses share one read', async () => {
    const { store, cache } = setup();
    await Promise.all([cache.forTenant('acme'), cache.forTenant('acme'), cache.forTenant('acme')]);
    expect(store.catalogReads).toBe(1);
  });

  test('keeps at most maxTenants catalogs, dropping the least recently used', async () => {
    const { store, cache } = setup({ maxTenants: 2 });
    await cache.forTenant('a');
    await cache.forTenant('b');
    await cache.forTenant('a'); // a is now the most recent
    await cache.forTenant('c'); // b goes
    expect(store.catalogReads).toBe(3);
    await cache.forTenant('a');
    expect(store.catalogReads).toBe(3);
    await cache.forTenant('b');
    expect(store.catalogReads).toBe(4);
    expect(cache.sizes.tenants).toBe(2);
  });

  test("keeps at most maxCatalogBytes of schemas' text, and maxValidatorBytes behind validators", async () => {
    const store = new MemoryEventTypeStore();
    const cache = new CatalogCache(store, {
      ttlMs: 60_000,
      maxTenants: 10,
      maxValidators: 10,
      maxCatalogBytes: 150,
      maxValidatorBytes: 150,
      now: () => 0,
    });
    const size = JSON.stringify(amount).length;
    expect(size < 150 && 2 * size > 150).toBe(true);
    await store.put('a', 'order.created', { description: 'd', schema: amount }, now);
    await store.put('b', 'order.created', { description: 'd', schema: amount }, now);
    (await cache.forTenant('a'))('order.created', {});
    expect(cache.sizes).toMatchObject({
      tenants: 1,
      catalogBytes: size,
      validators: 1,
      validatorBytes: size,
    });
    (await cache.forTenant('b'))('order.created', {});
    await new Promise((resolve) => setImmediate(resolve));
    // Two catalogs are over 150 bytes: a, the least recently used, went, and a's validator too.
    expect(cache.sizes).toMatchObject({
      tenants: 1,
      catalogBytes: size,
      validators: 1,
      validatorBytes: size,
    });
    const reads = store.catalogReads;
    await cache.forTenant('b');
    expect(store.catalogReads).toBe(reads);
    await cache.forTenant('a');
    expect(store.catalogReads).toBe(reads + 1);
  });

  test('a failed read is not kept: the next event reads again', async () => {
    const { store, cache } = setup();
    store.failNextCatalog = true;
    await expect(cache.forTenant('acme')).rejects.toThrow('ProvisionedThroughput');
    await cache.forTenant('acme');
    expect(store.catalogReads).toBe(2);
  });

  test('compiles once per (tenant, type, version), bounded', async () => {
    const { store, cache, compiles, tick } = setup({ maxValidators: 2 });
    await store.put('acme', 'order.created', { description: 'd', schema: amount }, now);
    await store.put('acme', 'order.paid', { description: 'd', schema: amount }, now);
    await store.put('other', 'order.created', { description: 'd', schema: amount }, now);
    const acme = await cache.forTenant('acme');
    for (let i = 0; i < 3; i += 1) acme('order.created', { amount: i });
    expect(compiles).toEqual(['acme/order.created@1']);
    (await cache.forTenant('other'))('order.created', {});
    expect(compiles).toEqual(['acme/order.created@1', 'other/order.created@1']);

    await store.put('acme', 'order.created', { description: 'd', schema: amount }, now);
    tick(60_000);
    (await cache.forTenant('acme'))('order.created', { amount: 1 });
    expect(compiles.at(-1)).toBe('acme/order.created@2');
    expect(cache.sizes.validators).toBe(2);
    acme('order.paid', { amount: 1 });
    expect(cache.sizes.validators).toBe(2);
  });

  test("types without an entry are accepted; one tenant's schema does not apply to another", async () => {
    const { store, cache } = setup();
    await store.put('acme', 'order.created', { description: 'd', schema: amount }, now);
    expect((await cache.forTenant('acme'))('order.shipped', 'anything')).toEqual({ kind: 'ok' });
    expect((await cache.forTenant('other'))('order.created', 'anything')).toEqual({ kind: 'ok' });
    expect((await cache.forTenant('acme'))('order.created', 'anything')).toMatchObject({ kind: 'invalid' });
  });

  test('the schema compiler is loaded only once a tenant has a schema, and once', async () => {
    const store = new MemoryEventTypeStore();
    let loads = 0;
    const cache = new CatalogCache(store, {
      ttlMs: 0,
      maxTenants: 10,
      maxValidators: 10,
      loadCompiler: async () => {
        loads += 1;
        return compileSchema;
      },
    });
    await store.put('plain', 'order.created', { description: 'no schema' }, now);
    (await cache.forTenant('plain'))('order.created', {});
    (await cache.forTenant('nobody'))('order.created', {});
    expect(loads).toBe(0);
    await store.put('acme', 'order.created', { description: 'd', schema: amount }, now);
    expect((await cache.forTenant('acme'))('order.created', {})).toMatchObject({ kind: 'invalid' });
    (await cache.forTenant('acme'))('order.created', { amount: 1 });
    expect(loads).toBe(1);
  });

  test('a deprecated type is accepted and said to be deprecated', async () => {
    const { store, cache } = setup();
    await store.put(
      'acme',
      'order.placed',
      { description: 'd', deprecated: true, replacedBy: 'order.created' },
      now,
    );
    expect((await cache.forTenant('acme'))('order.placed', {})).toEqual({
      kind: 'ok',
      deprecated: { type: 'order.placed', replacedBy: 'order.created' },
    });
  });
});
