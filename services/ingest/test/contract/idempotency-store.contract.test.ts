// The promises of IdempotencyStore, kept by the in-memory stand-in and by the DynamoDB adapter alike.
// They are what makes a retried POST /v1/events send the very same envelopes, never new ones.
import { describe, expect, test } from '@jest/globals';
import { describePort, contractAws, tableFromTemplate } from '../../../../test/setup/contract';
import { DynamoIdempotencyStore } from '../../src/adapters/dynamo-idempotency-store';
import type { IdempotencyRecord, IdempotencyStore } from '../../src/idempotency';
import { MemoryIdempotencyStore } from '../support/memory';

// DynamoDB Local deletes items whose TTL has passed by the real clock, as DynamoDB does: every time
// here is an hour ahead of it, so an item is expired only for the `now` a test passes.
const NOW = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3_600_000);
const nowSeconds = Math.floor(NOW.getTime() / 1000);
const seconds = (s: number) => new Date(NOW.getTime() + s * 1000);

const record = (overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
  tenantId: 'acme',
  key: 'header:k1',
  fingerprint: 'fp-1',
  ids: ['01J0000000000000000000000A', '01J0000000000000000000000B'],
  receivedAt: NOW.toISOString(),
  correlationId: 'corr-1',
  status: 'pending',
  expiresAt: nowSeconds + 60,
  ...overrides,
});

describePort<IdempotencyStore>(
  'IdempotencyStore',
  [
    { name: 'in memory', make: () => new MemoryIdempotencyStore() },
    {
      name: 'DynamoDB',
      make: async () =>
        new DynamoIdempotencyStore(
          contractAws().dynamodb,
          await tableFromTemplate('ingest', 'IdempotencyTable'),
        ),
    },
  ],
  (make) => {
    describe('claim', () => {
      test('the first claim of a key stores the record', async () => {
        const store = await make();
        expect(await store.claim(record(), NOW)).toBeUndefined();
        expect(await store.claim(record({ fingerprint: 'fp-2' }), NOW)).toEqual(record());
      });

      test('a second claim of a live key is refused and answered with the first record, unchanged', async () => {
        const store = await make();
        await store.claim(record(), NOW);
        const second = record({
          fingerprint: 'fp-2',
          ids: ['01J0000000000000000000000C'],
          correlationId: 'c2',
        });
        expect(await store.claim(second, seconds(30))).toEqual(record());
        // The refused claim wrote nothing: a third still meets the first.
        expect(await store.claim(record({ fingerprint: 'fp-3' }), seconds(31))).toEqual(record());
      });

      test('a key is still live in the very second it expires', async () => {
        const store = await make();
        await store.claim(record(), NOW);
        expect(await store.claim(record({ fingerprint: 'fp-2' }), seconds(60))).toEqual(record());
        expect(await store.claim(record({ fingerprint: 'fp-2' }), seconds(60.999))).toEqual(record());
      });

      test('once expired, a key is claimed anew and the new record replaces the old', async () => {
        const store = await make();
        await store.claim(record({ status: 'completed' }), NOW);
        const fresh = record({ fingerprint: 'fp-2', expiresAt: nowSeconds + 200 });
        expect(await store.claim(fresh, seconds(61))).toBeUndefined();
        expect(await store.claim(record({ fingerprint: 'fp-3' }), seconds(62))).toEqual(fresh);
      });

      test('keys are per tenant: the same key in another tenant is another claim', async () => {
        const store = await make();
        await store.claim(record(), NOW);
        const other = record({ tenantId: 'globex', fingerprint: 'fp-globex' });
        expect(await store.claim(other, NOW)).toBeUndefined();
        expect(await store.claim(record({ fingerprint: 'x' }), NOW)).toEqual(record());
        expect(await store.claim(record({ tenantId: 'globex', fingerprint: 'x' }), NOW)).toEqual(other);
      });

      test('different keys of one tenant are independent', async () => {
        const store = await make();
        await store.claim(record(), NOW);
        expect(await store.claim(record({ key: 'event:01J0000000000000000000000A' }), NOW)).toBeUndefined();
      });

      test('of two claims racing on one key, exactly one wins and the other meets the winner', async () => {
        const store = await make();
        const a = record({ fingerprint: 'fp-a' });
        const b = record({ fingerprint: 'fp-b' });
        const [forA, forB] = await Promise.all([store.claim(a, NOW), store.claim(b, NOW)]);
        expect([forA, forB].filter((r) => r === undefined)).toHaveLength(1);
        const winner = forA === undefined ? a : b;
        expect(forA ?? forB).toEqual(winner);
        expect(await store.claim(record({ fingerprint: 'fp-c' }), NOW)).toEqual(winner);
      });
    });
  },
);
