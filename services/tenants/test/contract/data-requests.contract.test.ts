/**
 * The export and erasure requests' store, against its in-memory stand-in and the DynamoDB adapter on
 * DynamoDB Local (DataRequestsTable's key schema, as services/tenants/serverless.yml declares it): a
 * request recorded once and read back by its tenant, kind and id; the pending ones counted (not done,
 * not stale, not another tenant's or kind's); a start recorded only while the tenant's starts are at
 * the version read before counting. Through the logic, of starts made at the same time only the
 * limit are recorded and asked, and the rest are answered 409 quota-exceeded.
 */
import { randomUUID } from 'node:crypto';
import { expect, test } from '@jest/globals';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { auditRecorder, type AuditEntry } from '@herald/shared/audit';
import { contractAws, describePort } from '../../../../test/setup/contract';
import { DynamoDataRequests } from '../../src/adapters/dynamo-data-requests';
import { answering } from '../../src/problems';
import type { DataRequest, RequestKind } from '../../src/tenant-data/orchestrate';
import {
  MAX_RUNNING_ERASURES,
  MAX_RUNNING_EXPORTS,
  startErasure,
  startExport,
  type TenantRequestDeps,
  type TenantRequests,
} from '../../src/tenant-data/tenant-requests';
import { MemoryDataRequests } from '../support/memory';

/** DataRequestsTable as services/tenants/serverless.yml declares it. */
async function table(): Promise<string> {
  const name = `tenants-data-requests-${randomUUID().slice(0, 8)}`;
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

const T = '2026-12-01T12:00:00.000Z';
const HOUR_AGO = '2026-12-01T11:00:00.000Z';
const request = (tenantId: string, kind: RequestKind, id: string, extra: Partial<DataRequest> = {}) => ({
  tenantId,
  kind,
  id,
  status: 'pending' as const,
  by: 'user-1',
  requestedAt: T,
  answers: {},
  ...extra,
});

/** The logic's dependencies over `requests`; what it asked on the bus, counted. */
function logic(requests: TenantRequests) {
  const asked = { exports: 0, erasures: 0 };
  const deps: TenantRequestDeps = {
    requests,
    exportBucket: 'exports',
    requestExport: async () => void (asked.exports += 1),
    requestErasure: async () => void (asked.erasures += 1),
    presign: async (key) => `https://s3.test/${key}`,
    recordAudit: async (_entry: AuditEntry) => undefined,
    now: () => new Date(T),
  };
  return { asked, deps };
}

/** Each outcome as the route answers it (the handlers' `answering`): 202, or the problem's status and type. */
function answers(outcomes: PromiseSettledResult<unknown>[]) {
  return outcomes.map((outcome) => {
    if (outcome.status === 'fulfilled') return '202';
    const problem = outcome.reason as { status: number; type: string };
    return `${problem.status} ${problem.type.split('/').pop()}`;
  });
}

describePort<TenantRequests>(
  'TenantRequests',
  [
    { name: 'memory', make: () => new MemoryDataRequests() },
    {
      name: 'DynamoDB',
      make: async () => new DynamoDataRequests(contractAws().dynamodb, await table(), 30),
    },
  ],
  (make) => {
    test('a request is recorded once and read back by its tenant, kind and id alone', async () => {
      const requests = await make();
      expect(await requests.create(request('acme', 'export', 'exp_1'))).toBe(true);
      expect(await requests.create(request('acme', 'export', 'exp_1', { by: 'other' }))).toBe(false);
      expect(await requests.get('acme', 'export', 'exp_1')).toEqual(request('acme', 'export', 'exp_1'));
      expect(await requests.get('globex', 'export', 'exp_1')).toBeUndefined();
      expect(await requests.get('acme', 'erasure', 'exp_1')).toBeUndefined();
    });

    test("the pending ones are counted: not done, not older than `since`, not another tenant's or kind's", async () => {
      const requests = await make();
      await requests.create(request('acme', 'export', 'exp_1'));
      await requests.create(request('acme', 'export', 'exp_2'));
      await requests.create(
        request('acme', 'export', 'exp_old', { requestedAt: '2026-12-01T10:59:59.000Z' }),
      );
      await requests.create(request('acme', 'erasure', 'ers_1'));
      await requests.create(request('globex', 'export', 'exp_3'));
      await requests.finish('acme', 'export', 'exp_2', T);
      expect(await requests.countPending('acme', 'export', HOUR_AGO)).toEqual({ count: 1, version: 0 });
      expect((await requests.countPending('acme', 'erasure', HOUR_AGO)).count).toBe(1);
    });

    test('a start is recorded only from the version read before counting, and moves it on', async () => {
      const requests = await make();
      const { version } = await requests.countPending('acme', 'export', HOUR_AGO);
      expect(await requests.start(request('acme', 'export', 'exp_1'), version)).toBe(true);
      // Decided on the same count: another start came first, nothing is recorded.
      expect(await requests.start(request('acme', 'export', 'exp_2'), version)).toBe(false);
      expect(await requests.get('acme', 'export', 'exp_2')).toBeUndefined();
      const after = await requests.countPending('acme', 'export', HOUR_AGO);
      expect(after).toEqual({ count: 1, version: version + 1 });
      expect(await requests.start(request('acme', 'export', 'exp_2'), after.version)).toBe(true);
      // Each tenant's and kind's starts apart.
      expect(await requests.countPending('acme', 'erasure', HOUR_AGO)).toEqual({ count: 0, version: 0 });
      expect(await requests.start(request('globex', 'export', 'exp_3'), 0)).toBe(true);
      expect(await requests.get('acme', 'export', 'exp_2')).toEqual(request('acme', 'export', 'exp_2'));
    });

    test(`of 8 exports started at the same time, ${MAX_RUNNING_EXPORTS} are recorded and asked; the others are 409 quota-exceeded`, async () => {
      const requests = await make();
      const { asked, deps } = logic(requests);
      const caller = {
        tenantId: 'acme',
        subject: 'user-1',
        scopes: ['tenant:export'],
        credential: 'jwt' as const,
      };
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, () =>
          answering(() => startExport(caller, auditRecorder(caller, {}, 'c'), deps)),
        ),
      );
      expect(answers(outcomes).sort()).toEqual([
        ...Array<string>(MAX_RUNNING_EXPORTS).fill('202'),
        ...Array<string>(8 - MAX_RUNNING_EXPORTS).fill('409 quota-exceeded'),
      ]);
      expect(asked.exports).toBe(MAX_RUNNING_EXPORTS);
      expect((await requests.countPending('acme', 'export', HOUR_AGO)).count).toBe(MAX_RUNNING_EXPORTS);
    });

    test(`of ${MAX_RUNNING_ERASURES + 6} erasures asked at the same time, ${MAX_RUNNING_ERASURES} are recorded and asked; the others are 409`, async () => {
      const requests = await make();
      const { asked, deps } = logic(requests);
      const caller = {
        tenantId: 'acme',
        subject: 'user-1',
        scopes: ['tenant:erase'],
        credential: 'jwt' as const,
      };
      const outcomes = await Promise.allSettled(
        Array.from({ length: MAX_RUNNING_ERASURES + 6 }, (_, n) =>
          answering(() => startErasure(caller, { subject: `s-${n}` }, auditRecorder(caller, {}, 'c'), deps)),
        ),
      );
      expect(answers(outcomes).sort()).toEqual([
        ...Array<string>(MAX_RUNNING_ERASURES).fill('202'),
        ...Array<string>(6).fill('409 quota-exceeded'),
      ]);
      expect(asked.erasures).toBe(MAX_RUNNING_ERASURES);
      expect((await requests.countPending('acme', 'erasure', HOUR_AGO)).count).toBe(MAX_RUNNING_ERASURES);
    });
  },
);
