// A subscription's whole life in the web console, in Chromium, against the local cloud: created to
// the local webhook receiver with its secret shown once, a test event sent and seen succeeded with its
// attempt (and on the events pages), a failing receiver's retries and their reason, a redelivery,
// pause and resume, a rotated secret, and deletion. Each page: axe (no serious or critical
// violation), screenshot.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { endpointUrl, newEndpoint, receivedUntil, setEndpointSecret } from '../e2e/support/receiver';
import { localCloud } from '../setup/local-cloud';
import {
  checkPage,
  launch,
  navigate,
  openConsole,
  settled,
  signIn,
  type ConsolePage,
} from './support/browser';

jest.setTimeout(90_000);

const EVENT_TYPE = 'console.checked';

describe('a subscription in the web console', () => {
  const tenant = `console-${randomBytes(4).toString('hex')}`;
  const endpoint = newEndpoint(tenant);
  let browser: Browser;
  let app: ConsolePage;
  let page: Page;
  let firstSecret = '';
  beforeAll(async () => {
    browser = await launch();
    app = await openConsole(browser);
    page = app.page;
    await signIn(page, { tenant });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** The subscription's page, opened from the list (a fresh load of its deliveries). */
  const openSubscription = async () => {
    await navigate(page, 'Subscriptions');
    await page.getByRole('heading', { name: 'Subscriptions', level: 1 }).waitFor();
    await page
      .getByRole('link', { name: /^sub_|console check/ })
      .first()
      .click();
    await page.getByRole('heading', { name: /^Subscription /, level: 1 }).waitFor();
    await settled(page);
  };
  /** Opens the subscription again until `done` holds of its deliveries section. */
  const deliveriesUntil = async (done: (text: string) => boolean, what: string) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      await openSubscription();
      const text = await page.getByRole('region', { name: 'Deliveries' }).innerText();
      if (done(text)) return text;
      if (Date.now() > deadline) throw new Error(`deliveries never showed ${what}: ${text}`);
      await page.waitForTimeout(1_000);
    }
  };

  test('created to the local webhook receiver; its secret is shown once', async () => {
    await navigate(page, 'Subscriptions');
    await settled(page);
    await page.getByRole('button', { name: 'Create subscription' }).click();
    await page.locator('#sub-url').fill(endpointUrl(endpoint));
    await page.locator('#sub-event-types').fill(EVENT_TYPE);
    await page.locator('#sub-description').fill('console check');
    await page.getByRole('button', { name: 'Create', exact: true }).click();

    const secret = page.locator('code.secret-value');
    await secret.waitFor();
    firstSecret = (await secret.innerText()).trim();
    expect(firstSecret).toMatch(/^whsec_/);
    // The receiver verifies each delivery with it, as the subscriber would.
    await setEndpointSecret(endpoint, firstSecret);
    expect(await checkPage(page, 'subscriptions-secret')).toEqual([]);

    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByText(firstSecret).count()).resolves.toBe(0);
    await settled(page);
    await page.getByRole('link', { name: 'console check' }).waitFor();
    expect(await checkPage(page, 'subscriptions')).toEqual([]);
  });

  test('a test event is sent, received verified, and shown succeeded with its attempt', async () => {
    await navigate(page, 'Send test event');
    await page.locator('#event-type').fill(EVENT_TYPE);
    await page.locator('#event-data').fill('{"checked":1}');
    await page.getByRole('button', { name: 'Send event' }).click();
    await page.getByRole('status').getByText('Event sent').waitFor();
    expect(await checkPage(page, 'send-test')).toEqual([]);

    const [received] = await receivedUntil(endpoint, (r) => r.length >= 1, 'the test event');
    expect(received!.verified).toBe(true);
    expect(received!.json?.type).toBe(EVENT_TYPE);

    const text = await deliveriesUntil((t) => /succeeded/.test(t), 'a succeeded delivery');
    expect(text).toContain(EVENT_TYPE);
    expect(text).toContain(received!.json!.id);
    expect(await page.locator('article.delivery tbody tr').count()).toBe(1);
    expect(await checkPage(page, 'subscription')).toEqual([]);
  });

  test('the events list and the event’s own page show it', async () => {
    const [received] = await receivedUntil(endpoint, (r) => r.length >= 1, 'the test event');
    const id = received!.json!.id;
    await navigate(page, 'Events');
    await page.getByRole('heading', { name: 'Events', level: 1 }).waitFor();
    await settled(page);
    await page.getByRole('link', { name: id }).click();
    await page.getByRole('heading', { name: `Event ${id}`, level: 1 }).waitFor();
    await settled(page);
    await expect(page.getByRole('region', { name: 'Envelope' }).innerText()).resolves.toContain(EVENT_TYPE);
    expect(await checkPage(page, 'event')).toEqual([]);
    await navigate(page, 'Events');
    await settled(page);
    expect(await checkPage(page, 'events')).toEqual([]);
  });

  test('a failing receiver: the retries and their reason are shown', async () => {
    const response = await fetch(`${localCloud().endpoints.webhooks}/_endpoints/${endpoint}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failTimes: 2, status: 503 }),
    });
    expect(response.status).toBe(200);
    await navigate(page, 'Send test event');
    await page.locator('#event-type').fill(EVENT_TYPE);
    await page.locator('#event-data').fill('{"checked":2}');
    await page.getByRole('button', { name: 'Send event' }).click();
    await page.getByRole('status').getByText('Event sent').waitFor();

    // The local stage retries after 1 s and 2 s: two 503s, then succeeded.
    await openSubscription();
    const article = () => page.locator('article.delivery').first();
    const deadline = Date.now() + 60_000;
    while (
      (await article().locator('tbody tr').count()) < 3 ||
      !/succeeded/.test(await article().innerText())
    ) {
      if (Date.now() > deadline) throw new Error(`no third attempt: ${await article().innerText()}`);
      await page.waitForTimeout(1_000);
      await openSubscription();
    }
    const rows = await article().locator('tbody tr').allInnerTexts();
    expect(rows.filter((row) => row.includes('503'))).toHaveLength(2);
    // The receiver's answer is the reason, shown with each failed attempt.
    expect(rows.filter((row) => row.includes('configured failure'))).toHaveLength(2);
    expect(await checkPage(page, 'subscription-retries')).toEqual([]);
  });

  test('redeliver sends a delivery again, with the same webhook-id', async () => {
    const before = await receivedUntil(endpoint, (r) => r.length >= 4, 'the first deliveries');
    const last = page.locator('article.delivery').last();
    await last.getByRole('button', { name: 'Redeliver' }).click();
    await page.getByRole('status').getByText('will be sent again').waitFor();
    const after = await receivedUntil(endpoint, (r) => r.length > before.length, 'the redelivery');
    const again = after.at(-1)!;
    expect(again.verified).toBe(true);
    expect(before.map((r) => r.headers['webhook-id'])).toContain(again.headers['webhook-id']);
  });

  test('pause and resume', async () => {
    await openSubscription();
    const actions = page.getByRole('group', { name: 'Subscription actions' });
    await actions.getByRole('button', { name: 'Pause' }).click();
    await actions.getByRole('button', { name: 'Resume' }).waitFor();
    await expect(page.locator('dl.details .badge').innerText()).resolves.toBe('paused');
    await actions.getByRole('button', { name: 'Resume' }).click();
    await actions.getByRole('button', { name: 'Pause' }).waitFor();
    await expect(page.locator('dl.details .badge').innerText()).resolves.toBe('active');
  });

  test('rotate: a new secret, shown once', async () => {
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const secret = page.locator('code.secret-value');
    await secret.waitFor();
    const rotated = (await secret.innerText()).trim();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(firstSecret);
    expect(await checkPage(page, 'subscription-rotated')).toEqual([]);
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByText(rotated).count()).resolves.toBe(0);
  });

  test('delete, after confirming', async () => {
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this subscription?' });
    expect(await checkPage(page, 'subscription-delete')).toEqual([]);
    await dialog.getByRole('button', { name: 'Yes, delete it' }).click();
    await page.getByRole('heading', { name: 'Subscriptions', level: 1 }).waitFor();
    await settled(page);
    await expect(page.getByRole('link', { name: 'console check' }).count()).resolves.toBe(0);
    expect(app.errors).toEqual([]);
  });
});
