/** The signed-in tenant: its status and settings, read-only (an operator changes them). */
import { Fragment } from 'preact';
import { Show, StatusBadge, useLoad } from '../components/ui';
import { useApp } from '../context';
import { formatTime } from '../lib/format';
import { settingRows } from '../lib/tenant-values';

export default function TenantPage() {
  const { api } = useApp();
  const [tenant] = useLoad(() => api.tenant.get(), []);
  return (
    <>
      <h1>Tenant</h1>
      <Show loaded={tenant}>
        {(value) => (
          <>
            <dl class="details">
              <dt>Id</dt>
              <dd>
                <code>{value.id}</code>
              </dd>
              <dt>Name</dt>
              <dd>{value.name ?? '—'}</dd>
              <dt>Status</dt>
              <dd>
                <StatusBadge status={value.status} />
              </dd>
              <dt>Created</dt>
              <dd>{formatTime(value.createdAt)}</dd>
            </dl>
            <section aria-labelledby="settings-heading">
              <h2 id="settings-heading">Settings</h2>
              <p class="muted">Read-only: Herald&apos;s operators set them.</p>
              <dl class="details">
                {settingRows(value.settings).map(([label, shown]) => (
                  <Fragment key={label}>
                    <dt>{label}</dt>
                    <dd>{shown}</dd>
                  </Fragment>
                ))}
              </dl>
            </section>
          </>
        )}
      </Show>
    </>
  );
}
