// The console's tenant pages in Chromium against the shared local cloud: an API key created with
// scopes chosen from the user's own, shown once with its copy button, listed, then revoked after a
// confirmation (and refused by the API); the audit log listing a subscription's changes, filtered;
// and a portal token's sign-in from the URL's fragment, which leaves the address bar at once and
// is kept nowhere but the page's memory, showing only what its scopes allow. Each page: axe.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { callService, eventually, localCloud, tokenFor } from '../setup/local-cloud';
import { checkPage, consoleUrl, launch, navigate, openConsole, settled, signIn } from './support/browser';

jest.setTimeout(90_000);

const tenantNamed = (what: string) => `console-${what}-${randomBytes(5).toString('hex')}`;

describe('console: API keys, audit log, portal sign-in', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('an API key is created with some of the user’s scopes, shown once, and revoked after a confirmation', async () => {
    const tenant = tenantNamed('keys');
    const user = await openConsole(browser);
    try {
      await user.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: consoleUrl() });
      await signIn(user.page, { tenant, scopes: ['keys:read', 'keys:write', 'subscriptions:read'] });
      await navigate(user.page, 'API keys');
      await user.page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
      await user.page.getByText('No API keys yet.').waitFor();
      await user.page.getByRole('button', { name: 'Create API key' }).click();
      await user.page.getByLabel('Name', { exact: true }).fill('ci-reader');
      const scopes = user.page.getByRole('group', { name: 'Scopes' });
      // Only the user's own, and never tenants:admin.
      await expect(scopes.getByRole('checkbox').count()).resolves.toBe(3);
      await scopes.getByRole('checkbox', { name: 'subscriptions:read' }).check();
      expect(await checkPage(user.page, 'api-key-form')).toEqual([]);
      await user.page.getByRole('button', { name: 'Create', exact: true }).click();

      await user.page.getByRole('heading', { name: 'API key ci-reader' }).waitFor();
      const key = (await user.page.getByLabel('API key', { exact: true }).innerText()).trim();
      expect(key).toMatch(/^hk_live_[A-Za-z0-9_-]{32}$/);
      await user.page.getByText('It is shown only this once').waitFor();
      await user.page.getByRole('button', { name: 'Copy key' }).click();
      await user.page.getByText('Copied.').waitFor();
      expect(await user.page.evaluate('navigator.clipboard.readText()')).toBe(key);
      expect(await checkPage(user.page, 'api-key-created')).toEqual([]);

      // The key works with its one scope.
      expect((await callService('notifications', key, 'GET', '/v1/subscriptions')).status).toBe(200);

      await user.page.getByRole('button', { name: 'Done' }).click();
      await expect(user.page.getByText(key).count()).resolves.toBe(0);
      const row = user.page.getByRole('row', { name: /ci-reader/ });
      await expect(row.getByRole('cell', { name: 'subscriptions:read' }).count()).resolves.toBe(1);
      await row.getByText('active').waitFor();

      await user.page.getByRole('button', { name: 'Revoke ci-reader' }).click();
      const dialog = user.page.getByRole('dialog', { name: 'Revoke this API key?' });
      await dialog.waitFor();
      expect(await checkPage(user.page, 'api-key-revoke')).toEqual([]);
      await dialog.getByRole('button', { name: 'Yes, revoke it' }).click();
      await row.getByText('revoked').waitFor();
      await expect(user.page.getByRole('button', { name: 'Revoke ci-reader' }).count()).resolves.toBe(0);
      await eventually(
        async () =>
          (await callService('notifications', key, 'GET', '/v1/subscriptions')).status === 401
            ? true
            : undefined,
        60_000,
        'the revoked key refused',
      );
      expect(user.errors).toEqual([]);
    } finally {
      await user.context.close();
    }
  });

  test('the audit log lists a subscription’s changes, newest first, and filters them by action', async () => {
    const tenant = tenantNamed('audit');
    const writer = await tokenFor({ tenant, subject: 'alice', scopes: ['subscriptions:write'] });
    const created = await callService('notifications', writer, 'POST', '/v1/subscriptions', {
      body: { url: `${localCloud().endpoints.webhooks}/console-audit`, eventTypes: ['order.*'] },
    });
    expect(created).toMatchObject({ status: 201 });
    const id = String(created.body.id);
    expect((await callService('notifications', writer, 'POST', `/v1/subscriptions/${id}/pause`)).status).toBe(
      200,
    );
    const reader = await tokenFor({ tenant, scopes: ['audit:read'] });
    await eventually(
      async () => {
        const page = await callService<{ items: unknown[] }>('tenants', reader, 'GET', '/v1/audit');
        return page.body.items.length >= 2 ? true : undefined;
      },
      30_000,
      'two audit entries',
    );

    const user = await openConsole(browser);
    try {
      await signIn(user.page, { tenant, scopes: ['audit:read', 'subscriptions:read'] });
      await navigate(user.page, 'Audit log');
      await user.page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
      const rows = user.page.getByRole('table').getByRole('row');
      await rows.nth(2).waitFor();
      // A header row, then newest first.
      await expect(rows.nth(1).innerText()).resolves.toMatch(
        /subscription\.paused\s+subscription\s+sub_\S+\s+alice/,
      );
      await expect(rows.nth(2).innerText()).resolves.toContain('subscription.created');
      await expect(user.page.getByRole('button', { name: 'Next page' }).isDisabled()).resolves.toBe(true);
      expect(await checkPage(user.page, 'audit')).toEqual([]);

      await user.page.getByLabel('Action').selectOption('subscription.created');
      await user.page.getByRole('button', { name: 'Search' }).click();
      await expect(rows.count()).resolves.toBeGreaterThan(0);
      await user.page.getByRole('cell', { name: 'subscription.paused' }).waitFor({ state: 'detached' });
      await expect(rows.count()).resolves.toBe(2);
      await user.page.getByLabel('Actor').fill('someone-else');
      await user.page.getByRole('button', { name: 'Search' }).click();
      await user.page.getByText('No entries match.').waitFor();
      expect(user.errors).toEqual([]);
    } finally {
      await user.context.close();
    }
  });

  test('a portal link signs in from the fragment, which leaves the URL at once, and shows only what its scopes allow', async () => {
    const tenant = tenantNamed('portal');
    const owner = await tokenFor({
      tenant,
      scopes: [
        'keys:write',
        'keys:read',
        'subscriptions:read',
        'subscriptions:write',
        'audit:read',
        'events:read',
      ],
    });
    const minted = await callService<{ token: string; url: string }>(
      'tenants',
      owner,
      'POST',
      '/v1/portal-tokens',
      {
        body: { scopes: ['subscriptions:read', 'audit:read'], ttlSeconds: 600 },
      },
    );
    expect(minted).toMatchObject({ status: 201 });
    const { token, url } = minted.body;
    expect(url.startsWith(consoleUrl('/#'))).toBe(true);

    for (const link of [url, consoleUrl(`/subscriptions#token=${token}`)]) {
      const visitor = await openConsole(browser, new URL(link).pathname + new URL(link).hash);
      try {
        await visitor.page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 15_000 });
        expect(visitor.page.url()).not.toContain(token);
        expect(visitor.page.url()).not.toContain('#');
        await visitor.page.getByText(`Tenant ${tenant} · portal`).waitFor();
        const nav = visitor.page.getByRole('navigation', { name: 'Main' });
        for (const name of ['Subscriptions', 'Audit log', 'Tenant'])
          await expect(nav.getByRole('link', { name, exact: true }).count()).resolves.toBe(1);
        for (const name of ['Events', 'Send test event', 'API keys', 'Data', 'Tenants'])
          await expect(nav.getByRole('link', { name, exact: true }).count()).resolves.toBe(0);
        // Kept in the page's memory only, as every token the console holds.
        const stored = await visitor.page.evaluate(() =>
          JSON.stringify({ ...localStorage, ...sessionStorage }),
        );
        expect(stored).not.toContain(token);

        await navigate(visitor.page, 'Subscriptions');
        await visitor.page.getByRole('heading', { name: 'Subscriptions', level: 1 }).waitFor();
        await settled(visitor.page);
        await expect(visitor.page.getByRole('button', { name: 'Create subscription' }).count()).resolves.toBe(
          0,
        );
        await navigate(visitor.page, 'Tenant');
        await visitor.page.getByRole('heading', { name: 'Tenant', level: 1 }).waitFor();
        await settled(visitor.page);
        await visitor.page.getByText(tenant, { exact: true }).waitFor();
        expect(await checkPage(visitor.page, 'portal-tenant')).toEqual([]);

        await visitor.page.getByRole('button', { name: 'Sign out' }).click();
        await visitor.page.getByText('Signed out.').waitFor();
        // What the sign-in asked that the token may not: each scope's probe, answered 403 (or 404 for
        // a write it holds none of here). Nothing else failed.
        expect(
          visitor.errors.filter(
            (error) =>
              !/^(403|404) (GET|PATCH) .*(\/v1\/(events|api-keys|uploads\/|subscriptions\/sub_portal|tenant\/(exports|erasures)\/))/.test(
                error,
              ),
          ),
        ).toEqual([]);
      } finally {
        await visitor.context.close();
      }
    }

    const refused = await openConsole(browser, `/#token=hk_portal_${'x'.repeat(32)}`);
    try {
      await refused.page.getByText('The portal link could not sign you in').waitFor();
      expect(refused.page.url()).not.toContain('hk_portal_');
      await refused.page.getByRole('button', { name: 'Sign in' }).waitFor();
    } finally {
      await refused.context.close();
    }
  });
});
