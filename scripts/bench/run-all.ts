/**
 * npm run bench: every benchmark in this folder, one after another (they each start what they
 * measure), then ONE table of the figures they reported through lib/figures.ts: bench, figure,
 * value, baseline or floor, ratio. A benchmark prints figures; none of them fails on a number.
 *
 *   npm run bench                 all
 *   npm run bench -- local-cloud  the ones whose file name contains the word
 *   npm run bench -- fuzz --runs 300   options after the word go to each bench it picked
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseFigureLine, ratio, type Figure } from './lib/figures';

const here = dirname(fileURLToPath(import.meta.url));
const [filter, ...options] = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && file !== 'run-all.ts' && !file.startsWith('lib'))
  .filter((file) => !filter || file.includes(filter))
  .sort();

/**
 * Runs one bench with its output echoed as it comes (a long run shows its progress), keeping the
 * figure lines apart for the table instead of echoing them.
 */
function run(file: string): Promise<{ status: number | null; figures: Figure[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, file), ...options], {
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  const figures: Figure[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const figure = parseFigureLine(line);
    if (figure) figures.push(figure);
    else console.log(line);
  });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, figures })));
}

/** A number with as many digits as it deserves: 12345 → "12,345", 3.14159 → "3.14", 0.01234 → "0.0123". */
function num(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toLocaleString('en', { maximumFractionDigits: 0 });
  if (Math.abs(value) >= 1) return value.toLocaleString('en', { maximumFractionDigits: 2 });
  return value.toLocaleString('en', { maximumSignificantDigits: 3 });
}

function table(rows: Array<{ bench: string; figure: Figure }>): string {
  const cells = rows.map(({ bench, figure }) => {
    const r = ratio(figure);
    return [
      bench,
      figure.figure,
      `${num(figure.value)} ${figure.unit}`,
      figure.baseline ? `${num(figure.baseline.value)} ${figure.unit} (${figure.baseline.label})` : '',
      r === undefined ? '' : `${r.toFixed(2)}x${figure.higherIsBetter ? ' (higher is better)' : ''}`,
    ];
  });
  const header = ['bench', 'figure', 'value', 'baseline / floor', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

const rows: Array<{ bench: string; figure: Figure }> = [];
const failures: string[] = [];
for (const file of benches) {
  const bench = file.replace(/\.ts$/, '');
  console.log(`\n### ${bench}`);
  const { status, figures } = await run(file);
  rows.push(...figures.map((figure) => ({ bench, figure })));
  if (status !== 0) failures.push(`${bench} (exit ${status})`);
}

console.log(
  `\n### figures (${rows.length}, from ${benches.length - failures.length}/${benches.length} benches)`,
);
console.log(rows.length > 0 ? table(rows) : 'no figures reported');
if (failures.length > 0) console.log(`\nbenches that did not finish: ${failures.join(', ')}`);
process.exit(failures.length > 0 ? 1 : 0);
