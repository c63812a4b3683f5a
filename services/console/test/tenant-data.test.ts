import { describe, expect, test } from '@jest/globals';
import type { SubjectErasure, TenantExport } from '@herald/client';
import {
  addErasure,
  afterAnswer,
  afterFailure,
  countRows,
  exportFiles,
  exportIdFrom,
  formatBytes,
  linksExpired,
  pendingErasures,
  pollDelay,
  polled,
  POLL_PLAN,
  serviceList,
  startPolling,
  withViews,
  type Polling,
} from '../src/lib/tenant-data';

const EXPORT_ID = 'exp_01JF0000000000000000000000';

describe('polling a pending request', () => {
  test('waits 1 s, then half as long again each time, never more than 10 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map((attempt) => pollDelay(attempt))).toEqual([
      1000, 1500, 2250, 3375, 5063, 7594, 10_000, 10_000, 10_000,
    ]);
  });

  test('each pending answer schedules the next request; a finished one stops the poll with its value', () => {
    let state: Polling<string, string> = startPolling(0);
    const waits: number[] = [];
    let now = 0;
    for (let i = 0; i < 4; i++) {
      const next = afterAnswer(state, `pending ${i}`, false, now);
      expect(next.state).toMatchObject({ phase: 'polling', value: `pending ${i}`, startedAt: 0 });
      waits.push(next.waitMs!);
      now += next.waitMs!;
      state = next.state;
    }
    expect(waits).toEqual([1000, 1500, 2250, 3375]);
    const done = afterAnswer(state, 'ready', true, now);
    expect(done).toEqual({ state: { phase: 'finished', value: 'ready' } });
    expect(polled(done.state)).toBe('ready');
  });

  test('stops asking once the next request would come after the plan’s 10 minutes', () => {
    const state: Polling<string, string> = { phase: 'polling', attempt: 30, startedAt: 0 };
    expect(afterAnswer(state, 'pending', false, POLL_PLAN.giveUpAfterMs - 10_000).waitMs).toBe(10_000);
    expect(afterAnswer(state, 'pending', false, POLL_PLAN.giveUpAfterMs - 9_999)).toEqual({
      state: { phase: 'stopped', value: 'pending' },
    });
    // Finished always wins, however late.
    expect(afterAnswer(state, 'ready', true, 10 * POLL_PLAN.giveUpAfterMs).state.phase).toBe('finished');
  });

  test('a failure stops the poll and keeps the last answer beside the problem', () => {
    const first: Polling<string, string> = startPolling(0);
    expect(afterFailure(first, 'HTTP 403')).toEqual({ phase: 'failed', problem: 'HTTP 403' });
    const answered = afterAnswer(first, 'pending', false, 0).state;
    expect(afterFailure(answered, 'HTTP 503')).toEqual({
      phase: 'failed',
      value: 'pending',
      problem: 'HTTP 503',
    });
    expect(polled({ phase: 'idle' })).toBeUndefined();
  });
});

describe("an export's view", () => {
  const ready: TenantExport = {
    exportId: EXPORT_ID,
    status: 'ready',
    requestedAt: '2026-12-01T10:00:00.000Z',
    readyAt: '2026-12-01T10:00:20.000Z',
    answered: ['ingest', 'processing', 'notifications'],
    waitingFor: [],
    urlsExpireAt: '2026-12-01T10:15:20.000Z',
    files: [
      {
        service: 'ingest',
        key: `exports/acme/${EXPORT_ID}/ingest/events-00001.ndjson`,
        records: 3,
        bytes: 1234,
        url: 'http://s3.local/x?X-Amz-Signature=1',
      },
      {
        service: 'tenants',
        key: 'elsewhere/audit-00001.ndjson',
        records: 0,
        bytes: 0,
        url: 'http://s3.local/y',
      },
    ],
  };

  test('files are named below the export’s own folder, in the API’s order', () => {
    expect(exportFiles(ready)).toEqual([
      {
        name: 'ingest/events-00001.ndjson',
        service: 'ingest',
        records: 3,
        bytes: 1234,
        url: ready.files![0]!.url,
      },
      {
        name: 'elsewhere/audit-00001.ndjson',
        service: 'tenants',
        records: 0,
        bytes: 0,
        url: ready.files![1]!.url,
      },
    ]);
    expect(exportFiles({ ...ready, status: 'pending', files: undefined })).toEqual([]);
  });

  test('links expire at urlsExpireAt', () => {
    const at = Date.parse(ready.urlsExpireAt!);
    expect(linksExpired(ready, at - 1)).toBe(false);
    expect(linksExpired(ready, at)).toBe(true);
    expect(linksExpired({ ...ready, urlsExpireAt: undefined }, at)).toBe(false);
  });

  test('only a well-formed export id is taken from the query', () => {
    expect(exportIdFrom({ export: EXPORT_ID })).toBe(EXPORT_ID);
    expect(exportIdFrom({ export: 'exp_../../x' })).toBeUndefined();
    expect(exportIdFrom({})).toBeUndefined();
  });

  test('sizes and service lists as people read them', () => {
    expect([0, 999, 1000, 1234, 56_789, 2_500_000, 7e12].map(formatBytes)).toEqual([
      '0 B',
      '999 B',
      '1.0 kB',
      '1.2 kB',
      '57 kB',
      '2.5 MB',
      '7.0 TB',
    ]);
    expect(formatBytes(-1)).toBe('—');
    expect(serviceList([])).toBe('');
    expect(serviceList(['ingest'])).toBe('ingest');
    expect(serviceList(['ingest', 'processing', 'notifications'])).toBe(
      'ingest, processing and notifications',
    );
  });
});

describe('erasure requests', () => {
  const view = (requestId: string, status: 'pending' | 'done', counts = {}): SubjectErasure => ({
    requestId,
    scope: 'subject',
    status,
    requestedAt: '2026-12-01T10:00:00.000Z',
    answered: [],
    waitingFor: [],
    counts,
  });

  test('counts as rows: a service a row in the pipeline’s order, what it erased apart from where it found nothing', () => {
    expect(
      countRows({
        tenants: { exports: 0 },
        notifications: { events: 3, deliveries: 3, ordering: 0, attempts: 4 },
        ingest: { idempotency: 0, uploads: 0 },
        other: { things: 1 },
      }),
    ).toEqual([
      { service: 'ingest', erased: [], empty: ['idempotency', 'uploads'] },
      {
        service: 'notifications',
        erased: [
          { store: 'attempts', count: 4 },
          { store: 'deliveries', count: 3 },
          { store: 'events', count: 3 },
        ],
        empty: ['ordering'],
      },
      { service: 'tenants', erased: [], empty: ['exports'] },
      { service: 'other', erased: [{ store: 'things', count: 1 }], empty: [] },
    ]);
    expect(countRows({})).toEqual([]);
  });

  test('newest first; each answer goes to its row; only the rows not done are asked about again', () => {
    let rows = addErasure([], { requestId: 'ers_a', subject: 'users/1', requestedAt: 't1' });
    rows = addErasure(rows, { requestId: 'ers_b', subject: 'users/2', requestedAt: 't2' });
    expect(rows.map((row) => row.requestId)).toEqual(['ers_b', 'ers_a']);
    expect(pendingErasures(rows)).toHaveLength(2);
    rows = withViews(rows, [view('ers_a', 'done', { ingest: { events: 1 } }), view('ers_x', 'done')]);
    expect(rows.find((row) => row.requestId === 'ers_a')?.view?.counts).toEqual({ ingest: { events: 1 } });
    expect(pendingErasures(rows).map((row) => row.requestId)).toEqual(['ers_b']);
    rows = withViews(rows, [view('ers_b', 'pending')]);
    expect(pendingErasures(rows).map((row) => row.requestId)).toEqual(['ers_b']);
    rows = withViews(rows, [view('ers_b', 'done')]);
    expect(pendingErasures(rows)).toEqual([]);
    // The subject typed stays with its request.
    expect(rows.map((row) => row.subject)).toEqual(['users/2', 'users/1']);
  });
});
