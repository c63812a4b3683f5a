/**
 * The Data page's logic (a tenant's export, a subject's erasure) as plain functions: how often to ask
 * again while a request is pending and when to stop asking, an export's files as rows, an erasure's
 * per-service counts as rows, and the session's list of erasure requests.
 */
import type { SubjectErasure, TenantExport } from '@herald/client';

/**
 * How a pending request is polled: at once, then after 1 s, growing by half each time to 10 s, for
 * 10 minutes. A local cloud answers within seconds, AWS within a minute or two; a request still
 * pending after 10 minutes waits on a busy or failing service, and asking every 10 s for an hour
 * would only cost requests: the page stops and offers to check again.
 */
export interface PollPlan {
  firstMs: number;
  factor: number;
  maxMs: number;
  giveUpAfterMs: number;
}

export const POLL_PLAN: PollPlan = { firstMs: 1000, factor: 1.5, maxMs: 10_000, giveUpAfterMs: 10 * 60_000 };

/** The wait before the next request, after `attempt` answers that were still pending (0 = the first). */
export function pollDelay(attempt: number, plan: PollPlan = POLL_PLAN): number {
  return Math.min(plan.maxMs, Math.round(plan.firstMs * plan.factor ** Math.max(0, attempt)));
}

/**
 * Where a poll stands. `polling` holds the last answer once there is one; `finished` (ready, done)
 * and `stopped` (gave up) ask nothing more; `failed` keeps the problem and the last answer.
 */
export type Polling<T, P> =
  | { phase: 'idle' }
  | { phase: 'polling'; value?: T; attempt: number; startedAt: number }
  | { phase: 'finished'; value: T }
  | { phase: 'stopped'; value: T }
  | { phase: 'failed'; value?: T; problem: P };

export function startPolling<T, P>(now: number): Polling<T, P> {
  return { phase: 'polling', attempt: 0, startedAt: now };
}

/** After an answer: finished, or the wait before asking again, or stopped once the plan's time is up. */
export function afterAnswer<T, P>(
  state: Polling<T, P>,
  value: T,
  finished: boolean,
  now: number,
  plan: PollPlan = POLL_PLAN,
): { state: Polling<T, P>; waitMs?: number } {
  if (finished) return { state: { phase: 'finished', value } };
  const attempt = state.phase === 'polling' ? state.attempt : 0;
  const startedAt = state.phase === 'polling' ? state.startedAt : now;
  const waitMs = pollDelay(attempt, plan);
  if (now + waitMs - startedAt > plan.giveUpAfterMs) return { state: { phase: 'stopped', value } };
  return { state: { phase: 'polling', value, attempt: attempt + 1, startedAt }, waitMs };
}

/** A failed request stops the poll; what was shown before stays, with the problem. */
export function afterFailure<T, P>(state: Polling<T, P>, problem: P): Polling<T, P> {
  const value = 'value' in state ? state.value : undefined;
  return value === undefined ? { phase: 'failed', problem } : { phase: 'failed', value, problem };
}

/** The last answer a poll holds, whatever its phase. */
export function polled<T, P>(state: Polling<T, P>): T | undefined {
  return 'value' in state ? state.value : undefined;
}

export const EXPORT_ID = /^exp_[0-9A-HJKMNP-TV-Z]{26}$/;

/** An export id from the page's query (`/data?export=exp_…`), when it is one. */
export function exportIdFrom(query: Record<string, string | undefined>): string | undefined {
  const id = query.export;
  return id !== undefined && EXPORT_ID.test(id) ? id : undefined;
}

export interface ExportFileRow {
  /** `<service>/<step>-<page>.ndjson`: the key below the export's own folder. */
  name: string;
  service: string;
  records: number;
  bytes: number;
  url: string;
}

/** A ready export's files, in the API's order, named by their place below the export's folder. */
export function exportFiles(view: TenantExport): ExportFileRow[] {
  return (view.files ?? []).map((file) => {
    const at = file.key.indexOf(`/${view.exportId}/`);
    const name =
      at >= 0 ? file.key.slice(at + view.exportId.length + 2) : file.key.split('/').slice(-2).join('/');
    return { name, service: file.service, records: file.records, bytes: file.bytes, url: file.url };
  });
}

/** Whether a ready export's links have expired (they are signed for minutes; asking again signs new ones). */
export function linksExpired(view: TenantExport, now: number): boolean {
  if (view.urlsExpireAt === undefined) return false;
  const at = Date.parse(view.urlsExpireAt);
  return Number.isFinite(at) && at <= now;
}

/** A size in bytes as people read it (powers of 1000, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const SERVICES = ['ingest', 'processing', 'notifications', 'tenants'];

/** "ingest, processing and notifications": the services a request still waits for. */
export function serviceList(services: readonly string[]): string {
  if (services.length <= 1) return services.join('');
  return `${services.slice(0, -1).join(', ')} and ${services.at(-1)}`;
}

export interface ServiceCounts {
  service: string;
  /** What the service erased, by the name of the store it erased from (events, deliveries, ordering…). */
  erased: Array<{ store: string; count: number }>;
  /** The stores it looked in and found nothing of the subject in. */
  empty: string[];
}

/**
 * An erasure's counts, one row a service in the pipeline's order: what it erased from each store
 * (by name), and apart the stores where it found nothing, so a service's dozen zeros stay short.
 */
export function countRows(counts: SubjectErasure['counts']): ServiceCounts[] {
  const order = (service: string) =>
    SERVICES.includes(service) ? SERVICES.indexOf(service) : SERVICES.length;
  return Object.entries(counts)
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([service, stores]) => {
      const named = Object.entries(stores).sort(([a], [b]) => a.localeCompare(b));
      return {
        service,
        erased: named.filter(([, count]) => count > 0).map(([store, count]) => ({ store, count })),
        empty: named.filter(([, count]) => count <= 0).map(([store]) => store),
      };
    });
}

/**
 * An erasure asked for in this session. The API keeps no subject (its record outlives the data it
 * named) and lists no requests, so the subject is known only to the page that asked.
 */
export interface ErasureRow {
  requestId: string;
  subject?: string;
  requestedAt: string;
  view?: SubjectErasure;
}

/** The rows newest first, a new request on top. */
export function addErasure(rows: readonly ErasureRow[], row: ErasureRow): ErasureRow[] {
  return [row, ...rows.filter((each) => each.requestId !== row.requestId)];
}

/** The rows with each request's latest answer. */
export function withViews(rows: readonly ErasureRow[], views: readonly SubjectErasure[]): ErasureRow[] {
  const byId = new Map(views.map((view) => [view.requestId, view]));
  return rows.map((row) => {
    const view = byId.get(row.requestId);
    return view ? { ...row, view } : row;
  });
}

/** The requests not yet done: the ones still asked about. */
export function pendingErasures(rows: readonly ErasureRow[]): ErasureRow[] {
  return rows.filter((row) => row.view?.status !== 'done');
}
