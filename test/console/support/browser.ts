/**
 * The web console in a real browser (Debian's chromium through playwright-core), against the shared
 * local cloud's console front: launching, signing in through the local identity provider's sign-in
 * page, and each page's accessibility check (axe: no serious or critical violation) with a
 * screenshot in test-results/console/<page>.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { localCloud } from '../../setup/local-cloud';

export const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', 'test-results', 'console');
const CHROMIUM = process.env.HERALD_CHROMIUM ?? '/usr/bin/chromium';

export const consoleUrl = (path = '/') => `${localCloud().endpoints.console}${path}`;

/** One browser per test file; Chromium's sandbox needs user namespaces, which root in a container lacks. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** What the page logged as errors (a CSP refusal, an uncaught exception), for a test to assert none. */
  errors: string[];
}

export async function openConsole(browser: Browser, path = '/'): Promise<ConsolePage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  // A resource that failed, by URL (the console message says only the status). The app declares
  // its icon (/favicon.svg), so a browser asking for /favicon.ico and getting a 403 counts too.
  page.on('response', (response) => {
    if (response.status() >= 400)
      errors.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(consoleUrl(path));
  return { context, page, errors };
}

export interface SignInAs {
  tenant?: string;
  /** The scopes to grant (the sign-in page's boxes); every offered one when left out. */
  scopes?: readonly string[];
}

/** From the console's sign-in page through the identity provider's form back to the signed-in shell. */
export async function signIn(page: Page, as: SignInAs = {}): Promise<void> {
  const issuer = localCloud().endpoints.issuer;
  try {
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${issuer}/authorize`));
    await page.locator('#tenant').fill(as.tenant ?? 'demo');
    if (as.scopes) {
      for (const box of await page.locator('input[type=checkbox][name=granted_scope]').all()) {
        const scope = await box.getAttribute('value');
        await box.setChecked(scope !== null && as.scopes.includes(scope));
      }
    }
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.href.startsWith(consoleUrl()), { timeout: 15_000 });
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 15_000 });
  } catch (error) {
    // Where the flow stopped, and what the page said there.
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'sign-in-failed.png') }).catch(() => undefined);
    const text = await page
      .locator('body')
      .innerText()
      .catch(() => '');
    throw new Error(`sign-in stopped at ${page.url()}: ${text.slice(0, 500)}\n${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Moves within the app as a user does (the session lives in the page's memory: no reload). */
export async function navigate(page: Page, linkName: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: linkName }).click();
}

/** Waits until the page shows nothing still loading. */
export async function settled(page: Page): Promise<void> {
  await page.getByText('Loading…').first().waitFor({ state: 'detached', timeout: 15_000 });
}

/** axe's serious and critical violations of the page as it is now, and its screenshot. */
export async function checkPage(page: Page, name: string): Promise<string[]> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}: ${violation.nodes
          .map((node) => node.target.join(' '))
          .join(', ')}`,
    );
}
