/**
 * GET /v1/audit answers the caller's tenant's entries alone, with audit:read; recordAudit appends
 * what the bus carried once, and refuses (for the queue's DLQ) what is no entry or comes from a
 * source that does not own the resource.
 */
import { afterEach, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { auditBusEntry } from '@herald/shared/audit';
import type { HttpLambdaHandler } from '@herald/shared/entry/http';
import {
  authEnvironment,
  captureLogs,
  httpEvent,
  lambdaContext,
  type AuthFixture,
} from '@herald/shared/testing/http';
import type { SQSEvent, SQSBatchResponse, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { recordAuditEntry } from '../../src/audit/record';
import { entryOf, T0 } from './examples';
import { MemoryAuditLog } from './memory-audit-log';

let auth: AuthFixture;
let logs: ReturnType<typeof captureLogs>;
let log: MemoryAuditLog;
let list: HttpLambdaHandler;
let record: (event: SQSEvent) => Promise<SQSBatchResponse>;
const deps = () => ({ log, retentionDays: async () => 30, now: () => new Date(T0) });

beforeAll(async () => {
  auth = await authEnvironment();
  list = (await import('../../src/handlers/list-audit')).createHandler(() => log);
  const recorder = (await import('../../src/handlers/record-audit')).createHandler(deps);
  record = (event) => recorder(event, lambdaContext()) as Promise<SQSBatchResponse>;
});
beforeEach(() => {
  log = new MemoryAuditLog();
  logs = captureLogs();
});
afterEach(() => logs.restore());

async function get(claims: Record<string, unknown>, query: Record<string, string> = {}) {
  const response = (await list(
    httpEvent({
      method: 'GET',
      path: '/v1/audit',
      headers: await auth.headers({ claims }),
      queryStringParameters: query,
    }),
    lambdaContext(),
  )) as APIGatewayProxyStructuredResultV2;
  return { status: response.statusCode, body: JSON.parse(response.body ?? 'null') };
}

test("GET /v1/audit: the caller's tenant's entries with audit:read; none of another's; 403 without the scope", async () => {
  for (let n = 1; n <= 3; n += 1) await recordAuditEntry(entryOf(n), deps());
  await recordAuditEntry(entryOf(1, { tenantId: 'globex' }), deps());
  const mine = await get({ tenant: 'acme', scope: 'audit:read' }, { limit: '2' });
  expect(mine.status).toBe(200);
  expect(mine.body.items.map((item: { seq: number; tenantId: string }) => [item.seq, item.tenantId])).toEqual(
    [
      [3, 'acme'],
      [2, 'acme'],
    ],
  );
  expect(mine.body.nextCursor).toEqual(expect.any(String));
  const theirs = await get({ tenant: 'globex', scope: 'audit:read' });
  expect(theirs.body.items).toHaveLength(1);
  expect(theirs.body.items[0].tenantId).toBe('globex');
  // acme's cursor resumes nothing of globex's.
  expect(
    (await get({ tenant: 'globex', scope: 'audit:read' }, { cursor: mine.body.nextCursor })).status,
  ).toBe(400);
  expect((await get({ tenant: 'acme', scope: 'subscriptions:write' })).status).toBe(403);
});

const message = (body: unknown, id = 'm1') => ({
  messageId: id,
  receiptHandle: 'r',
  body: JSON.stringify(body),
  attributes: { ApproximateReceiveCount: '1' } as never,
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:audit',
  awsRegion: 'eu-west-1',
});

test('recordAudit appends a carried entry once; what is no entry, or from the wrong source, fails its record', async () => {
  const put = auditBusEntry(entryOf(1));
  const event = { source: put.Source, 'detail-type': put.DetailType, detail: JSON.parse(put.Detail) };
  const forged = { ...event, source: 'herald.ingest' };
  const response = await record({
    Records: [message(event, 'm1'), message(event, 'm2'), message(forged, 'm3'), message('nothing', 'm4')],
  });
  expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m3', 'm4']);
  expect(log.chains.get('acme')?.size).toBe(1);
  expect(logs.text()).toContain('Audit event rejected');
});
