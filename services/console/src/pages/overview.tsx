import { useState } from 'preact/hooks';
import { getStats } from '../api';
import { OutcomeChart } from '../components/chart';
import { SCOPES, can } from '../auth/session';
import { Show, StatusBadge, useLoad } from '../components/ui';
import { useApp } from '../context';
import { formatCount, formatMs, formatTime } from '../lib/format';
import { failingFirst, successRate, type StatsWindow } from '../lib/stats';

export default function Overview() {
  const { api, session } = useApp();
  const [window, setWindow] = useState<StatsWindow>('1h');
  const allowed = can(session, SCOPES.subscriptionsRead);
  const [stats] = useLoad(
    () => (allowed ? getStats(api, window) : Promise.resolve(undefined)),
    [window, allowed],
  );
  if (!allowed)
    return (
      <>
        <h1>Overview</h1>
        <p class="notice">
          Your access does not include the delivery overview (scope {SCOPES.subscriptionsRead}).
        </p>
      </>
    );
  return (
    <>
      <h1>Overview</h1>
      <fieldset class="segmented">
        <legend>Window</legend>
        {(['1h', '24h'] as const).map((option) => (
          <label key={option}>
            <input
              type="radio"
              name="window"
              value={option}
              checked={window === option}
              onChange={() => setWindow(option)}
            />
            {option === '1h' ? 'Last hour' : 'Last 24 hours'}
          </label>
        ))}
      </fieldset>
      <Show loaded={stats}>
        {(value) => {
          if (!value) return null;
          const rate = successRate(value.deliveries);
          return (
            <>
              <section aria-labelledby="totals-heading">
                <h2 id="totals-heading">Totals</h2>
                <dl class="figures">
                  <div>
                    <dt>Events</dt>
                    <dd>{formatCount(value.events.dispatched)}</dd>
                  </div>
                  <div>
                    <dt>Succeeded</dt>
                    <dd>{formatCount(value.deliveries.succeeded)}</dd>
                  </div>
                  <div>
                    <dt>Failed</dt>
                    <dd>{formatCount(value.deliveries.failed)}</dd>
                  </div>
                  <div>
                    <dt>Retrying</dt>
                    <dd>{formatCount(value.deliveries.retrying)}</dd>
                  </div>
                  <div>
                    <dt>Success rate</dt>
                    <dd>{rate === undefined ? '—' : `${(rate * 100).toFixed(1)} %`}</dd>
                  </div>
                  <div>
                    <dt>Latency p50</dt>
                    <dd>{formatMs(value.latencyMs.p50)}</dd>
                  </div>
                  <div>
                    <dt>Latency p99</dt>
                    <dd>{formatMs(value.latencyMs.p99)}</dd>
                  </div>
                </dl>
              </section>
              <section aria-labelledby="chart-heading">
                <h2 id="chart-heading">Deliveries over time</h2>
                <OutcomeChart
                  title={`Deliveries per ${value.bucketSeconds === 60 ? 'minute' : 'hour'}`}
                  points={value.series.map((bucket) => ({
                    at: Date.parse(bucket.start),
                    values: { succeeded: bucket.succeeded, failed: bucket.failed },
                  }))}
                />
              </section>
              <section aria-labelledby="per-subscription-heading">
                <h2 id="per-subscription-heading">By subscription</h2>
                {value.subscriptions.length === 0 ? (
                  <p class="muted">No deliveries in this window.</p>
                ) : (
                  <table>
                    <caption class="visually-hidden">Deliveries by subscription, failing first</caption>
                    <thead>
                      <tr>
                        <th scope="col">Subscription</th>
                        <th scope="col">Health</th>
                        <th scope="col">Status</th>
                        <th scope="col">Succeeded</th>
                        <th scope="col">Failed</th>
                        <th scope="col">Retrying</th>
                        <th scope="col">Failure streak</th>
                        <th scope="col">Last success</th>
                        <th scope="col">Last failure</th>
                      </tr>
                    </thead>
                    <tbody>
                      {failingFirst(value.subscriptions).map((row) => (
                        <tr key={row.id}>
                          <th scope="row">
                            {row.status === 'deleted' ? (
                              row.description || row.id
                            ) : (
                              <a href={`/subscriptions/${row.id}`}>
                                {row.description || row.url || row.email || row.id}
                              </a>
                            )}
                          </th>
                          <td>
                            <StatusBadge status={row.health} />
                          </td>
                          <td>{row.status}</td>
                          <td>{formatCount(row.succeeded)}</td>
                          <td>{formatCount(row.failed)}</td>
                          <td>{formatCount(row.retrying)}</td>
                          <td>{formatCount(row.consecutiveFailures)}</td>
                          <td>{formatTime(row.lastSuccessAt)}</td>
                          <td>{formatTime(row.lastFailureAt)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </section>
            </>
          );
        }}
      </Show>
    </>
  );
}
