// A subscription's content filter, custom headers and timeout in the web console, in Chromium, against
// the local cloud: the filter's preview lists exactly the recent events it matches, a refused filter's
// problem is shown at the Filter field, only matching events are delivered (and shown), and a secret
// custom header reaches the receiver but is never shown by the console. Each page: axe, screenshot.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import {
  endpointUrl,
  newEndpoint,
  receivedAt,
  receivedUntil,
  setEndpointSecret,
} from '../e2e/support/receiver';
import {
  ARTIFACTS,
  checkPage,
  launch,
  navigate,
  openConsole,
  settled,
  signIn,
  type ConsolePage,
} from './support/browser';

jest.setTimeout(120_000);

const EVENT_TYPE = 'console.filtered';
const FILTER = '{"data":{"total":[{"numeric":[">",100]}]}}';
// numeric without its number: the API refuses it naming /body/filter/data/total/0.
const BAD_FILTER = '{"data":{"total":[{"numeric":[">"]}]}}';
const HEADER_NAME = 'X-Console-Token';
const HEADER_SECRET = `tok-${randomBytes(12).toString('hex')}`;

describe('content filters, custom headers and timeout in the web console', () => {
  const tenant = `console-f-${randomBytes(4).toString('hex')}`;
  const endpoint = newEndpoint(tenant);
  let browser: Browser;
  let app: ConsolePage;
  let page: Page;
  const sent: Record<'small' | 'big', string[]> = { small: [], big: [] };

  beforeAll(async () => {
    browser = await launch();
    app = await openConsole(browser);
    page = app.page;
    await signIn(page, { tenant });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Sends a test event from the console and returns its id. */
  const sendEvent = async (total: number) => {
    await navigate(page, 'Send test event');
    await page.getByRole('heading', { name: 'Send test event', level: 1 }).waitFor();
    await page.getByLabel('Event type').fill(EVENT_TYPE);
    await page.getByLabel('Data (JSON)').fill(JSON.stringify({ total }));
    await page.getByRole('button', { name: 'Send event' }).click();
    const status = page.getByRole('status').filter({ hasText: 'Event sent' });
    await status.waitFor();
    const id = (await status.locator('code').innerText()).trim();
    (total > 100 ? sent.big : sent.small).push(id);
    return id;
  };
  const openSubscription = async () => {
    await navigate(page, 'Subscriptions');
    await page.getByRole('heading', { name: 'Subscriptions', level: 1 }).waitFor();
    await settled(page);
    await page.getByRole('link', { name: 'big orders' }).click();
    await page.getByRole('heading', { name: 'Subscription big orders', level: 1 }).waitFor();
    await settled(page);
  };
  const filterError = () => page.locator('#sub-filter-error');

  test('the preview lists exactly the recent event the filter matches; a refused filter is shown at the field', async () => {
    await sendEvent(50);
    await sendEvent(500);

    await navigate(page, 'Subscriptions');
    await settled(page);
    await page.getByRole('button', { name: 'Create subscription' }).click();
    await page.getByLabel('Webhook URL').fill(endpointUrl(endpoint));
    await page.getByLabel('Event types').fill(EVENT_TYPE);
    await page.getByLabel('Description (optional)').fill('big orders');

    // A refused pattern: the API's problem is shown under the Filter field, which is marked invalid.
    await page.getByLabel('Filter', { exact: true }).fill(BAD_FILTER);
    await page.getByRole('button', { name: 'Preview matches' }).click();
    await filterError().waitFor();
    await expect(filterError().innerText()).resolves.toContain('data/total/0');
    await expect(page.getByLabel('Filter', { exact: true }).getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    expect(await checkPage(page, 'subscription-filter-refused')).toEqual([]);
    // Not JSON at all is refused by the form before anything is sent.
    await page.getByLabel('Filter', { exact: true }).fill('{"data":');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect(filterError().innerText()).resolves.toContain('not JSON');

    // Both events are stored a moment after their 202: preview until both were read.
    await page.getByLabel('Filter', { exact: true }).fill(FILTER);
    const summary = page.getByText(/recent events match/);
    const deadline = Date.now() + 30_000;
    for (;;) {
      await page.getByRole('button', { name: 'Preview matches' }).click();
      await summary.waitFor();
      if ((await summary.innerText()).startsWith('1 of 2')) break;
      if (Date.now() > deadline)
        throw new Error(`the preview never read both events: ${await summary.innerText()}`);
      await page.waitForTimeout(1_000);
    }
    await expect(filterError().count()).resolves.toBe(0);
    const rows = await page.locator('.preview tbody tr').allInnerTexts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(sent.big[0]);
    expect(rows[0]).toContain(EVENT_TYPE);

    // A secret custom header and a timeout. (The full-page screenshot leaves the page scrolled to
    // where a click can land elsewhere, so the fields are filled after it.)
    await page.getByRole('button', { name: 'Add header' }).click();
    expect(await checkPage(page, 'subscription-filter-preview')).toEqual([]);
    await page.getByLabel('Header 1 name').fill(HEADER_NAME);
    await page.getByLabel('Header 1 value').fill(HEADER_SECRET);
    await page.getByLabel('Header 1 secret').check();
    await page.getByLabel('Timeout (seconds)').fill('5');

    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const secret = page.locator('code.secret-value');
    await secret.waitFor().catch(async (error: unknown) => {
      await page.screenshot({ path: join(ARTIFACTS, 'filters-not-created.png'), fullPage: true });
      throw new Error(`not created: ${await page.locator('main').innerText()}`, { cause: error });
    });
    await setEndpointSecret(endpoint, (await secret.innerText()).trim());
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('link', { name: 'big orders' }).waitFor();
  });

  test('only the matching event is delivered, with the secret header, and only it is shown', async () => {
    await sendEvent(50);
    const big = await sendEvent(500);
    const [received] = await receivedUntil(endpoint, (r) => r.length >= 1, 'the matching event');
    expect(received!.json?.id).toBe(big);
    expect(received!.json?.data).toEqual({ total: 500 });
    expect(received!.verified).toBe(true);
    expect(received!.headers[HEADER_NAME.toLowerCase()]).toBe(HEADER_SECRET);

    // The small one was sent first; give it time to arrive if the filter let it through.
    await page.waitForTimeout(3_000);
    const all = await receivedAt(endpoint);
    expect(all.map((r) => r.json?.id)).toEqual([big]);

    const deadline = Date.now() + 30_000;
    const deliveries = async () => {
      await openSubscription();
      return page.getByRole('region', { name: 'Deliveries' }).innerText();
    };
    let text = await deliveries();
    while (!/succeeded/.test(text)) {
      if (Date.now() > deadline) throw new Error(`no succeeded delivery shown: ${text}`);
      await page.waitForTimeout(1_000);
      text = await deliveries();
    }
    expect(await page.locator('article.delivery').count()).toBe(1);
    expect(text).toContain(big);
    for (const id of sent.small) expect(text).not.toContain(id);
  });

  test("the subscription's page shows the filter, the headers (secret masked) and the timeout", async () => {
    await openSubscription();
    const details = page.locator('dl.details');
    await expect(details.getByLabel('Filter').innerText()).resolves.toBe(
      JSON.stringify(JSON.parse(FILTER), null, 2),
    );
    const text = await details.innerText();
    expect(text).toContain(HEADER_NAME.toLowerCase());
    expect(text).toContain('secret (set)');
    expect(text).toContain('5 seconds');
    expect(await page.content()).not.toContain(HEADER_SECRET);
    expect(await checkPage(page, 'subscription-filter')).toEqual([]);
  });

  test('edit: the secret header shows as set, never its value; clearing the filter removes it', async () => {
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit subscription' }).waitFor();
    await expect(page.getByLabel('Filter', { exact: true }).inputValue()).resolves.toContain('"numeric"');
    await expect(page.locator('.header-row').innerText()).resolves.toContain('secret (set)');
    expect(await page.content()).not.toContain(HEADER_SECRET);
    expect(await checkPage(page, 'subscription-edit-filter')).toEqual([]);

    await page.getByLabel('Filter', { exact: true }).fill('');
    await page.getByLabel('Timeout (seconds)').fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Edit' }).waitFor();
    const text = await page.locator('dl.details').innerText();
    expect(text).toContain('none (every event of the types)');
    // Kept as it was: the header was not sent again.
    expect(text).toContain('secret (set)');
    expect(text).not.toContain('5 seconds');
    // The refused filter's 422 is the one failed request expected.
    expect(
      app.errors.filter((error) => !/^422 POST .*\/v1\/subscriptions\/test-filter$/.test(error)),
    ).toEqual([]);
  });
});
