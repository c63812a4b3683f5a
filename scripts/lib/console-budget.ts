/**
 * The web console's first-page JavaScript: what a browser must download before the first page runs,
 * the module scripts and modulepreloads the built index.html names, each gzipped as CloudFront
 * compresses it. Lazy chunks of other pages are not counted: they load when their page is opened.
 */
import { gzipSync } from 'node:zlib';

/** The console's budget for that JavaScript, gzipped. */
export const FIRST_PAGE_BUDGET_BYTES = 200 * 1024;

/** Paths of the module scripts and modulepreloads of an index.html, in document order, once each. */
export function firstPageScripts(html: string): string[] {
  const found: string[] = [];
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    const attribute = (name: string) =>
      new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i')
        .exec(tag)
        ?.slice(1)
        .find(Boolean);
    const isModule = /^<script/i.test(tag) && attribute('type') === 'module' && attribute('src');
    const isPreload = /^<link/i.test(tag) && attribute('rel')?.split(/\s+/).includes('modulepreload');
    const path = isModule ? attribute('src') : isPreload ? attribute('href') : undefined;
    if (path && !found.includes(path)) found.push(path);
  }
  return found;
}

export interface BudgetReport {
  files: Array<{ path: string; bytes: number; gzipped: number }>;
  gzipped: number;
  withinBudget: boolean;
}

/** Sizes of the first page's scripts; `read` gives a script's bytes from its path in index.html. */
export function firstPageBudget(html: string, read: (path: string) => Uint8Array): BudgetReport {
  const files = firstPageScripts(html).map((path) => {
    const bytes = read(path);
    return { path, bytes: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length };
  });
  const gzipped = files.reduce((sum, file) => sum + file.gzipped, 0);
  return { files, gzipped, withinBudget: gzipped <= FIRST_PAGE_BUDGET_BYTES };
}
