import { getEventDeliveries } from '../api';
import { Show, StatusBadge, useLoad } from '../components/ui';
import { useApp } from '../context';
import { formatMs, formatTime } from '../lib/format';

export default function EventDetail({ id }: { id: string }) {
  const { api } = useApp();
  const [event] = useLoad(() => api.events.get(id), [id]);
  const [deliveries] = useLoad(() => getEventDeliveries(api, id), [id]);
  return (
    <>
      <p>
        <a href="/events">Back to events</a>
      </p>
      <h1>Event {id}</h1>
      <section aria-labelledby="envelope-heading">
        <h2 id="envelope-heading">Envelope</h2>
        <Show loaded={event}>
          {(value) => (
            <pre class="code" tabIndex={0} aria-label="Event envelope as JSON">
              {JSON.stringify(value, null, 2)}
            </pre>
          )}
        </Show>
      </section>
      <section aria-labelledby="event-deliveries-heading">
        <h2 id="event-deliveries-heading">Deliveries</h2>
        <Show loaded={deliveries}>
          {(items) =>
            items.length === 0 ? (
              <p class="muted">No subscription has received this event.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Subscription</th>
                    <th scope="col">Status</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Last attempt</th>
                    <th scope="col">Last answer</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((delivery) => {
                    const last = delivery.attempts[delivery.attempts.length - 1];
                    return (
                      <tr key={delivery.id}>
                        <th scope="row">
                          <a href={`/subscriptions/${delivery.subscriptionId}`}>{delivery.subscriptionId}</a>
                        </th>
                        <td>
                          <StatusBadge status={delivery.status} />
                        </td>
                        <td>{delivery.attempts.length}</td>
                        <td>{last ? `${formatTime(last.at)} (${formatMs(last.durationMs)})` : '—'}</td>
                        <td>{last ? (last.statusCode ?? last.error ?? last.outcome) : '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )
          }
        </Show>
      </section>
    </>
  );
}
