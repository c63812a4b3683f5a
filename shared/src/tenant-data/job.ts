/**
 * A tenant's export or erasure as one service runs it: a list of steps over what the service owns
 * (a table's partition, a bucket's prefix), each done a page at a time. A tenant may hold 100,000
 * items, more than one invocation should take on, so an invocation does a few pages and, when work
 * is left, queues a follow-up message to its own queue carrying the request and where it got to
 * (step, the step's cursor, the counts or files so far); the last page publishes the completion.
 *
 * Every step is idempotent: an erasure's step deletes what still matches (a redelivered request
 * finds nothing and reports zero), an export's step writes the same keys again. So a message handled
 * twice, or a follow-up sent twice, does no harm: the work is repeated, never half-done.
 *
 * Plain logic: the steps, the queue and the bus are ports.
 */
import { BusDetailError, type BusEventLike } from '../contracts/bus';
import {
  parseTenantDataEvent,
  TENANTS_BUS_SOURCE,
  type DataService,
  type ErasureCompletedDetail,
  type ErasureRequestedDetail,
  type ExportRequestedDetail,
  type ExportWrittenDetail,
} from '../contracts/tenant-data';

export type TenantDataJob =
  { kind: 'erasure'; request: ErasureRequestedDetail } | { kind: 'export'; request: ExportRequestedDetail };

export type ExportObject = ExportWrittenDetail['objects'][number];

/** Where a job got to: what a follow-up message carries. */
export interface JobProgress {
  step: number;
  /** The current step's own cursor (opaque to the runner), absent at the step's start. */
  cursor?: string;
  /** Erasure: items or objects removed so far, by table or bucket. */
  counts: Record<string, number>;
  /** Export: the files written so far. */
  objects: ExportObject[];
  /** Follow-ups sent so far, so a runaway chain is seen in the logs. */
  hops: number;
}

export interface Continuation {
  continuation: 1;
  job: TenantDataJob;
  progress: JobProgress;
}

export interface PageResult {
  /** Where the step resumes; absent when it is done. */
  cursor?: string;
}

export interface ErasureStep {
  /** The table or bucket it erases from, as counted in the completion. */
  readonly name: string;
  page(request: ErasureRequestedDetail, cursor: string | undefined): Promise<PageResult & { erased: number }>;
}

export interface ExportStep {
  /** The file name's stem: <prefix><service>/<name>-<page>.ndjson. */
  readonly name: string;
  /** One page of NDJSON lines (each a JSON document without a newline). */
  page(request: ExportRequestedDetail, cursor: string | undefined): Promise<PageResult & { lines: string[] }>;
}

export interface TenantDataDeps {
  service: DataService;
  erasureSteps: readonly ErasureStep[];
  exportSteps: readonly ExportStep[];
  /** Writes one export file (NDJSON) into the request's bucket. */
  writeFile(bucket: string, key: string, body: string): Promise<void>;
  /** Queues the job's next pages to the service's own queue. */
  continueLater(message: Continuation): Promise<void>;
  publishErasureCompleted(detail: ErasureCompletedDetail): Promise<void>;
  publishExportWritten(detail: ExportWrittenDetail): Promise<void>;
  /** Pages one invocation does before it hands the rest to a follow-up. */
  pagesPerInvocation: number;
  now(): Date;
}

export type JobOutcome =
  | { outcome: 'completed'; pages: number; counts?: Record<string, number>; objects?: number }
  | { outcome: 'continued'; pages: number; step: number; hops: number };

export const startProgress = (): JobProgress => ({ step: 0, counts: {}, objects: [], hops: 0 });

/** The export file of a step's page: numbered so a page written again replaces itself. */
export const exportKey = (request: ExportRequestedDetail, service: DataService, step: string, page: number) =>
  `${request.prefix}${service}/${step}-${String(page).padStart(5, '0')}.ndjson`;

/** Runs a job from `progress` for at most `pagesPerInvocation` pages; then completes it or continues. */
export async function runTenantDataJob(
  job: TenantDataJob,
  from: JobProgress,
  deps: TenantDataDeps,
): Promise<JobOutcome> {
  const progress: JobProgress = { ...from, counts: { ...from.counts }, objects: [...from.objects] };
  const steps = job.kind === 'erasure' ? deps.erasureSteps : deps.exportSteps;
  let pages = 0;
  while (progress.step < steps.length) {
    if (pages >= deps.pagesPerInvocation) {
      progress.hops += 1;
      await deps.continueLater({ continuation: 1, job, progress });
      return { outcome: 'continued', pages, step: progress.step, hops: progress.hops };
    }
    const cursor = progress.cursor;
    let next: string | undefined;
    if (job.kind === 'erasure') {
      const step = deps.erasureSteps[progress.step]!;
      const result = await step.page(job.request, cursor);
      progress.counts[step.name] = (progress.counts[step.name] ?? 0) + result.erased;
      next = result.cursor;
    } else {
      const step = deps.exportSteps[progress.step]!;
      const result = await step.page(job.request, cursor);
      if (result.lines.length > 0) {
        const number = progress.objects.filter((o) => o.key.includes(`/${step.name}-`)).length + 1;
        const key = exportKey(job.request, deps.service, step.name, number);
        const body = result.lines.join('\n') + '\n';
        await deps.writeFile(job.request.bucket, key, body);
        progress.objects.push({ key, records: result.lines.length, bytes: Buffer.byteLength(body) });
      }
      next = result.cursor;
    }
    pages += 1;
    if (next === undefined) {
      progress.step += 1;
      delete progress.cursor;
    } else {
      progress.cursor = next;
    }
  }
  const time = deps.now().toISOString();
  if (job.kind === 'erasure') {
    const counts = Object.fromEntries(deps.erasureSteps.map((s) => [s.name, progress.counts[s.name] ?? 0]));
    await deps.publishErasureCompleted({
      requestId: job.request.requestId,
      tenantId: job.request.tenantId,
      scope: job.request.scope,
      service: deps.service,
      counts,
      time,
    });
    return { outcome: 'completed', pages, counts };
  }
  await deps.publishExportWritten({
    exportId: job.request.exportId,
    tenantId: job.request.tenantId,
    service: deps.service,
    objects: progress.objects,
    time,
  });
  return { outcome: 'completed', pages, objects: progress.objects.length };
}

/** A follow-up message this runner queued, or undefined for anything else (a bus event). */
export function parseContinuation(body: unknown): Continuation | undefined {
  if (typeof body !== 'object' || body === null || (body as Continuation).continuation !== 1)
    return undefined;
  const { job, progress } = body as Continuation;
  if (
    typeof job !== 'object' ||
    job === null ||
    (job.kind !== 'erasure' && job.kind !== 'export') ||
    typeof progress !== 'object' ||
    progress === null ||
    !Number.isInteger(progress.step) ||
    typeof progress.counts !== 'object' ||
    !Array.isArray(progress.objects)
  ) {
    return undefined;
  }
  return body as Continuation;
}

/**
 * One message of a service's tenant-data queue: a request from the bus (through the service's rule)
 * or a follow-up it queued itself. A follow-up's request is checked again as the bus event was: the
 * queue takes messages from the rule and the function's own role alone, but a check costs nothing.
 */
export function readTenantDataMessage(body: string): { job: TenantDataJob; progress: JobProgress } {
  const parsed: unknown = JSON.parse(body);
  const continuation = parseContinuation(parsed);
  if (continuation) {
    const { job } = continuation;
    const type = job.kind === 'erasure' ? 'tenant.erasure.requested' : 'tenant.export.requested';
    const checked = parseTenantDataEvent({
      source: TENANTS_BUS_SOURCE,
      'detail-type': type,
      detail: job.request,
    });
    return {
      job: { kind: job.kind, request: checked.detail } as TenantDataJob,
      progress: continuation.progress,
    };
  }
  const message = parseTenantDataEvent(parsed as BusEventLike);
  if (message.detailType === 'tenant.erasure.requested') {
    return { job: { kind: 'erasure', request: message.detail }, progress: startProgress() };
  }
  if (message.detailType === 'tenant.export.requested') {
    return { job: { kind: 'export', request: message.detail }, progress: startProgress() };
  }
  throw new BusDetailError('unknown-detail-type', `${message.detailType} is not a request`);
}
