/**
 * The tenant's data: an export of everything Herald holds about it (tenant:export), polled until
 * ready, then a download link per NDJSON file; and a subject's erasure (tenant:erase), after a
 * confirmation that names what goes, with each request's status and per-service counts, polled
 * while any is pending. When to ask again and when to stop is lib/tenant-data.ts's.
 */
import type { SubjectErasure, TenantExport } from '@herald/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { SCOPES, can, type Session } from '../auth/session';
import { ConfirmDialog, Field, ProblemAlert, StatusBadge, useProblem } from '../components/ui';
import { useApp } from '../context';
import { formatCount, formatTime } from '../lib/format';
import { isUnauthorized, problemView, type ProblemView } from '../lib/problems';
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
  polled,
  serviceList,
  startPolling,
  withViews,
  type ErasureRow,
  type Polling,
} from '../lib/tenant-data';
import { confirmed } from '../lib/tenant-values';

/**
 * What the page asked for in this sign-in: the export it shows and the erasures, kept while the
 * user visits other pages (the API lists neither, and keeps no subject). Held by the session
 * object, so a new sign-in starts empty and nothing outlives the tab.
 */
interface Remembered {
  exportId?: string;
  erasures: ErasureRow[];
}
const remembered = new WeakMap<Session, Remembered>();
function rememberedFor(session: Session): Remembered {
  let kept = remembered.get(session);
  if (!kept) remembered.set(session, (kept = { erasures: [] }));
  return kept;
}

/**
 * Polls `load` while `key` names something to poll, until `finished` says so, the plan gives up,
 * or a call fails (401 ends the session). `again()` polls afresh (after a stop or a failure, or for
 * an export's new links).
 */
function usePolling<T>(
  key: string | undefined,
  load: () => Promise<T>,
  finished: (value: T) => boolean,
): [Polling<T, ProblemView>, () => void] {
  const { expire } = useApp();
  const [state, setState] = useState<Polling<T, ProblemView>>({ phase: 'idle' });
  const [round, setRound] = useState(0);
  const calls = useRef({ load, finished });
  calls.current = { load, finished };
  useEffect(() => {
    if (key === undefined) {
      setState({ phase: 'idle' });
      return;
    }
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let current = startPolling<T, ProblemView>(Date.now());
    setState((before) => {
      // What was shown stays until the first answer replaces it.
      const value = polled(before);
      return value === undefined ? current : { ...current, value };
    });
    const ask = async () => {
      try {
        const value = await calls.current.load();
        if (!live) return;
        const next = afterAnswer(current, value, calls.current.finished(value), Date.now());
        current = next.state;
        setState(current);
        if (next.waitMs !== undefined) timer = setTimeout(() => void ask(), next.waitMs);
      } catch (error) {
        if (!live) return;
        if (isUnauthorized(error)) expire();
        else setState(afterFailure(current, problemView(error)));
      }
    };
    void ask();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, round]);
  return [state, () => setRound((n) => n + 1)];
}

export default function TenantData() {
  const { session } = useApp();
  const exports = can(session, SCOPES.tenantExport);
  const erasures = can(session, SCOPES.tenantErase);
  return (
    <>
      <h1>Data</h1>
      <p class="muted">
        Everything Herald holds about your tenant, as files to download; and erasing the events of one subject
        from every service.
      </p>
      {!exports && !erasures && (
        <p class="notice">
          Your access does not allow exports or erasures: they need the scopes <code>tenant:export</code> and{' '}
          <code>tenant:erase</code>.
        </p>
      )}
      {exports && <ExportSection />}
      {erasures && <ErasureSection />}
    </>
  );
}

function ExportSection() {
  const { api, session } = useApp();
  const kept = rememberedFor(session);
  const { query, url, route } = useLocation();
  // The export in the address (a link to it, a reload after signing in again), else this session's.
  const exportId = exportIdFrom(query) ?? kept.exportId;
  const [poll, again] = usePolling<TenantExport>(
    exportId,
    () => api.tenant.getExport(exportId!),
    (view) => view.status === 'ready',
  );
  const { problem, busy, run } = useProblem();
  const heading = useRef<HTMLHeadingElement>(null);
  const [now, setNow] = useState(Date.now());
  const view = polled(poll);

  // Once the links' expiry passes, the page says so (asking again signs new ones).
  useEffect(() => {
    if (view?.urlsExpireAt === undefined) return;
    const left = Date.parse(view.urlsExpireAt) - Date.now();
    if (!(left > 0)) return;
    const timer = setTimeout(() => setNow(Date.now()), left + 100);
    return () => clearTimeout(timer);
  }, [view?.urlsExpireAt]);

  // After "Export everything", focus goes to the new export's heading, once it is rendered.
  const focusNext = useRef(false);
  useEffect(() => {
    if (focusNext.current) heading.current?.focus();
    focusNext.current = false;
  }, [exportId]);
  const start = async () => {
    const started = await run(() => api.tenant.startExport());
    if (!started) return;
    kept.exportId = started.exportId;
    focusNext.current = true;
    // In the address too: a reload (which signs in again) comes back to this export.
    route(`${url.split('?')[0] ?? '/data'}?export=${encodeURIComponent(started.exportId)}`, true);
  };

  const pending = poll.phase === 'polling' && view?.status !== 'ready';
  return (
    <section aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <p>
        Writes everything Herald holds about your tenant as NDJSON files (one JSON object a line): events,
        subscriptions (never their secrets), deliveries and their attempts, and the audit log. Each service
        writes its part; the page follows their progress and then lists a download link per file. A link works
        for 15 minutes without signing in: keep it to yourself.
      </p>
      <button type="button" class="primary" disabled={busy || pending} onClick={() => void start()}>
        Export everything
      </button>
      <ProblemAlert problem={problem} />
      {exportId !== undefined && (
        <div class="panel">
          <h3 id="export-status-heading" ref={heading} tabIndex={-1}>
            Export <code>{exportId}</code>
          </h3>
          <p role="status">{exportStatus(poll, view)}</p>
          {poll.phase === 'failed' && <ProblemAlert problem={poll.problem} />}
          {(poll.phase === 'failed' || poll.phase === 'stopped') && (
            <button type="button" onClick={again}>
              Check again
            </button>
          )}
          {view?.status === 'ready' && (
            <ExportFiles view={view} expired={linksExpired(view, now)} again={again} />
          )}
        </div>
      )}
    </section>
  );
}

function exportStatus(poll: Polling<TenantExport, ProblemView>, view: TenantExport | undefined): string {
  if (!view) return poll.phase === 'failed' ? 'Its status could not be read.' : 'Asking for its status…';
  if (view.status === 'ready') {
    const files = view.files?.length ?? 0;
    const since = view.readyAt ? ` since ${formatTime(view.readyAt)}` : '';
    return `Ready${since}: ${files} ${files === 1 ? 'file' : 'files'}.`;
  }
  const progress = [
    view.answered.length > 0 ? `written by ${serviceList(view.answered)}` : '',
    `waiting for ${serviceList(view.waitingFor)}`,
  ]
    .filter(Boolean)
    .join('; ');
  return poll.phase === 'stopped'
    ? `Still pending after 10 minutes: ${progress}.`
    : `Pending since ${formatTime(view.requestedAt)}: ${progress}.`;
}

function ExportFiles({ view, expired, again }: { view: TenantExport; expired: boolean; again: () => void }) {
  const files = exportFiles(view);
  return (
    <>
      {files.length === 0 ? (
        <p class="muted">Herald holds nothing about your tenant yet: no file was written.</p>
      ) : (
        <table>
          <caption class="visually-hidden">The export&apos;s files</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Service</th>
              <th scope="col">Records</th>
              <th scope="col">Size</th>
            </tr>
          </thead>
          <tbody>
            {files.map((file) => (
              <tr key={file.name}>
                <th scope="row">
                  {expired ? (
                    <code>{file.name}</code>
                  ) : (
                    <a href={file.url} download={file.name.replace(/\//g, '-')} rel="noreferrer">
                      {file.name}
                    </a>
                  )}
                </th>
                <td>{file.service}</td>
                <td>{formatCount(file.records)}</td>
                <td>{formatBytes(file.bytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {files.length > 0 && (
        <p class={expired ? 'warning' : 'muted'}>
          {expired
            ? 'These links have expired. '
            : `The links work until ${formatTime(view.urlsExpireAt)}, without signing in. `}
          <button type="button" class="small" onClick={again}>
            Get new links
          </button>
        </p>
      )}
    </>
  );
}

function ErasureSection() {
  const { api, session } = useApp();
  const kept = rememberedFor(session);
  const [rows, setRowsState] = useState<ErasureRow[]>(kept.erasures);
  const setRows = (change: (rows: ErasureRow[]) => ErasureRow[]) =>
    setRowsState((before) => (kept.erasures = change(before)));
  const latest = useRef(rows);
  latest.current = rows;
  const [subject, setSubject] = useState('');
  const [confirming, setConfirming] = useState<string | undefined>();
  const [typed, setTyped] = useState('');
  const { problem, busy, run } = useProblem(['subject']);
  const heading = useRef<HTMLHeadingElement>(null);

  // One poll for every request not yet done; a new request starts it afresh.
  const [poll, again] = usePolling<SubjectErasure[]>(
    pendingErasures(rows).length > 0 ? rows.map((row) => row.requestId).join(' ') : undefined,
    async () => {
      const views = await Promise.all(
        pendingErasures(latest.current).map((row) => api.tenant.getErasure(row.requestId)),
      );
      setRows((before) => withViews(before, views));
      return views;
    },
    (views) => views.every((view) => view.status === 'done'),
  );

  const ask = (event: Event) => {
    event.preventDefault();
    if (subject.trim() === '') return;
    setConfirming(subject);
  };
  const cancel = () => {
    setConfirming(undefined);
    setTyped('');
  };
  const erase = async () => {
    const chosen = confirming;
    cancel();
    if (chosen === undefined) return;
    const started = await run(() => api.tenant.eraseSubject(chosen));
    if (!started) return;
    setRows((before) =>
      addErasure(before, { requestId: started.requestId, subject: chosen, requestedAt: started.requestedAt }),
    );
    setSubject('');
    heading.current?.focus();
  };

  const pending = pendingErasures(rows).length;
  return (
    <section aria-labelledby="erasure-heading">
      <h2 id="erasure-heading">Erase a subject</h2>
      <p>
        Erases, in every service, the events whose envelope <code>subject</code> is exactly the one you give,
        with their deliveries and delivery attempts and what was derived from them. Copies that cannot be
        erased one by one (dead-letter queues, backups) expire with their retention.
      </p>
      <form class="filters" onSubmit={ask} aria-label="Erase a subject" noValidate>
        <Field
          id="erase-subject"
          label="Subject"
          hint="Exactly as your events carry it, e.g. users/42"
          errors={problem?.fields.subject}
        >
          {(describedBy, invalid) => (
            <input
              id="erase-subject"
              autocomplete="off"
              maxLength={256}
              value={subject}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setSubject(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" class="danger" disabled={busy || subject.trim() === ''}>
          Erase subject
        </button>
      </form>
      <ProblemAlert problem={problem} />
      <ConfirmDialog
        open={confirming !== undefined}
        title="Erase this subject's data?"
        confirmLabel="Erase permanently"
        danger
        busy={busy || !confirmed(typed, confirming ?? '')}
        onConfirm={() => void erase()}
        onCancel={cancel}
      >
        <p>
          Every service erases the events whose subject is <code>{confirming}</code>: the events themselves
          (ingest and processing), their deliveries, delivery attempts and per-subject ordering
          (notifications), and the files of earlier exports.
        </p>
        <p class="warning">
          <strong>This cannot be undone.</strong> The audit log records who asked and when, never the subject.
        </p>
        <Field id="erase-confirm" label="Subject to erase" hint="Type the subject again to confirm">
          {(describedBy) => (
            <input
              id="erase-confirm"
              autocomplete="off"
              value={typed}
              aria-describedby={describedBy}
              onInput={(e) => setTyped(e.currentTarget.value)}
            />
          )}
        </Field>
      </ConfirmDialog>

      <h3 id="erasures-heading" ref={heading} tabIndex={-1}>
        Erasure requests
      </h3>
      <p role="status">
        {rows.length === 0
          ? ''
          : pending > 0
            ? poll.phase === 'stopped'
              ? `${pending} still pending after 10 minutes.`
              : `${pending} in progress: the list refreshes until ${pending === 1 ? 'it is' : 'they are'} done.`
            : `All ${rows.length} done.`}
      </p>
      {poll.phase === 'failed' && <ProblemAlert problem={poll.problem} />}
      {(poll.phase === 'failed' || poll.phase === 'stopped') && (
        <button type="button" onClick={again}>
          Check again
        </button>
      )}
      {rows.length === 0 ? (
        <p class="muted">
          None asked in this session. Herald lists no past requests and keeps no subject: the audit log
          records each request (<code>tenant.erasure_requested</code>) and its completion.
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">Request</th>
              <th scope="col">Requested</th>
              <th scope="col">Status</th>
              <th scope="col">Erased</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.requestId}>
                <th scope="row">{row.subject === undefined ? '—' : <code>{row.subject}</code>}</th>
                <td>
                  <code>{row.requestId}</code>
                </td>
                <td>{formatTime(row.requestedAt)}</td>
                <td>
                  <StatusBadge status={row.view?.status ?? 'pending'} />
                </td>
                <td>
                  <ErasureCounts view={row.view} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ErasureCounts({ view }: { view: SubjectErasure | undefined }) {
  if (!view) return <span class="muted">Asking…</span>;
  const counts = countRows(view.counts);
  return (
    <>
      {counts.length > 0 && (
        <ul class="counts">
          {counts.map(({ service, erased, empty }) => (
            <li key={service}>
              {service}:{' '}
              {erased.length === 0
                ? 'nothing'
                : erased.map(({ store, count }) => `${store} ${formatCount(count)}`).join(', ')}
              {empty.length > 0 && erased.length > 0 && (
                <span class="muted"> (none in {empty.join(', ')})</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {view.status === 'done' ? (
        view.doneAt && <span class="muted">Done {formatTime(view.doneAt)}</span>
      ) : (
        <span class="muted">Waiting for {serviceList(view.waitingFor)}</span>
      )}
    </>
  );
}
