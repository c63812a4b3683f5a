/**
 * EmailDayCounter: a tenant's mails of one UTC day under the daily e-mail cap, run against its
 * in-memory stand-in (test/support/memory-limits.ts) and the DynamoDB adapter on a deliveries table
 * made from the template. Each count is one conditional write: counts at once never pass the limit,
 * a refused count changes nothing, and each tenant and each day counts apart.
 */
import { expect, test } from '@jest/globals';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { contractAws, describePort, tableFromTemplate } from '../../../../test/setup/contract';
import { DynamoEmailDayCounter } from '../../src/adapters/dynamo-email-day-counter';
import type { EmailDayCounter } from '../../src/delivery/email-cap';
import { MemoryEmailDays } from '../support/memory-limits';
import { freshEach, type Implementation } from './implementations';

interface Counter {
  counter: EmailDayCounter;
  /** The day's counter as stored, for the DynamoDB adapter (its TTL); undefined for the stand-in. */
  stored?: (tenantId: string, day: string) => Promise<Record<string, unknown> | undefined>;
}

const implementations: ReadonlyArray<Implementation<Counter>> = [
  { name: 'memory', make: () => ({ counter: new MemoryEmailDays() }) },
  {
    name: 'DynamoDB',
    make: async () => {
      const { dynamodb } = contractAws();
      const table = await tableFromTemplate('notifications', 'DeliveriesTable');
      return {
        counter: new DynamoEmailDayCounter(dynamodb, table),
        stored: async (tenantId, day) =>
          (
            await dynamodb.send(
              new GetCommand({
                TableName: table,
                Key: { pk: `TENANT#${tenantId}`, sk: `EMAILDAY#${day}` },
                ConsistentRead: true,
              }),
            )
          ).Item,
      };
    },
  },
];

const DAY = '2026-11-30';

describePort('EmailDayCounter', implementations, (make) => {
  const port = freshEach(make);
  const count = (limit: number, tenantId = 'acme', day = DAY) =>
    port().counter.tryCount(tenantId, day, limit);

  test('counts up to the limit, then refuses', async () => {
    expect([await count(3), await count(3), await count(3), await count(3), await count(3)]).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  test('a refused count is not counted: a higher limit lets exactly that many more through', async () => {
    expect(await count(1)).toBe(true);
    expect(await count(1)).toBe(false);
    expect(await count(1)).toBe(false);
    expect(await count(2)).toBe(true);
    expect(await count(2)).toBe(false);
  });

  test('counts made at once never pass the limit', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => count(5)));
    expect(results.filter(Boolean)).toHaveLength(5);
    expect(await count(5)).toBe(false);
  }, 30_000);

  test('each tenant and each day counts apart', async () => {
    expect(await count(1, 'acme', DAY)).toBe(true);
    expect(await count(1, 'acme', DAY)).toBe(false);
    expect(await count(1, 'globex', DAY)).toBe(true);
    expect(await count(1, 'acme', '2026-12-01')).toBe(true);
  });

  test('a day’s counter expires two days after its day (the table’s TTL)', async () => {
    await count(10);
    const stored = port().stored;
    if (!stored) return; // The stand-in keeps nothing to expire.
    expect(await stored('acme', DAY)).toMatchObject({
      emailCount: 1,
      expiresAt: Date.parse('2026-12-03T00:00:00Z') / 1000,
    });
  });
});
