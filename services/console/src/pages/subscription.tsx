import type { Delivery, Subscription, SubscriptionChange } from '@herald/client';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { countReplay, NotAvailable, webhookKeysUrl, type DestinationTest } from '../api';
import { SCOPES, can } from '../auth/session';
import {
  ConfirmDialog,
  Field,
  ProblemAlert,
  PublicKeyReveal,
  SecretReveal,
  Show,
  StatusBadge,
  useLoad,
  useProblem,
} from '../components/ui';
import { useApp } from '../context';
import { excerpt, formatMs, formatTime, isoToLocalInput, localInputToIso } from '../lib/format';
import { createPager, type Page, type Pager } from '../lib/paging';
import {
  destinationPart,
  filterChange,
  formatFilter,
  headersChange,
  shownHeaderValue,
  timeoutChange,
} from '../lib/subscription-values';
import { SubscriptionForm, SUBSCRIPTION_FIELDS, type SubscriptionValues } from './subscription-form';

const PAGE_SIZE = 20;

/** A webhook's headers and timeout as they changed in the form: only what changed is sent. */
function webhookChange(
  current: Subscription,
  values: SubscriptionValues,
): Pick<SubscriptionChange, 'headers' | 'timeoutSeconds'> {
  const headers = headersChange(current.headers, values.headers);
  return {
    ...(headers ? { headers } : {}),
    ...timeoutChange(current.timeoutSeconds, values.timeoutSeconds),
  };
}

export default function SubscriptionDetail({ id }: { id: string }) {
  const { api, session, config } = useApp();
  const { route } = useLocation();
  const writable = can(session, SCOPES.subscriptionsWrite);
  const [subscription, reload] = useLoad(() => api.subscriptions.get(id), [id]);
  const [editing, setEditing] = useState(false);
  const [secret, setSecret] = useState<string | undefined>();
  const [publicKey, setPublicKey] = useState<string | undefined>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const { problem, busy, run } = useProblem(SUBSCRIPTION_FIELDS);

  // Pause and resume answer the subscription as it now is: shown at once.
  const act = async (call: () => Promise<Subscription>) => {
    const result = await run(call);
    if (result !== undefined) reload(result);
  };
  const save = async (current: Subscription, values: SubscriptionValues) => {
    // PATCH changes neither an AWS destination nor a webhook's signature scheme: they are not sent.
    const change: SubscriptionChange = {
      ...(current.kind === 'webhook'
        ? { url: values.url }
        : current.kind === 'email'
          ? { email: values.email }
          : {}),
      eventTypes: values.eventTypes,
      ...filterChange(current.filter, values.filter),
      ...(current.kind === 'webhook' ? webhookChange(current, values) : {}),
      description: values.description === '' ? null : values.description,
      ...(values.rateLimit !== undefined ? { rateLimit: values.rateLimit } : {}),
      // Only a change is sent: turning it on again would start its subjects' order afresh.
      ...(values.ordered !== (current.ordering === 'subject')
        ? { ordering: values.ordered ? ('subject' as const) : ('none' as const) }
        : {}),
    };
    const result = await run(() => api.subscriptions.update(id, change));
    if (result) {
      // The answer is the subscription as it now is: shown at once, not the one before the edit.
      reload(result);
      setEditing(false);
    }
  };
  const rotate = async () => {
    const result = await run(() => api.subscriptions.rotateSecret(id));
    if (result?.publicKey) setPublicKey(result.publicKey);
    else if (result) setSecret(result.secret);
  };
  const remove = async () => {
    if ((await run(() => api.subscriptions.delete(id).then(() => true))) === true) route('/subscriptions');
    else setConfirmDelete(false);
  };

  return (
    <>
      <p>
        <a href="/subscriptions">Back to subscriptions</a>
      </p>
      <Show loaded={subscription}>
        {(current) => (
          <>
            <h1>Subscription {current.description || current.id}</h1>
            {secret && <SecretReveal secret={secret} onDone={() => setSecret(undefined)} />}
            {publicKey && <PublicKeyReveal publicKey={publicKey} onDone={() => setPublicKey(undefined)} />}
            <ProblemAlert problem={problem} />
            {editing ? (
              <section aria-labelledby="edit-heading" class="panel">
                <h2 id="edit-heading">Edit subscription</h2>
                <SubscriptionForm
                  initial={current}
                  submitLabel="Save"
                  busy={busy}
                  problem={problem}
                  onSubmit={(values) => save(current, values)}
                  onCancel={() => setEditing(false)}
                />
              </section>
            ) : (
              <dl class="details">
                <dt>Id</dt>
                <dd>
                  <code>{current.id}</code>
                </dd>
                <dt>Delivers to</dt>
                <dd class="wrap">{current.url ?? current.email ?? current.destination?.arn}</dd>
                {current.destination && (
                  <>
                    <dt>Role ARN</dt>
                    <dd class="wrap">
                      <code>{current.destination.roleArn}</code>
                    </dd>
                    <dt>ExternalId</dt>
                    <dd>
                      <code>{current.destination.externalId}</code>
                    </dd>
                  </>
                )}
                {current.kind === 'webhook' && (
                  <>
                    <dt>Signature scheme</dt>
                    <dd>
                      {current.signatureScheme === 'v1a'
                        ? 'v1a (Ed25519: verified with a public key)'
                        : 'v1 (shared secret, HMAC)'}
                    </dd>
                  </>
                )}
                {current.signatureScheme === 'v1a' && (
                  <>
                    <dt>Public keys</dt>
                    <dd>
                      <ul class="plain">
                        {(current.publicKeys ?? []).map((key) => (
                          <li key={key.key}>
                            <code class="wrap" aria-label="Public key">
                              {key.key}
                            </code>{' '}
                            <span class="muted">
                              since {formatTime(key.createdAt)}
                              {key.expiresAt ? `, signs until ${formatTime(key.expiresAt)}` : ''}
                            </span>
                          </li>
                        ))}
                      </ul>
                    </dd>
                    {session.tenant && (
                      <>
                        <dt>Key set (JWKS)</dt>
                        <dd class="wrap">
                          <a href={webhookKeysUrl(config, session.tenant)}>
                            {webhookKeysUrl(config, session.tenant)}
                          </a>
                        </dd>
                      </>
                    )}
                  </>
                )}
                <dt>Event types</dt>
                <dd>{current.eventTypes.join(', ')}</dd>
                <dt>Status</dt>
                <dd>
                  <StatusBadge status={current.status} />
                  {current.disabledReason ? ` (${current.disabledReason})` : ''}
                </dd>
                <dt>Failure streak</dt>
                <dd>
                  {current.consecutiveFailures ?? 0}
                  {current.failingSince ? ` since ${formatTime(current.failingSince)}` : ''}
                </dd>
                <dt>Filter</dt>
                <dd>
                  {current.filter ? (
                    <pre class="filter-json" aria-label="Filter">
                      {formatFilter(current.filter)}
                    </pre>
                  ) : (
                    'none (every event of the types)'
                  )}
                </dd>
                {current.kind === 'webhook' && (
                  <>
                    <dt>Custom headers</dt>
                    <dd>
                      {current.headers && Object.keys(current.headers).length > 0 ? (
                        <ul class="plain">
                          {Object.entries(current.headers).map(([name, value]) => (
                            <li key={name}>
                              <code>{name}</code>:{' '}
                              {typeof value === 'string' ? (
                                <code>{value}</code>
                              ) : (
                                <span class="muted">{shownHeaderValue(value)}</span>
                              )}
                            </li>
                          ))}
                        </ul>
                      ) : (
                        'none'
                      )}
                    </dd>
                    <dt>Timeout</dt>
                    <dd>{current.timeoutSeconds ? `${current.timeoutSeconds} seconds` : 'default'}</dd>
                  </>
                )}
                <dt>Rate limit</dt>
                <dd>{current.rateLimit ? `${current.rateLimit} per second` : 'default'}</dd>
                <dt>Ordering</dt>
                <dd>{current.ordering === 'subject' ? 'in order per subject' : 'none'}</dd>
                <dt>Created</dt>
                <dd>{formatTime(current.createdAt)}</dd>
              </dl>
            )}
            {writable && !editing && (
              <div class="actions" role="group" aria-label="Subscription actions">
                <button type="button" onClick={() => setEditing(true)}>
                  Edit
                </button>
                {/* A disabled subscription (too many failures) is resumed the same way as a paused one. */}
                {current.status === 'paused' || current.status === 'disabled' ? (
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => act(() => api.subscriptions.resume(id))}
                  >
                    Resume
                  </button>
                ) : (
                  <button
                    type="button"
                    disabled={busy || current.status !== 'active'}
                    onClick={() => act(() => api.subscriptions.pause(id))}
                  >
                    Pause
                  </button>
                )}
                {/* An AWS destination's messages are signed as webhooks are, with a secret that rotates. */}
                {current.kind !== 'email' && (
                  <button type="button" disabled={busy} onClick={rotate}>
                    {current.signatureScheme === 'v1a' ? 'Rotate key' : 'Rotate secret'}
                  </button>
                )}
                <button type="button" class="danger" onClick={() => setConfirmDelete(true)}>
                  Delete
                </button>
              </div>
            )}
            <ConfirmDialog
              open={confirmDelete}
              title="Delete this subscription?"
              confirmLabel="Yes, delete it"
              danger
              busy={busy}
              onConfirm={remove}
              onCancel={() => setConfirmDelete(false)}
            >
              <p>
                Nothing more will be delivered to{' '}
                <strong>{current.url ?? current.email ?? current.destination?.arn}</strong>. This cannot be
                undone.
              </p>
            </ConfirmDialog>
            {writable && current.kind === 'aws' && <TestConnection id={id} />}
            {writable && <Replay id={id} />}
            <Deliveries id={id} writable={writable} />
          </>
        )}
      </Show>
    </>
  );
}

/**
 * An AWS destination's test connection (POST /v1/subscriptions/{id}/test): Herald assumes the role and
 * sends a signed test message; what failed is named with what to check.
 */
function TestConnection({ id }: { id: string }) {
  const { api } = useApp();
  const [result, setResult] = useState<DestinationTest | undefined>();
  const { problem, busy, run } = useProblem();
  const test = async () => {
    setResult(undefined);
    const answer = await run(() => api.subscriptions.testConnection(id));
    if (answer) setResult(answer);
  };
  return (
    <section aria-labelledby="test-heading" class="panel">
      <h2 id="test-heading">Test connection</h2>
      <p>Assumes the role with your ExternalId and sends the destination a signed test message.</p>
      <button type="button" disabled={busy} onClick={test}>
        Test connection
      </button>
      <ProblemAlert problem={problem} />
      <div role="status">
        {result &&
          (result.ok ? (
            <p class="success">
              Connection works: the role was assumed and the destination took a test message (
              {formatTime(result.testedAt)}).
            </p>
          ) : (
            <div class="problem">
              <p class="problem-title">
                <strong>Connection failed</strong> ({formatTime(result.testedAt)})
              </p>
              <ul>
                {(result.errors ?? []).map((error) => (
                  <li key={error.pointer + error.message}>
                    {destinationPart(error.pointer)}: {error.message}
                  </li>
                ))}
              </ul>
            </div>
          ))}
      </div>
    </section>
  );
}

function Replay({ id }: { id: string }) {
  const { api } = useApp();
  const [since, setSince] = useState(isoToLocalInput(new Date(Date.now() - 3600_000)));
  const [until, setUntil] = useState('');
  const [preview, setPreview] = useState<{ window: { since: string; until?: string }; count?: number }>();
  const [started, setStarted] = useState<string | undefined>();
  const { problem, busy, run } = useProblem(['since', 'until']);

  const count = async (event: Event) => {
    event.preventDefault();
    setStarted(undefined);
    const window = {
      since: localInputToIso(since) ?? '',
      ...(localInputToIso(until) ? { until: localInputToIso(until)! } : {}),
    };
    const counted = await run(() =>
      countReplay(api, id, window).then(
        (events) => ({ events }),
        // An API without the count still replays: the dialog says the number is unknown.
        (error: unknown) => {
          if (error instanceof NotAvailable) return { events: undefined };
          throw error;
        },
      ),
    );
    if (counted) setPreview({ window, ...(counted.events !== undefined ? { count: counted.events } : {}) });
  };
  const confirm = async () => {
    if (!preview) return;
    const accepted = await run(() => api.subscriptions.replay(id, preview.window));
    setPreview(undefined);
    if (accepted && 'replayId' in accepted) setStarted(accepted.replayId);
  };

  return (
    <section aria-labelledby="replay-heading" class="panel">
      <h2 id="replay-heading">Replay a time window</h2>
      <p>Delivers again every stored event of the window that this subscription matches.</p>
      <form class="filters" onSubmit={count} noValidate>
        <Field id="replay-since" label="From" errors={problem?.fields.since}>
          {(describedBy, invalid) => (
            <input
              id="replay-since"
              type="datetime-local"
              required
              value={since}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setSince(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="replay-until" label="Until (optional, now if empty)" errors={problem?.fields.until}>
          {(describedBy, invalid) => (
            <input
              id="replay-until"
              type="datetime-local"
              value={until}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setUntil(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={busy}>
          Replay
        </button>
      </form>
      <ProblemAlert problem={problem} />
      {started && (
        <p role="status" class="success">
          Replay started (id <code>{started}</code>).
        </p>
      )}
      <ConfirmDialog
        open={preview !== undefined}
        title="Start this replay?"
        confirmLabel="Send replay"
        busy={busy}
        onConfirm={confirm}
        onCancel={() => setPreview(undefined)}
      >
        <p>
          {preview?.count === undefined
            ? 'The number of events this replay will send is not known.'
            : `This replay will send ${preview.count} event${preview.count === 1 ? '' : 's'}.`}
        </p>
      </ConfirmDialog>
    </section>
  );
}

function Deliveries({ id, writable }: { id: string; writable: boolean }) {
  const { api } = useApp();
  const [pager, setPager] = useState<Pager<Delivery> | undefined>();
  const [page, setPage] = useState<Page<Delivery> | undefined>();
  const [redelivered, setRedelivered] = useState<string | undefined>();
  const { problem, busy, run } = useProblem();
  const [first] = useLoad(async () => {
    const next = createPager(api.subscriptions.deliveries(id, { pageSize: PAGE_SIZE }), PAGE_SIZE);
    const firstPage = await next.first();
    setPager(next);
    setPage(firstPage);
    return firstPage;
  }, [id]);
  const turn = async (direction: 'next' | 'previous') => {
    if (!pager) return;
    const turned = await run(() => (direction === 'next' ? pager.next() : pager.previous()));
    if (turned) setPage(turned);
  };
  const redeliver = async (delivery: Delivery) => {
    setRedelivered(undefined);
    if ((await run(() => api.deliveries.redeliver(delivery.id))) !== undefined) setRedelivered(delivery.id);
  };

  return (
    <section aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading">Deliveries</h2>
      <ProblemAlert problem={problem} />
      {redelivered && (
        <p role="status" class="success">
          Delivery <code>{redelivered}</code> will be sent again.
        </p>
      )}
      <Show loaded={first}>
        {() =>
          !page || page.items.length === 0 ? (
            <p class="muted">No deliveries yet.</p>
          ) : (
            <>
              {page.items.map((delivery) => (
                <article key={delivery.id} class="delivery" aria-labelledby={`delivery-${delivery.id}`}>
                  <h3 id={`delivery-${delivery.id}`}>
                    {delivery.eventType} <StatusBadge status={delivery.status} />
                  </h3>
                  <p class="muted">
                    Event <a href={`/events/${encodeURIComponent(delivery.eventId)}`}>{delivery.eventId}</a>,
                    delivery <code>{delivery.id}</code>
                    {delivery.nextAttemptAt ? `, next attempt ${formatTime(delivery.nextAttemptAt)}` : ''}
                    {delivery.reason ? `, ${delivery.reason}` : ''}
                  </p>
                  <table>
                    <caption class="visually-hidden">Attempts of delivery {delivery.id}</caption>
                    <thead>
                      <tr>
                        <th scope="col">Time</th>
                        <th scope="col">Outcome</th>
                        <th scope="col">Status</th>
                        <th scope="col">Latency</th>
                        <th scope="col">Error class</th>
                        <th scope="col">Response</th>
                      </tr>
                    </thead>
                    <tbody>
                      {delivery.attempts.map((attempt) => (
                        <tr key={`${attempt.run}-${attempt.attempt}`}>
                          <td>{formatTime(attempt.at)}</td>
                          <td>{attempt.outcome}</td>
                          <td>{attempt.statusCode ?? '—'}</td>
                          <td>{formatMs(attempt.durationMs)}</td>
                          <td>{attempt.error ?? '—'}</td>
                          <td class="wrap">
                            <code>{excerpt(attempt.responseBody ?? attempt.detail)}</code>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  {writable && (
                    <button type="button" disabled={busy} onClick={() => redeliver(delivery)}>
                      Redeliver
                    </button>
                  )}
                </article>
              ))}
              <nav class="pager" aria-label="Pages of deliveries">
                <button type="button" disabled={!page.hasPrevious || busy} onClick={() => turn('previous')}>
                  Previous page
                </button>
                <span>Page {page.index + 1}</span>
                <button type="button" disabled={!page.hasNext || busy} onClick={() => turn('next')}>
                  Next page
                </button>
              </nav>
            </>
          )
        }
      </Show>
    </section>
  );
}
