// The web console in Chromium, served by the local cloud as CloudFront serves it: its security
// headers, signing in as demo through the local identity provider and out again, and a read-only
// user (no :write scope) offered nothing that changes data. Each page: axe, screenshot.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { localCloud } from '../setup/local-cloud';
import {
  checkPage,
  consoleUrl,
  launch,
  navigate,
  openConsole,
  settled,
  signIn,
  type ConsolePage,
} from './support/browser';

jest.setTimeout(60_000);

describe('web console', () => {
  let browser: Browser;
  let demo: ConsolePage;
  beforeAll(async () => {
    browser = await launch();
    demo = await openConsole(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('loads with its security headers, and its CSP lets it run', async () => {
    const response = await demo.page.request.get(consoleUrl('/subscriptions/any'));
    const headers = response.headers();
    const { endpoints } = localCloud();
    expect(response.status()).toBe(200);
    expect(headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        `connect-src 'self' ${endpoints.services.ingest} ${endpoints.services.processing} ` +
        `${endpoints.services.notifications} ${endpoints.services.tenants} ${endpoints.issuer}; ` +
        "frame-ancestors 'none'; base-uri 'none'; " +
        `form-action ${endpoints.issuer}`,
    );
    expect(headers).toMatchObject({
      'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-cache',
    });
    expect(headers['permissions-policy']).toContain('camera=()');

    await demo.page.getByRole('heading', { name: 'Herald Console' }).waitFor();
    await demo.page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await checkPage(demo.page, 'sign-in')).toEqual([]);
    // A script or style the CSP refused would be logged here.
    expect(demo.errors).toEqual([]);
  });

  test('signs in as demo through the local identity provider', async () => {
    await signIn(demo.page);
    await expect(demo.page.getByText('Tenant demo').isVisible()).resolves.toBe(true);
    for (const link of ['Overview', 'Events', 'Subscriptions', 'Send test event'])
      await expect(
        demo.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).isVisible(),
      ).resolves.toBe(true);
    // The overview as loaded (its totals and chart), not its loading state, is what axe checks.
    await demo.page.getByRole('heading', { name: 'Totals' }).waitFor();
    await demo.page.getByRole('heading', { name: 'Deliveries over time' }).waitFor();
    await expect(demo.page.getByRole('img').count()).resolves.toBeGreaterThan(0);
    expect(await checkPage(demo.page, 'overview')).toEqual([]);
    expect(demo.errors).toEqual([]);
  });

  test('signs out: back at the console, signed out', async () => {
    await demo.page.getByRole('button', { name: 'Sign out' }).click();
    await demo.page.waitForURL((url) => url.href.startsWith(consoleUrl()));
    await demo.page.getByRole('button', { name: 'Sign in' }).waitFor();
    await expect(demo.page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(0);
    expect(demo.errors).toEqual([]);
  });

  test('a read-only user sees no button that creates, changes or deletes', async () => {
    const reader = await openConsole(browser);
    try {
      await signIn(reader.page, { scopes: ['events:read', 'subscriptions:read', 'deliveries:read'] });
      const nav = reader.page.getByRole('navigation', { name: 'Main' });
      await expect(nav.getByRole('link', { name: 'Send test event' }).count()).resolves.toBe(0);
      await navigate(reader.page, 'Subscriptions');
      await reader.page.getByRole('heading', { name: 'Subscriptions', level: 1 }).waitFor();
      await reader.page.getByText('Your access does not allow changing subscriptions').waitFor();
      await settled(reader.page);
      for (const name of ['Create subscription', 'Delete', 'Pause', 'Resume', 'Rotate secret', 'Redeliver'])
        await expect(reader.page.getByRole('button', { name }).count()).resolves.toBe(0);
      expect(await checkPage(reader.page, 'subscriptions-read-only')).toEqual([]);
      expect(reader.errors).toEqual([]);
    } finally {
      await reader.context.close();
    }
  });
});
