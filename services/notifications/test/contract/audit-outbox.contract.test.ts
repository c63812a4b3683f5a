/**
 * The audit outbox of subscription changes: a change given its audit entry writes the entry in the
 * same transaction, as an item of the subscriptions table (TENANT#<t> / AUDIT#<id>), which the
 * table's stream carries to the bus. Run against the in-memory stand-in and the DynamoDB adapters:
 * a change writes its entry once; a change refused by its condition writes none; the same change
 * retried after it was made (the same entry) writes no second entry. It also counts what an audited
 * change costs in DynamoDB calls, against the same change unaudited.
 */
import { expect, test } from '@jest/globals';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { auditEntry, type AuditEntry } from '@herald/shared/audit';
import { contractAws, describePort, tableFromTemplate } from '../../../../test/setup/contract';
import { DynamoSubscriptionStore } from '../../src/adapters/dynamo-subscription-store';
import { DynamoTenantUsage } from '../../src/adapters/dynamo-tenant-usage';
import type { AuditOutbox, ReplayRegistry } from '../../src/history/ports';
import type { SubscriptionQuota, SubscriptionRepository } from '../../src/subscriptions/ports';
import { MemorySubscriptions } from '../support/memory';
import { MemoryTenantUsage } from '../support/memory-limits';
import { at, subscription } from './examples';
import { freshEach, type Implementation } from './implementations';

interface Outbox {
  repository: SubscriptionRepository;
  quota: SubscriptionQuota & ReplayRegistry;
  /** An entry alone: the redelivery's. */
  alone: AuditOutbox;
  /** The entries in the table's outbox, as the stream reader will read them. */
  entries: (tenantId: string) => Promise<AuditEntry[]>;
  /** DynamoDB calls made so far (none for the stand-in). */
  calls: () => number;
}

const implementations: ReadonlyArray<Implementation<Outbox>> = [
  {
    name: 'memory',
    make: () => {
      const subscriptions = new MemorySubscriptions();
      return {
        repository: subscriptions,
        quota: new MemoryTenantUsage(subscriptions),
        alone: subscriptions,
        entries: async (tenantId) => subscriptions.outbox.filter((entry) => entry.tenantId === tenantId),
        calls: () => 0,
      };
    },
  },
  {
    name: 'DynamoDB',
    make: async () => {
      const { dynamodb } = contractAws();
      const table = await tableFromTemplate('notifications', 'SubscriptionsTable');
      let calls = 0;
      const counted = new Proxy(dynamodb, {
        get: (target, name, receiver) =>
          name === 'send'
            ? (command: Parameters<typeof dynamodb.send>[0]) => {
                calls += 1;
                return target.send(command);
              }
            : Reflect.get(target, name, receiver),
      });
      return {
        repository: new DynamoSubscriptionStore(counted, table),
        quota: new DynamoTenantUsage(counted, table),
        alone: new DynamoSubscriptionStore(counted, table),
        entries: async (tenantId) => {
          const out = await dynamodb.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
              ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}`, ':audit': 'AUDIT#' },
              ConsistentRead: true,
            }),
          );
          return (out.Items ?? []).map((item) => JSON.parse(String(item.auditEntry)) as AuditEntry);
        },
        calls: () => calls,
      };
    },
  },
];

const change = (
  action: AuditEntry['action'],
  ms: number,
  fields: string[] = [],
  resource: AuditEntry['resource'] = { type: 'subscription', id: 'sub_1' },
) =>
  auditEntry(
    { tenantId: 'acme', subject: 'user-42', credential: 'jwt' },
    { headers: { 'user-agent': 'jest' }, requestContext: { http: { sourceIp: '203.0.113.7' } } },
    `corr-${ms}`,
    { action, resource, changedFields: fields },
    at(ms),
  );

describePort('Subscription changes with their audit entries', implementations, (make) => {
  const port = freshEach(make);

  test('create, update, pause, delete: each change writes its entry, once', async () => {
    const { repository, quota, entries } = port();
    const created = change('subscription.created', 0, ['url', 'eventTypes']);
    expect(await quota.create(subscription(), 0, created)).toBe(true);
    const updated = change('subscription.updated', 1000, ['description']);
    const after = await repository.update(
      'acme',
      'sub_1',
      { set: { description: 'new', updatedAt: at(1000).toISOString() } },
      {},
      updated,
    );
    expect(after).toMatchObject({ id: 'sub_1', description: 'new' });
    const paused = change('subscription.paused', 2000);
    expect(
      await repository.update(
        'acme',
        'sub_1',
        { set: { status: 'paused' } },
        { statusIn: ['active'] },
        paused,
      ),
    ).toMatchObject({ status: 'paused' });
    const deleted = change('subscription.deleted', 3000);
    expect(await repository.delete('acme', 'sub_1', deleted)).toBe(true);
    const ids = (await entries('acme')).map((entry) => entry.id).sort();
    expect(ids).toEqual([created.id, updated.id, paused.id, deleted.id].sort());
    expect(await entries('globex')).toEqual([]);
  });

  test('a change its condition refuses writes no entry; a change retried with its entry writes no second', async () => {
    const { repository, quota, entries } = port();
    await quota.create(subscription(), 0);
    // Refused: the status is not one the change may start from; a missing subscription.
    const refused = change('subscription.resumed', 1000);
    expect(
      await repository.update(
        'acme',
        'sub_1',
        { set: { status: 'active' } },
        { statusIn: ['paused'] },
        refused,
      ),
    ).toBeUndefined();
    expect(await repository.delete('acme', 'sub_missing', change('subscription.deleted', 1500))).toBe(false);
    expect(await entries('acme')).toEqual([]);
    // The same request's change again (its transaction had committed): answered as made, one entry.
    const paused = change('subscription.paused', 2000);
    const pause = () =>
      repository.update(
        'acme',
        'sub_1',
        { set: { status: 'paused' } },
        { statusIn: ['active', 'paused'] },
        paused,
      );
    expect(await pause()).toMatchObject({ status: 'paused' });
    expect(await pause()).toMatchObject({ status: 'paused' });
    const deleted = change('subscription.deleted', 3000);
    expect(await repository.delete('acme', 'sub_1', deleted)).toBe(true);
    expect((await entries('acme')).map((entry) => entry.id).sort()).toEqual([paused.id, deleted.id].sort());
  });

  test('an audited change costs one DynamoDB call more than the same change unaudited', async () => {
    const { repository, quota, calls } = port();
    await quota.create(subscription(), 0);
    const before = calls();
    await repository.update('acme', 'sub_1', { set: { description: 'a' } });
    const plain = calls() - before;
    await repository.update(
      'acme',
      'sub_1',
      { set: { description: 'b' } },
      {},
      change('subscription.updated', 1000),
    );
    const audited = calls() - before - plain;
    // Memory counts nothing; DynamoDB: one UpdateItem, against a TransactWriteItems and a GetItem
    // (a transaction returns no item, and the route answers with the subscription after).
    if (plain > 0) expect([plain, audited]).toEqual([1, 2]);
  });

  test("a replay's start writes its entry in its transaction, once; a redelivery's entry is put alone, once", async () => {
    const { quota, alone, entries } = port();
    const replay = {
      id: 'rep_1',
      subscriptionId: 'sub_1',
      startedAt: at(0).toISOString(),
      leaseUntil: at(60_000).toISOString(),
    };
    const started = change('replay.started', 1000, ['since']);
    expect(await quota.start('acme', replay, [], 0, started)).toBe(true);
    // The same start again (its transaction had committed): refused by the version it counted,
    // so the replay's logic finds its replay running; no second entry.
    expect(await quota.start('acme', replay, [], 0, started)).toBe(false);
    // Another start counted against an old version writes nothing.
    const late = change('replay.started', 1500, ['since']);
    expect(await quota.start('acme', { ...replay, id: 'rep_2' }, [], 0, late)).toBe(false);
    const redelivered = change('delivery.redelivered', 2000, [], { type: 'delivery', id: 'dlv_1' });
    await alone.recordAudit(redelivered);
    await alone.recordAudit(redelivered);
    expect((await entries('acme')).map((entry) => entry.id).sort()).toEqual(
      [started.id, redelivered.id].sort(),
    );
  });
});
