/** The audit log (audit:read): who changed what, when and from where, filtered, a page at a time. */
import type { AuditEntry } from '@herald/client';
import { useEffect, useState } from 'preact/hooks';
import { Field, ProblemAlert, useProblem } from '../components/ui';
import { useApp } from '../context';
import { formatTime } from '../lib/format';
import { createPager, type Page, type Pager } from '../lib/paging';
import {
  AUDIT_ACTIONS,
  AUDIT_RESOURCE_TYPES,
  auditQuery,
  type AuditFilterValues,
} from '../lib/tenant-values';

const PAGE_SIZE = 25;
const FIELDS = ['action', 'resourceType', 'resourceId', 'actor', 'since', 'until'];

export default function AuditLog() {
  const { api } = useApp();
  const [values, setValues] = useState<AuditFilterValues>({
    action: '',
    resourceType: '',
    resourceId: '',
    actor: '',
    since: '',
    until: '',
  });
  const [pager, setPager] = useState<Pager<AuditEntry> | undefined>();
  const [page, setPage] = useState<Page<AuditEntry> | undefined>();
  const { problem, busy, run } = useProblem(FIELDS);
  const set = (name: keyof AuditFilterValues) => (event: { currentTarget: { value: string } }) =>
    setValues((current) => ({ ...current, [name]: event.currentTarget.value }));

  const search = async (event?: Event) => {
    event?.preventDefault();
    const next = createPager(api.audit.list(auditQuery(values, PAGE_SIZE)), PAGE_SIZE);
    const first = await run(() => next.first());
    if (first) {
      setPager(next);
      setPage(first);
    }
  };
  const turn = async (direction: 'next' | 'previous') => {
    if (!pager) return;
    const turned = await run(() => (direction === 'next' ? pager.next() : pager.previous()));
    if (turned) setPage(turned);
  };
  useEffect(() => {
    void search();
  }, []); // the newest entries first, unfiltered

  const input = (id: string, name: keyof AuditFilterValues, label: string, hint: string, time = false) => (
    <Field id={id} label={label} hint={hint} errors={problem?.fields[name]}>
      {(describedBy, invalid) =>
        time ? (
          <input
            id={id}
            type="datetime-local"
            value={values[name]}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onInput={set(name)}
          />
        ) : (
          <input
            id={id}
            value={values[name]}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onInput={set(name)}
          />
        )
      }
    </Field>
  );

  return (
    <>
      <h1>Audit log</h1>
      <p class="muted">
        Every change made through the API, newest first: who (a user, or <code>key:</code> and an API
        key&apos;s id), what, when and from where. Names only, never a payload or a secret. Entries appear
        seconds after their change.
      </p>
      <form class="filters" onSubmit={search} role="search" aria-label="Search the audit log" noValidate>
        <Field id="audit-action" label="Action" errors={problem?.fields.action}>
          {(describedBy, invalid) => (
            <select
              id="audit-action"
              value={values.action}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={set('action')}
            >
              <option value="">Any</option>
              {AUDIT_ACTIONS.map((action) => (
                <option key={action} value={action}>
                  {action}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="audit-resource-type" label="Resource type" errors={problem?.fields.resourceType}>
          {(describedBy, invalid) => (
            <select
              id="audit-resource-type"
              value={values.resourceType}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={set('resourceType')}
            >
              <option value="">Any</option>
              {AUDIT_RESOURCE_TYPES.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
          )}
        </Field>
        {input('audit-resource-id', 'resourceId', 'Resource id', 'With a resource type')}
        {input('audit-actor', 'actor', 'Actor', 'A user, or key:<key id>')}
        {input('audit-since', 'since', 'From', 'Together with Until', true)}
        {input('audit-until', 'until', 'Until', 'Together with From', true)}
        <button type="submit" class="primary" disabled={busy}>
          Search
        </button>
      </form>
      <ProblemAlert problem={problem} />
      {page && (
        <section aria-labelledby="audit-results-heading">
          <h2 id="audit-results-heading">Entries, newest first</h2>
          {page.items.length === 0 ? (
            <p class="muted">No entries match.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Action</th>
                  <th scope="col">Resource</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Changed fields</th>
                  <th scope="col">From</th>
                  <th scope="col">Correlation id</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((entry) => (
                  <tr key={entry.id}>
                    <th scope="row">{formatTime(entry.at)}</th>
                    <td>{entry.action}</td>
                    <td>
                      {entry.resource.type} <code>{entry.resource.id}</code>
                    </td>
                    <td>{entry.actor.subject}</td>
                    <td>{entry.changedFields.join(', ') || '—'}</td>
                    <td>
                      {entry.source.ip ?? '—'}
                      {entry.source.userAgent ? <span class="muted"> · {entry.source.userAgent}</span> : null}
                    </td>
                    <td>
                      <code>{entry.correlationId}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <nav class="pager" aria-label="Pages of audit entries">
            <button type="button" disabled={!page.hasPrevious || busy} onClick={() => turn('previous')}>
              Previous page
            </button>
            <span>Page {page.index + 1}</span>
            <button type="button" disabled={!page.hasNext || busy} onClick={() => turn('next')}>
              Next page
            </button>
          </nav>
        </section>
      )}
    </>
  );
}
