/** API keys: the tenant's keys with their last use; create (shown once) and revoke with keys:write. */
import type { ApiKey, CreatedApiKey } from '@herald/client';
import { useState } from 'preact/hooks';
import { SCOPES, can } from '../auth/session';
import { ConfirmDialog, CopyButton, Field, ProblemAlert, Show, useLoad, useProblem } from '../components/ui';
import { useApp } from '../context';
import { formatTime } from '../lib/format';
import { grantableScopes, newKeyBody, type KeyFormValues } from '../lib/tenant-values';

const FIELDS = ['name', 'scopes', 'expiresAt'];

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const list: T[] = [];
  for await (const item of items) list.push(item);
  return list;
}

export default function ApiKeys() {
  const { api, session } = useApp();
  const writable = can(session, SCOPES.keysWrite);
  const [keys, reload] = useLoad(() => all(api.apiKeys.list({ pageSize: 100 })), []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | undefined>();
  const [revoking, setRevoking] = useState<ApiKey | undefined>();
  const { problem, busy, run } = useProblem(FIELDS);

  const create = async (values: KeyFormValues) => {
    const key = await run(() => api.apiKeys.create(newKeyBody(values)));
    if (key) {
      setCreating(false);
      setCreated(key);
      reload();
    }
  };
  const revoke = async () => {
    const key = revoking;
    setRevoking(undefined);
    if (key && (await run(() => api.apiKeys.revoke(key.id).then(() => true)))) reload();
  };

  return (
    <>
      <h1>API keys</h1>
      <p class="muted">
        Keys for machine producers and consumers: <code>Authorization: Bearer hk_live_…</code>. Herald keeps
        only a hash of each key. A revoked key is refused within about a minute.
      </p>
      {created && <KeyReveal created={created} onDone={() => setCreated(undefined)} />}
      {writable && !creating && !created && (
        <button type="button" class="primary" onClick={() => setCreating(true)}>
          Create API key
        </button>
      )}
      {creating && (
        <KeyForm
          scopes={grantableScopes(session.scopes)}
          busy={busy}
          errors={problem?.fields ?? {}}
          onSubmit={create}
          onCancel={() => setCreating(false)}
        />
      )}
      <ProblemAlert problem={problem} />
      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading">Keys</h2>
        <Show loaded={keys}>
          {(list) =>
            list.length === 0 ? (
              <p class="muted">No API keys yet.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Key</th>
                    <th scope="col">Scopes</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Status</th>
                    {writable && <th scope="col">Actions</th>}
                  </tr>
                </thead>
                <tbody>
                  {list.map((key) => (
                    <tr key={key.id}>
                      <th scope="row">{key.name}</th>
                      <td>
                        <code>{key.prefix}…</code>
                      </td>
                      <td>{key.scopes.join(', ')}</td>
                      <td>{formatTime(key.createdAt)}</td>
                      <td>{key.lastUsedAt ? formatTime(key.lastUsedAt) : 'never'}</td>
                      <td>{key.expiresAt ? formatTime(key.expiresAt) : 'never'}</td>
                      <td>
                        <span class={`badge badge-${key.revokedAt ? 'disabled' : 'succeeded'}`}>
                          {key.revokedAt ? 'revoked' : 'active'}
                        </span>
                      </td>
                      {writable && (
                        <td>
                          {!key.revokedAt && (
                            <button
                              type="button"
                              class="small danger"
                              aria-label={`Revoke ${key.name}`}
                              onClick={() => setRevoking(key)}
                            >
                              Revoke
                            </button>
                          )}
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Show>
      </section>
      <ConfirmDialog
        open={revoking !== undefined}
        title="Revoke this API key?"
        confirmLabel="Yes, revoke it"
        danger
        busy={busy}
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(undefined)}
      >
        <p>
          {revoking?.name} (<code>{revoking?.prefix}…</code>) stops working within about a minute. This cannot
          be undone: make a new key for whatever still uses it.
        </p>
      </ConfirmDialog>
    </>
  );
}

function KeyForm(props: {
  scopes: string[];
  busy: boolean;
  errors: Record<string, string[]>;
  onSubmit: (values: KeyFormValues) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [expires, setExpires] = useState('');
  const [environment, setEnvironment] = useState<'live' | 'test'>('live');
  const toggle = (scope: string, on: boolean) =>
    setChosen((current) => (on ? [...current, scope] : current.filter((each) => each !== scope)));
  const submit = (event: Event) => {
    event.preventDefault();
    props.onSubmit({ name, scopes: chosen, expires, environment });
  };
  return (
    <form onSubmit={submit} aria-labelledby="new-key-heading" noValidate>
      <h2 id="new-key-heading">New API key</h2>
      <Field
        id="key-name"
        label="Name"
        hint="What the key is for, e.g. ci-producer"
        errors={props.errors.name}
      >
        {(describedBy, invalid) => (
          <input
            id="key-name"
            required
            maxLength={100}
            value={name}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        )}
      </Field>
      <fieldset class="choices" aria-describedby="key-scopes-hint">
        <legend>Scopes</legend>
        <p class="hint" id="key-scopes-hint">
          Chosen from your own scopes.
        </p>
        {props.scopes.map((scope) => (
          <label class="inline" key={scope}>
            <input
              type="checkbox"
              checked={chosen.includes(scope)}
              onChange={(e) => toggle(scope, e.currentTarget.checked)}
            />{' '}
            {scope}
          </label>
        ))}
        {props.errors.scopes && <p class="field-error">{props.errors.scopes.join(' ')}</p>}
      </fieldset>
      <Field
        id="key-expires"
        label="Expires (optional)"
        hint="Never, when empty"
        errors={props.errors.expiresAt}
      >
        {(describedBy, invalid) => (
          <input
            id="key-expires"
            type="datetime-local"
            value={expires}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onInput={(e) => setExpires(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field
        id="key-environment"
        label="Environment"
        hint="The key's prefix: a label, both reach the same data"
      >
        {(describedBy) => (
          <select
            id="key-environment"
            value={environment}
            aria-describedby={describedBy}
            onChange={(e) => setEnvironment(e.currentTarget.value as 'live' | 'test')}
          >
            <option value="live">live (hk_live_)</option>
            <option value="test">test (hk_test_)</option>
          </select>
        )}
      </Field>
      <div class="actions">
        <button type="submit" class="primary" disabled={props.busy}>
          Create
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The new key, this once: copy it now, Herald cannot show it again. */
function KeyReveal({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  return (
    <section class="secret" aria-labelledby="api-key-heading">
      <h2 id="api-key-heading">API key {created.name}</h2>
      <p class="warning">
        <strong>Copy this key now.</strong> It is shown only this once: Herald keeps only its hash and cannot
        show it again.
      </p>
      <p>
        <code class="secret-value" aria-label="API key">
          {created.key}
        </code>
      </p>
      <div class="actions">
        <CopyButton text={created.key} label="Copy key" />
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}
