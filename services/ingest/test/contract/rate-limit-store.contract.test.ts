// The promises of RateLimitStore, kept by the in-memory stand-in and by the DynamoDB adapter alike:
// a take or an add either counts all of its cost or nothing, and never passes its maximum, however
// many containers count at once.
import { describe, expect, test } from '@jest/globals';
import { describePort, contractAws, tableFromTemplate } from '../../../../test/setup/contract';
import { DynamoRateLimitStore } from '../../src/adapters/dynamo-rate-limit-store';
import type { RateLimitStore } from '../../src/limits';
import { MemoryRateLimitStore } from '../support/memory';

// Every test its own tenant: the table is shared by the suite's runs.
let tenants = 0;
const tenant = () => `t${Date.now().toString(36)}${(tenants++).toString(36)}`;
const EXPIRES = Math.floor(Date.now() / 1000) + 3600;
const max = { requests: 3, events: 10 };

describePort<RateLimitStore>(
  'RateLimitStore',
  [
    { name: 'in memory', make: () => new MemoryRateLimitStore() },
    {
      name: 'DynamoDB',
      make: async () =>
        new DynamoRateLimitStore(contractAws().dynamodb, await tableFromTemplate('ingest', 'LimitsTable')),
    },
  ],
  (make) => {
    describe('take', () => {
      test('counts a request and its events, and answers the counts after it', async () => {
        const store = await make();
        const t = tenant();
        expect(await store.take(t, 1, 4, max, EXPIRES)).toEqual({
          allowed: true,
          counts: { requests: 1, events: 4 },
        });
        expect(await store.take(t, 1, 0, max, EXPIRES)).toEqual({
          allowed: true,
          counts: { requests: 2, events: 4 },
        });
      });

      test('refuses a request that would pass either maximum, counts nothing, and answers the counts as they are', async () => {
        const store = await make();
        const t = tenant();
        await store.take(t, 1, 8, max, EXPIRES);
        expect(await store.take(t, 1, 3, max, EXPIRES)).toEqual({
          allowed: false,
          counts: { requests: 1, events: 8 },
        });
        expect(await store.take(t, 1, 2, max, EXPIRES)).toEqual({
          allowed: true,
          counts: { requests: 2, events: 10 },
        });
        expect(await store.take(t, 1, 0, max, EXPIRES)).toEqual({
          allowed: true,
          counts: { requests: 3, events: 10 },
        });
        expect(await store.take(t, 1, 0, max, EXPIRES)).toEqual({
          allowed: false,
          counts: { requests: 3, events: 10 },
        });
      });

      test('windows and tenants are counted apart', async () => {
        const store = await make();
        const [a, b] = [tenant(), tenant()];
        for (let i = 0; i < 3; i++) await store.take(a, 7, 1, max, EXPIRES);
        expect((await store.take(a, 7, 1, max, EXPIRES)).allowed).toBe(false);
        expect(await store.take(a, 8, 1, max, EXPIRES)).toEqual({
          allowed: true,
          counts: { requests: 1, events: 1 },
        });
        expect(await store.take(b, 7, 1, max, EXPIRES)).toEqual({
          allowed: true,
          counts: { requests: 1, events: 1 },
        });
      });

      test('takes at once never pass the maximum', async () => {
        const store = await make();
        const t = tenant();
        const results = await Promise.all(
          Array.from({ length: 12 }, () => store.take(t, 1, 1, { requests: 5, events: 100 }, EXPIRES)),
        );
        expect(results.filter((result) => result.allowed)).toHaveLength(5);
        expect(await store.take(t, 1, 0, { requests: 6, events: 100 }, EXPIRES)).toEqual({
          allowed: true,
          counts: { requests: 6, events: 5 },
        });
      });

      test('a take larger than the maximum on its own is refused, the counts being 0', async () => {
        const store = await make();
        expect(await store.take(tenant(), 1, 11, max, EXPIRES)).toEqual({
          allowed: false,
          counts: { requests: 0, events: 0 },
        });
        expect(await store.take(tenant(), 1, 0, { requests: 0, events: 10 }, EXPIRES)).toEqual({
          allowed: false,
          counts: { requests: 0, events: 0 },
        });
      });
    });

    describe('add', () => {
      test('adds up to the maximum and refuses what would pass it, adding nothing', async () => {
        const store = await make();
        const t = tenant();
        expect(await store.add(t, 'UPLOADBYTES#2026-12-01', 600, 1000, EXPIRES)).toEqual({
          allowed: true,
          current: 600,
        });
        expect(await store.add(t, 'UPLOADBYTES#2026-12-01', 401, 1000, EXPIRES)).toEqual({
          allowed: false,
          current: 600,
        });
        expect(await store.add(t, 'UPLOADBYTES#2026-12-01', 400, 1000, EXPIRES)).toEqual({
          allowed: true,
          current: 1000,
        });
        expect(await store.add(t, 'UPLOADBYTES#2026-12-02', 1000, 1000, EXPIRES)).toEqual({
          allowed: true,
          current: 1000,
        });
      });

      test('an amount over the maximum on its own is refused, the count being 0', async () => {
        const store = await make();
        expect(await store.add(tenant(), 'UPLOADBYTES#2026-12-01', 1001, 1000, EXPIRES)).toEqual({
          allowed: false,
          current: 0,
        });
      });
    });
  },
);
