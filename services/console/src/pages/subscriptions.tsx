import type { CreatedSubscription, NewSubscription } from '@herald/client';
import { useState } from 'preact/hooks';
import { getStats } from '../api';
import { SCOPES, can } from '../auth/session';
import {
  ProblemAlert,
  PublicKeyReveal,
  SecretReveal,
  Show,
  StatusBadge,
  useLoad,
  useProblem,
} from '../components/ui';
import { useApp } from '../context';
import { formatTime } from '../lib/format';
import { headersForCreate } from '../lib/subscription-values';
import { SubscriptionForm, SUBSCRIPTION_FIELDS, type SubscriptionValues } from './subscription-form';

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const list: T[] = [];
  for await (const item of items) list.push(item);
  return list;
}

/** A new webhook's custom headers and timeout, when given, and its signature scheme when not the default. */
function webhookExtras(
  values: SubscriptionValues,
): Pick<NewSubscription, 'headers' | 'timeoutSeconds' | 'signatureScheme'> {
  const headers = headersForCreate(values.headers);
  return {
    ...(headers ? { headers } : {}),
    ...(values.timeoutSeconds !== undefined ? { timeoutSeconds: values.timeoutSeconds } : {}),
    ...(values.signatureScheme === 'v1a' ? { signatureScheme: 'v1a' as const } : {}),
  };
}

/** Where a new subscription delivers: its URL, address or AWS destination. */
function target(values: SubscriptionValues): Pick<NewSubscription, 'url' | 'email' | 'destination'> {
  switch (values.kind) {
    case 'webhook':
      return { url: values.url };
    case 'email':
      return { email: values.email };
    case 'aws':
      return { destination: { arn: values.destinationArn, roleArn: values.roleArn } };
  }
}

export default function Subscriptions() {
  const { api, session } = useApp();
  const writable = can(session, SCOPES.subscriptionsWrite);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedSubscription | undefined>();
  const [subscriptions, reload] = useLoad(() => all(api.subscriptions.list({ pageSize: 100 })), []);
  // Last success per subscription comes from the day's statistics, when the API offers them.
  const [stats] = useLoad(() => getStats(api, '24h'), []);
  const lastSuccess = new Map(
    stats.state === 'ready' ? stats.value.subscriptions.map((row) => [row.id, row.lastSuccessAt]) : [],
  );
  const { problem, busy, run } = useProblem(SUBSCRIPTION_FIELDS);

  const create = async (values: SubscriptionValues) => {
    const body: NewSubscription = {
      ...target(values),
      eventTypes: values.eventTypes,
      ...(values.filter !== undefined ? { filter: values.filter } : {}),
      ...(values.kind === 'webhook' ? webhookExtras(values) : {}),
      ...(values.description ? { description: values.description } : {}),
      ...(values.rateLimit !== undefined ? { rateLimit: values.rateLimit } : {}),
      ...(values.ordered ? { ordering: 'subject' as const } : {}),
    };
    const result = await run(() => api.subscriptions.create(body));
    if (result) {
      setCreating(false);
      setCreated(result);
      reload();
    }
  };

  return (
    <>
      <h1>Subscriptions</h1>
      {/* A v1 webhook's and an AWS destination's secret, once; a v1a webhook's public key. */}
      {created?.secret && <SecretReveal secret={created.secret} onDone={() => setCreated(undefined)} />}
      {created?.publicKey && (
        <PublicKeyReveal publicKey={created.publicKey} onDone={() => setCreated(undefined)} />
      )}
      {created && !created.secret && !created.publicKey && (
        <p role="status" class="success">
          Subscription {created.id} created
          {created.confirmationMail
            ? created.confirmationMail.sent
              ? ': a confirmation link was sent to the address.'
              : `: the confirmation mail could not be sent (${created.confirmationMail.detail ?? 'no detail'}).`
            : '.'}
        </p>
      )}
      {writable ? (
        creating ? (
          <section aria-labelledby="create-heading" class="panel">
            <h2 id="create-heading">New subscription</h2>
            <ProblemAlert problem={problem} />
            <SubscriptionForm
              submitLabel="Create"
              busy={busy}
              problem={problem}
              onSubmit={create}
              onCancel={() => setCreating(false)}
            />
          </section>
        ) : (
          <button type="button" class="primary" onClick={() => setCreating(true)}>
            Create subscription
          </button>
        )
      ) : (
        <p class="muted">
          Your access does not allow changing subscriptions (scope {SCOPES.subscriptionsWrite}).
        </p>
      )}
      <Show loaded={subscriptions}>
        {(items) =>
          items.length === 0 ? (
            <p class="muted">No subscriptions yet.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Subscription</th>
                  <th scope="col">Delivers to</th>
                  <th scope="col">Event types</th>
                  <th scope="col">Status</th>
                  <th scope="col">Failure streak</th>
                  <th scope="col">Last success</th>
                </tr>
              </thead>
              <tbody>
                {items.map((subscription) => (
                  <tr key={subscription.id}>
                    <th scope="row">
                      <a href={`/subscriptions/${subscription.id}`}>
                        {subscription.description || subscription.id}
                      </a>
                    </th>
                    <td class="wrap">
                      {subscription.url ?? subscription.email ?? subscription.destination?.arn}
                    </td>
                    <td>{subscription.eventTypes.join(', ')}</td>
                    <td>
                      <StatusBadge status={subscription.status} />
                    </td>
                    <td>
                      {subscription.consecutiveFailures ?? 0}
                      {subscription.failingSince ? ` since ${formatTime(subscription.failingSince)}` : ''}
                    </td>
                    <td>{formatTime(lastSuccess.get(subscription.id))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
    </>
  );
}
