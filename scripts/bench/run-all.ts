/**
 * npm run bench: every benchmark in this folder, one after another (they each start what they
 * measure). A benchmark prints figures; none of them fails on a number.
 *
 *   npm run bench                 all
 *   npm run bench -- local-cloud  the ones whose file name contains the word
 *   npm run bench -- fuzz --runs 300   options after the word go to each bench it picked
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [filter, ...options] = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && file !== 'run-all.ts' && !file.startsWith('lib'))
  .filter((file) => !filter || file.includes(filter))
  .sort();

let failed = 0;
for (const file of benches) {
  console.log(`\n### ${file.replace(/\.ts$/, '')}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, file), ...options], {
    stdio: 'inherit',
  });
  if (run.status !== 0) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);
