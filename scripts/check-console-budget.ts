/**
 * Fails when the web console's first page needs more than 200 KB of JavaScript, gzipped: the module
 * scripts and modulepreloads of the built index.html (scripts/lib/console-budget.ts). Prints the
 * figure either way. Run after the console's build (`npm run build -w @herald/console`).
 *
 *   npm run check:console
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstPageBudget, FIRST_PAGE_BUDGET_BYTES } from './lib/console-budget';

const dist = join(import.meta.dirname, '..', 'services', 'console', 'dist');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

let html: string;
try {
  html = readFileSync(join(dist, 'index.html'), 'utf8');
} catch {
  console.error(`${dist}/index.html is missing: build the console first (npm run build -w @herald/console)`);
  process.exit(1);
}
const report = firstPageBudget(html, (path) => readFileSync(join(dist, path.replace(/^\//, ''))));
for (const file of report.files)
  console.log(`  ${file.path}  ${kb(file.bytes)}, ${kb(file.gzipped)} gzipped`);
console.log(
  `console first page: ${kb(report.gzipped)} of JavaScript gzipped in ${report.files.length} file(s), ` +
    `budget ${kb(FIRST_PAGE_BUDGET_BYTES)}: ${report.withinBudget ? 'within' : 'OVER'}`,
);
if (report.files.length === 0) {
  console.error('index.html names no module script: is this the built console?');
  process.exit(1);
}
if (!report.withinBudget) process.exit(1);
