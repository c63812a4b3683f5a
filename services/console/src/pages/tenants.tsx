/**
 * Operators' tenants (tenants:admin): every tenant with its status; create one, suspend, resume, and
 * delete one after typing its id (deleting erases its data in every service and cannot be undone).
 */
import type { Tenant } from '@herald/client';
import { useState } from 'preact/hooks';
import { ConfirmDialog, Field, ProblemAlert, Show, StatusBadge, useLoad, useProblem } from '../components/ui';
import { useApp } from '../context';
import { formatTime } from '../lib/format';
import { confirmed } from '../lib/tenant-values';

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const list: T[] = [];
  for await (const item of items) list.push(item);
  return list;
}

export default function Tenants() {
  const { api } = useApp();
  const [tenants, reload] = useLoad(() => all(api.tenants.list({ pageSize: 100 })), []);
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [deleting, setDeleting] = useState<Tenant | undefined>();
  const [typed, setTyped] = useState('');
  const { problem, busy, run } = useProblem(['id', 'name']);

  const create = async (event: Event) => {
    event.preventDefault();
    const made = await run(() =>
      api.tenants.create({ id: id.trim(), ...(name.trim() ? { name: name.trim() } : {}) }),
    );
    if (made) {
      setId('');
      setName('');
      reload();
    }
  };
  const act = async (call: () => Promise<unknown>) => {
    if ((await run(async () => (await call(), true))) === true) reload();
  };
  const remove = async () => {
    const tenant = deleting;
    setDeleting(undefined);
    setTyped('');
    if (tenant) await act(() => api.tenants.delete(tenant.id));
  };

  return (
    <>
      <h1>Tenants</h1>
      <form class="filters" onSubmit={create} aria-labelledby="new-tenant-heading" noValidate>
        <h2 id="new-tenant-heading" class="visually-hidden">
          New tenant
        </h2>
        <Field
          id="tenant-id"
          label="Tenant id"
          hint="What its tokens carry in their tenant claim"
          errors={problem?.fields.id}
        >
          {(describedBy, invalid) => (
            <input
              id="tenant-id"
              value={id}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setId(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="tenant-name" label="Name (optional)" errors={problem?.fields.name}>
          {(describedBy, invalid) => (
            <input
              id="tenant-name"
              value={name}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          Create tenant
        </button>
      </form>
      <ProblemAlert problem={problem} />
      <Show loaded={tenants}>
        {(list) =>
          list.length === 0 ? (
            <p class="muted">No tenants yet.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Tenant</th>
                  <th scope="col">Name</th>
                  <th scope="col">Status</th>
                  <th scope="col">Created</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {list.map((tenant) => (
                  <tr key={tenant.id}>
                    <th scope="row">
                      <code>{tenant.id}</code>
                    </th>
                    <td>{tenant.name ?? '—'}</td>
                    <td>
                      <StatusBadge status={tenant.status} />
                    </td>
                    <td>{formatTime(tenant.createdAt)}</td>
                    <td>
                      {tenant.status === 'active' && (
                        <button
                          type="button"
                          class="small"
                          aria-label={`Suspend ${tenant.id}`}
                          disabled={busy}
                          onClick={() => void act(() => api.tenants.suspend(tenant.id))}
                        >
                          Suspend
                        </button>
                      )}
                      {tenant.status === 'suspended' && (
                        <button
                          type="button"
                          class="small"
                          aria-label={`Resume ${tenant.id}`}
                          disabled={busy}
                          onClick={() => void act(() => api.tenants.resume(tenant.id))}
                        >
                          Resume
                        </button>
                      )}
                      {tenant.status !== 'deleted' && (
                        <button
                          type="button"
                          class="small danger"
                          aria-label={`Delete ${tenant.id}`}
                          onClick={() => setDeleting(tenant)}
                        >
                          Delete
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
      <ConfirmDialog
        open={deleting !== undefined}
        title="Delete this tenant?"
        confirmLabel="Delete tenant"
        danger
        busy={busy || !confirmed(typed, deleting?.id ?? '')}
        onConfirm={() => void remove()}
        onCancel={() => {
          setDeleting(undefined);
          setTyped('');
        }}
      >
        <p>
          Its tokens and keys are refused from then on, every service erases its data, and its id can never be
          used again. Type <code>{deleting?.id}</code> to confirm.
        </p>
        <Field id="delete-tenant-confirm" label="Tenant id to delete">
          {(describedBy) => (
            <input
              id="delete-tenant-confirm"
              autocomplete="off"
              value={typed}
              aria-describedby={describedBy}
              onInput={(e) => setTyped(e.currentTarget.value)}
            />
          )}
        </Field>
      </ConfirmDialog>
    </>
  );
}
