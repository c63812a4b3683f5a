import { describe, expect, test } from '@jest/globals';
import type { ErasureCompletedDetail, ExportWrittenDetail } from '../../src/contracts/tenant-data';
import {
  readTenantDataMessage,
  runTenantDataJob,
  type Continuation,
  type ErasureStep,
  type ExportStep,
  type TenantDataDeps,
  type TenantDataJob,
} from '../../src/tenant-data/job';

/** A table of `size` numbered items, read `pageSize` at a time; the erasure deletes the even ones. */
function table(size: number, pageSize: number) {
  const items = new Map(Array.from({ length: size }, (_, i) => [i, `item-${i}`]));
  const pageOf = (cursor: string | undefined) => {
    const start = Number(cursor ?? 0);
    const keys = [...items.keys()].filter((k) => k >= start).slice(0, pageSize);
    const last = keys.at(-1);
    const more = last !== undefined && [...items.keys()].some((k) => k > last);
    return { keys, cursor: more ? String(last + 1) : undefined };
  };
  const eraser: ErasureStep = {
    name: 'things',
    async page(_request, cursor) {
      const page = pageOf(cursor);
      const even = page.keys.filter((k) => k % 2 === 0);
      even.forEach((k) => items.delete(k));
      return { erased: even.length, cursor: page.cursor };
    },
  };
  const exporter: ExportStep = {
    name: 'things',
    async page(_request, cursor) {
      const page = pageOf(cursor);
      return { lines: page.keys.map((k) => JSON.stringify({ id: items.get(k) })), cursor: page.cursor };
    },
  };
  return { items, eraser, exporter };
}

function harness(size: number, pageSize: number, pagesPerInvocation: number) {
  const t = table(size, pageSize);
  const queued: Continuation[] = [];
  const completed: ErasureCompletedDetail[] = [];
  const written: ExportWrittenDetail[] = [];
  const files = new Map<string, string>();
  const deps: TenantDataDeps = {
    service: 'processing',
    erasureSteps: [t.eraser],
    exportSteps: [t.exporter],
    writeFile: async (_bucket, key, body) => void files.set(key, body),
    continueLater: async (message) => void queued.push(JSON.parse(JSON.stringify(message)) as Continuation),
    publishErasureCompleted: async (detail) => void completed.push(detail),
    publishExportWritten: async (detail) => void written.push(detail),
    pagesPerInvocation,
    now: () => new Date('2026-12-01T17:00:00Z'),
  };
  /** Runs the job as the queue would: the request, then each follow-up until none is queued. */
  async function drain(body: string) {
    let invocations = 0;
    let next: string | undefined = body;
    while (next !== undefined) {
      invocations++;
      const { job, progress } = readTenantDataMessage(next);
      await runTenantDataJob(job, progress, deps);
      const message = queued.shift();
      next = message && JSON.stringify(message);
    }
    return invocations;
  }
  return { ...t, deps, completed, written, files, drain };
}

const erasureRequest = {
  source: 'herald.tenants',
  'detail-type': 'tenant.erasure.requested',
  detail: { requestId: 'era_1', tenantId: 'acme', scope: 'tenant', time: '2026-12-01T16:59:00Z' },
};
const exportRequest = {
  source: 'herald.tenants',
  'detail-type': 'tenant.export.requested',
  detail: {
    exportId: 'exp_1',
    tenantId: 'acme',
    bucket: 'herald-local-tenants-exports',
    prefix: 'exports/acme/exp_1/',
    time: '2026-12-01T16:59:00Z',
  },
};

describe('a tenant data job', () => {
  test('works in pages, continues through follow-ups, and completes once with the counts', async () => {
    const h = harness(1000, 100, 3);
    const invocations = await h.drain(JSON.stringify(erasureRequest));
    expect(invocations).toBe(4); // 10 pages, 3 an invocation
    expect(h.items.size).toBe(500);
    expect(h.completed).toEqual([
      {
        requestId: 'era_1',
        tenantId: 'acme',
        scope: 'tenant',
        service: 'processing',
        counts: { things: 500 },
        time: '2026-12-01T17:00:00.000Z',
      },
    ]);
  });

  test('a redelivered request does no harm and reports zero', async () => {
    const h = harness(50, 100, 3);
    await h.drain(JSON.stringify(erasureRequest));
    await h.drain(JSON.stringify(erasureRequest));
    expect(h.completed.map((c) => c.counts)).toEqual([{ things: 25 }, { things: 0 }]);
  });

  test('an export writes a numbered NDJSON file per page and lists them', async () => {
    const h = harness(250, 100, 2);
    await h.drain(JSON.stringify(exportRequest));
    expect(h.written).toHaveLength(1);
    expect(h.written[0]!.objects.map((o) => [o.key, o.records])).toEqual([
      ['exports/acme/exp_1/processing/things-00001.ndjson', 100],
      ['exports/acme/exp_1/processing/things-00002.ndjson', 100],
      ['exports/acme/exp_1/processing/things-00003.ndjson', 50],
    ]);
    const last = h.files.get('exports/acme/exp_1/processing/things-00003.ndjson')!;
    expect(
      last
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown)[0],
    ).toEqual({ id: 'item-200' });
    expect(h.written[0]!.objects[2]!.bytes).toBe(Buffer.byteLength(last));
  });

  test('a follow-up whose request breaks the contract is refused', () => {
    const job = {
      kind: 'erasure',
      request: { ...erasureRequest.detail, subject: 'x' },
    } as unknown as TenantDataJob;
    const body = JSON.stringify({
      continuation: 1,
      job,
      progress: { step: 0, counts: {}, objects: [], hops: 1 },
    });
    expect(() => readTenantDataMessage(body)).toThrow('subject goes with scope');
  });
});
