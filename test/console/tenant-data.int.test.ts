// The console's Data page in Chromium against the shared local cloud: "Export everything" followed
// until ready, each file's link downloaded by the browser (NDJSON holding the event the test posted);
// a subject's erasure, after a confirmation that has the subject typed again, followed until done
// with each service's counts, after which the Events page no longer lists the subject's event but
// still lists another subject's; refusals (another tenant's export, a subject the API refuses) shown
// as their problem, and no Data page for a user without tenant:export or tenant:erase. Each: axe.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { callService, eventually, tokenFor } from '../setup/local-cloud';
import { checkPage, launch, navigate, openConsole, settled, signIn } from './support/browser';

jest.setTimeout(120_000);

const unique = () => randomBytes(5).toString('hex');
const tenantNamed = (what: string) => `console-${what}-${unique()}`;

/** Posts events to ingest and waits until processing serves each one. */
async function postEvents(tenant: string, events: Array<{ id: string; subject: string }>) {
  const writer = await tokenFor({ tenant, scopes: ['events:write'] });
  const sent = await callService('ingest', writer, 'POST', '/v1/events', {
    body: {
      events: events.map(({ id, subject }) => ({ id, type: 'order.created', subject, data: { note: id } })),
    },
  });
  expect(sent.status).toBe(202);
  const reader = await tokenFor({ tenant, scopes: ['events:read'] });
  for (const { id } of events)
    await eventually(
      async () =>
        (await callService('processing', reader, 'GET', `/v1/events/${id}`)).status === 200
          ? true
          : undefined,
      90_000,
      `event ${id} stored`,
    );
}

/** The Events page's event ids (the first page, newest first, the last 24 hours). */
async function listedEvents(page: Page): Promise<string[]> {
  await navigate(page, 'Events');
  await page.getByRole('heading', { name: 'Events', level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Results, newest first' }).waitFor();
  await settled(page);
  return page.locator('tbody th[scope=row]').allInnerTexts();
}

describe('console: the tenant’s export and a subject’s erasure', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('"Export everything" is followed until ready, and each link downloads NDJSON holding the posted event', async () => {
    const tenant = tenantNamed('export');
    const eventId = `evt-export-${unique()}`;
    await postEvents(tenant, [{ id: eventId, subject: `users/${unique()}` }]);

    const user = await openConsole(browser);
    try {
      await signIn(user.page, { tenant, scopes: ['tenant:export'] });
      await navigate(user.page, 'Data');
      await user.page.getByRole('heading', { name: 'Data', level: 1 }).waitFor();
      // tenant:erase is not among the user's scopes: no erasure form.
      await expect(user.page.getByRole('heading', { name: 'Erase a subject' }).count()).resolves.toBe(0);
      expect(await checkPage(user.page, 'data')).toEqual([]);

      await user.page.getByRole('button', { name: 'Export everything' }).click();
      const heading = user.page.getByRole('heading', { name: /^Export exp_[0-9A-Z]{26}$/ });
      await heading.waitFor();
      // Focus follows the action; the address names the export, so a reload comes back to it.
      await expect(heading.evaluate((element) => element.matches(':focus'))).resolves.toBe(true);
      const exportId = (await heading.innerText()).replace(/^Export /, '');
      expect(new URL(user.page.url()).searchParams.get('export')).toBe(exportId);
      // The local cloud may finish an export before the first answer is shown: the status is then
      // Ready already. While it is not, no second export can be started (read in one look at the page,
      // so the two agree).
      await user.page
        .getByRole('status')
        .filter({ hasText: /^(Pending since|Asking|Ready)/ })
        .waitFor();
      const state = await user.page.locator('body').evaluate((body) => ({
        status: [...body.querySelectorAll('[role="status"]')]
          .map((element) => element.textContent ?? '')
          .find((text) => /^(Pending since|Asking|Ready)/.test(text)),
        startDisabled: [...body.querySelectorAll('button')]
          .filter((button) => button.textContent?.trim() === 'Export everything')
          .map((button) => button.hasAttribute('disabled'))[0],
      }));
      if (!state.status?.startsWith('Ready')) expect(state.startDisabled).toBe(true);

      await user.page
        .getByRole('status')
        .filter({ hasText: /^Ready/ })
        .waitFor({ timeout: 240_000 });
      await user.page.getByText(/The links work until/).waitFor();
      expect(await checkPage(user.page, 'data-export-ready')).toEqual([]);

      const links = user.page.getByRole('table').getByRole('link');
      const names = await links.allInnerTexts();
      expect(names.length).toBeGreaterThan(0);
      for (const name of names)
        expect(name).toMatch(/^(ingest|processing|notifications|tenants)\/[\w-]+\.ndjson$/);
      let holding = 0;
      for (const name of names) {
        const [download] = await Promise.all([
          user.page.waitForEvent('download'),
          links.filter({ hasText: name }).click(),
        ]);
        const body = await readFile(await download.path(), 'utf8');
        const lines = body.trimEnd().split('\n').filter(Boolean);
        for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
        if (body.includes(`"id":"${eventId}"`)) holding += 1;
      }
      // Processing's stored events hold it (notifications' may too).
      expect(holding).toBeGreaterThanOrEqual(1);
      expect(user.errors).toEqual([]);
    } finally {
      await user.context.close();
    }
  }, 400_000);

  test('a subject’s erasure asks for the subject again, is followed until done with its counts, and the event leaves the Events page', async () => {
    const tenant = tenantNamed('erase');
    const subject = `users/erase-${unique()}`;
    const erased = `evt-erased-${unique()}`;
    const kept = `evt-kept-${unique()}`;
    await postEvents(tenant, [
      { id: erased, subject },
      { id: kept, subject: `users/keep-${unique()}` },
    ]);

    const user = await openConsole(browser);
    try {
      await signIn(user.page, { tenant, scopes: ['tenant:erase', 'events:read'] });
      // Both events are listed before the erasure.
      await expect(listedEvents(user.page)).resolves.toEqual(expect.arrayContaining([erased, kept]));

      await navigate(user.page, 'Data');
      await user.page.getByRole('heading', { name: 'Erase a subject' }).waitFor();
      await expect(user.page.getByRole('button', { name: 'Export everything' }).count()).resolves.toBe(0);
      await user.page.getByLabel('Subject', { exact: true }).fill(subject);
      await user.page.getByRole('button', { name: 'Erase subject' }).click();

      const dialog = user.page.getByRole('dialog', { name: "Erase this subject's data?" });
      await dialog.waitFor();
      await dialog.getByText('This cannot be undone.').waitFor();
      await expect(dialog.innerText()).resolves.toMatch(/deliveries, delivery attempts/);
      const confirm = dialog.getByRole('button', { name: 'Erase permanently' });
      await expect(confirm.isDisabled()).resolves.toBe(true);
      await dialog.getByLabel('Subject to erase').fill(`${subject}x`);
      await expect(confirm.isDisabled()).resolves.toBe(true);
      await dialog.getByLabel('Subject to erase').fill(subject);
      expect(await checkPage(user.page, 'data-erase-confirm')).toEqual([]);
      await confirm.click();

      const row = user.page.getByRole('row', { name: new RegExp(subject.replace(/[/-]/g, '\\$&')) });
      await row.getByText(/^ers_[0-9A-Z]{26}$/).waitFor();
      // Focus follows the action, to the list the new request heads.
      const requests = user.page.getByRole('heading', { name: 'Erasure requests' });
      await expect(requests.evaluate((element) => element.matches(':focus'))).resolves.toBe(true);
      await row.getByText('done', { exact: true }).waitFor({ timeout: 300_000 });
      // What each service erased, as the API counts it: the event was stored by processing.
      await expect(row.innerText()).resolves.toMatch(/processing: events [1-9]/);
      await user.page.getByRole('status').filter({ hasText: 'All 1 done.' }).waitFor();
      expect(await checkPage(user.page, 'data-erasure-done')).toEqual([]);

      const after = await listedEvents(user.page);
      expect(after).toContain(kept);
      expect(after).not.toContain(erased);

      // Back on the Data page, this session's request is still listed, done.
      await navigate(user.page, 'Data');
      await user.page
        .getByRole('row', { name: new RegExp(subject.replace(/[/-]/g, '\\$&')) })
        .getByText('done', { exact: true })
        .waitFor();
      expect(user.errors).toEqual([]);
    } finally {
      await user.context.close();
    }
  }, 500_000);

  test('refusals show the problem’s title and detail: another tenant’s export, a subject the API refuses; without the scopes no Data page', async () => {
    const tenant = tenantNamed('refused');
    // Another tenant's export, named in the address: not found for this tenant.
    const stranger = await tokenFor({ tenant: tenantNamed('stranger'), scopes: ['tenant:export'] });
    const theirs = await callService<{ exportId: string }>('tenants', stranger, 'POST', '/v1/tenant/export');
    expect(theirs.status).toBe(202);

    const user = await openConsole(browser, `/data?export=${theirs.body.exportId}`);
    try {
      await signIn(user.page, { tenant, scopes: ['tenant:export', 'tenant:erase'] });
      await user.page.getByRole('heading', { name: `Export ${theirs.body.exportId}` }).waitFor();
      const notFound = user.page.getByRole('alert');
      await notFound.waitFor();
      await expect(notFound.innerText()).resolves.toMatch(/\(HTTP 404\)/);
      await user.page.getByText('Its status could not be read.').waitFor();
      await user.page.getByRole('button', { name: 'Check again' }).waitFor();
      expect(await checkPage(user.page, 'data-export-not-found')).toEqual([]);

      // A subject with a control character: the API's 422, its message under the field.
      const refused = 'users/\u0001bell';
      await user.page.getByLabel('Subject', { exact: true }).fill(refused);
      await user.page.getByRole('button', { name: 'Erase subject' }).click();
      const dialog = user.page.getByRole('dialog', { name: "Erase this subject's data?" });
      await dialog.getByLabel('Subject to erase').fill(refused);
      await dialog.getByRole('button', { name: 'Erase permanently' }).click();
      const problem = user.page.getByRole('alert').filter({ hasText: 'HTTP 422' });
      await problem.waitFor();
      await expect(
        user.page.getByLabel('Subject', { exact: true }).getAttribute('aria-invalid'),
      ).resolves.toBe('true');
      await expect(user.page.locator('#erase-subject-error').count()).resolves.toBe(1);
      await user.page.getByText('None asked in this session.', { exact: false }).waitFor();
      expect(await checkPage(user.page, 'data-erasure-refused')).toEqual([]);
      // Only the refused requests failed.
      expect(user.errors).toEqual([
        expect.stringMatching(/^404 GET .*\/v1\/tenant\/exports\/exp_/),
        expect.stringMatching(/^422 POST .*\/v1\/tenant\/erasures$/),
      ]);
    } finally {
      await user.context.close();
    }

    const reader = await openConsole(browser);
    try {
      await signIn(reader.page, { tenant, scopes: ['events:read'] });
      const nav = reader.page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Events' }).waitFor();
      await expect(nav.getByRole('link', { name: 'Data', exact: true }).count()).resolves.toBe(0);
      // Reached by its address, the page says what the user lacks and offers nothing.
      await reader.page.evaluate(
        "history.pushState(null, '', '/data'); dispatchEvent(new PopStateEvent('popstate'))",
      );
      await reader.page.getByText('Your access does not allow exports or erasures').waitFor();
      await expect(
        reader.page
          .getByRole('button')
          .filter({ hasText: /Export|Erase/ })
          .count(),
      ).resolves.toBe(0);
    } finally {
      await reader.context.close();
    }
  });
});
