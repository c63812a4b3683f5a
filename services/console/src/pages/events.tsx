import type { StoredEvent } from '@herald/client';
import { useEffect, useState } from 'preact/hooks';
import { Field, ProblemAlert, useProblem } from '../components/ui';
import { useApp } from '../context';
import { formatTime, isoToLocalInput, localInputToIso } from '../lib/format';
import { createPager, type Page, type Pager } from '../lib/paging';

const PAGE_SIZE = 20;
const FIELDS = ['type', 'since', 'until'];

export default function Events() {
  const { api } = useApp();
  const [type, setType] = useState('');
  const [since, setSince] = useState(isoToLocalInput(new Date(Date.now() - 24 * 3600_000)));
  const [until, setUntil] = useState('');
  const [pager, setPager] = useState<Pager<StoredEvent> | undefined>();
  const [page, setPage] = useState<Page<StoredEvent> | undefined>();
  const { problem, busy, run } = useProblem(FIELDS);

  const search = async (event?: Event) => {
    event?.preventDefault();
    const query = {
      ...(type.trim() ? { type: type.trim() } : {}),
      ...(localInputToIso(since) ? { since: localInputToIso(since)! } : {}),
      ...(localInputToIso(until) ? { until: localInputToIso(until)! } : {}),
      pageSize: PAGE_SIZE,
    };
    const next = createPager(api.events.list(query), PAGE_SIZE);
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
  }, []); // the first search, with the form's defaults

  return (
    <>
      <h1>Events</h1>
      <form class="filters" onSubmit={search} role="search" aria-label="Search events" noValidate>
        <Field
          id="events-type"
          label="Event type"
          hint="Exact type, e.g. order.created"
          errors={problem?.fields.type}
        >
          {(describedBy, invalid) => (
            <input
              id="events-type"
              value={type}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setType(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="events-since" label="Received from" errors={problem?.fields.since}>
          {(describedBy, invalid) => (
            <input
              id="events-since"
              type="datetime-local"
              value={since}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setSince(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="events-until" label="Received before" errors={problem?.fields.until}>
          {(describedBy, invalid) => (
            <input
              id="events-until"
              type="datetime-local"
              value={until}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setUntil(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          Search
        </button>
      </form>
      <ProblemAlert problem={problem} />
      {page && (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading">Results, newest first</h2>
          {page.items.length === 0 ? (
            <p class="muted">No events match.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Type</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Received</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((item) => (
                  <tr key={item.id}>
                    <th scope="row">
                      <a href={`/events/${encodeURIComponent(item.id)}`}>{item.id}</a>
                    </th>
                    <td>{item.type}</td>
                    <td>{item.subject ?? '—'}</td>
                    <td>{formatTime(item.receivedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <nav class="pager" aria-label="Pages of events">
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
