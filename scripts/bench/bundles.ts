/**
 * Every function's bundle against a baseline: a bare middy handler importing the same AWS SDK
 * clients, commands and presigner as the function, built with the same esbuild settings
 * (serverless.shared.yml's, as the service resolved them). Per function: the zip, the map and the
 * bundle (.mjs) in KB, the baseline's bundle and the ratio; then module load time, the median over
 * --runs fresh node processes that each import the bundle (node's own start-up left out), against the
 * baseline's, measured in turns so a busy machine slows both alike. Functions more than 10% larger or
 * 1.15x slower to load than their baseline are marked. Each function's bundle size and module-load
 * CPU, beside its baseline's, also go to `npm run bench`'s table. Figures only: it never fails on a
 * number (`npm run check:bundles` fails on the size, which is deterministic; load time is not).
 *
 *   npm run package && npm run bench -- bundles      (or: npx tsx scripts/bench/bundles.ts --runs 15)
 */
import { execFile } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { repositoryRoot, SERVICES } from '@herald/local-cloud';
import {
  buildBaseline,
  esbuildOptions,
  median,
  packagedFunctions,
  SIZE_LIMIT,
  type PackagedFunction,
} from '../lib/bundles';
import { figure } from './lib/figures';

const run = promisify(execFile);
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '9' }, service: { type: 'string', multiple: true } },
});
const RUNS = Number(values.runs);
const LOAD_LIMIT = 1.15;

interface Load {
  /** Wall-clock milliseconds from the import's start to its end. */
  wall: number;
  /** CPU milliseconds (user and system, every thread) the import took: what a loaded machine
   *  disturbs least, and what a cold start on Lambda's fraction of a vCPU pays for. */
  cpu: number;
}

/** Imports a module in a fresh node process (node's own start-up left out). */
async function load(file: string, environment: Record<string, string>): Promise<Load> {
  const script =
    'const c = process.cpuUsage(); const t = performance.now(); await import(process.argv[1]); ' +
    'const wall = performance.now() - t; const { user, system } = process.cpuUsage(c); ' +
    'process.stdout.write(JSON.stringify({ wall, cpu: (user + system) / 1000 }));';
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', script, pathToFileURL(file).href],
    // The function's own environment (NODE_OPTIONS=--enable-source-maps among it, which reads the
    // map at import), with a region as Lambda sets one; the baseline loads in the same.
    { env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', ...environment } },
  );
  return JSON.parse(stdout) as Load;
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const size = async (file: string) => (await stat(file)).size;

interface Row {
  fn: PackagedFunction;
  zip: number;
  map: number;
  bundle: number;
  baseline: number;
  load: Load;
  baselineLoad: Load;
  sdk: string;
}

async function main(): Promise<void> {
  const services = values.service?.length ? values.service : [...SERVICES];
  const rows: Row[] = [];
  for (const service of services) {
    const serviceDir = join(repositoryRoot, 'services', service);
    const options = await esbuildOptions(serviceDir);
    await rm(join(serviceDir, '.esbuild', 'bench-baseline'), { recursive: true, force: true });
    for (const fn of await packagedFunctions(service, serviceDir)) {
      const baseline = await buildBaseline(fn, serviceDir, options);
      const loads: Load[] = [];
      const baselineLoads: Load[] = [];
      // In turns, so a machine busy with something else slows both alike.
      for (let i = 0; i < RUNS; i++) {
        loads.push(await load(fn.bundle, fn.environment));
        baselineLoads.push(await load(baseline.bundle, fn.environment));
      }
      const medians = (of: Load[]): Load => ({
        wall: median(of.map(({ wall }) => wall)),
        cpu: median(of.map(({ cpu }) => cpu)),
      });
      const row: Row = {
        fn,
        zip: await size(fn.zip),
        map: await size(fn.map),
        bundle: await size(fn.bundle),
        baseline: await size(baseline.bundle),
        load: medians(loads),
        baselineLoad: medians(baselineLoads),
        sdk: baseline.sdk,
      };
      rows.push(row);
      process.stderr.write(`measured ${service}/${fn.name}\n`);
    }
  }
  print(rows);
}

function print(rows: readonly Row[]): void {
  const header = [
    'function',
    'zip KB',
    'map KB',
    'bundle KB',
    'baseline KB',
    'ratio',
    'load ms',
    'baseline ms',
    'ratio',
    'load CPU ms',
    'baseline CPU ms',
    'ratio',
    'SDK (names imported)',
  ];
  const mark = (ratio: number, limit: number) => `${ratio.toFixed(2)}${ratio > limit ? ' *' : '  '}`;
  const lines = rows.map((row) => [
    `${row.fn.service}/${row.fn.name}`,
    kb(row.zip),
    kb(row.map),
    kb(row.bundle),
    kb(row.baseline),
    mark(row.bundle / row.baseline, SIZE_LIMIT),
    row.load.wall.toFixed(1),
    row.baselineLoad.wall.toFixed(1),
    mark(row.load.wall / row.baselineLoad.wall, LOAD_LIMIT),
    row.load.cpu.toFixed(1),
    row.baselineLoad.cpu.toFixed(1),
    mark(row.load.cpu / row.baselineLoad.cpu, LOAD_LIMIT),
    row.sdk,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const last = header.length - 1;
  const format = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 || i === last ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  console.log(format(header));
  for (const line of lines) console.log(format(line));
  for (const row of rows) {
    const name = `${row.fn.service}/${row.fn.name}`;
    const baseline = 'bare middy, same SDK clients';
    figure({
      figure: `${name}: bundle`,
      value: Number(kb(row.bundle)),
      unit: 'KB',
      baseline: { value: Number(kb(row.baseline)), label: `${baseline}; target ≤ ${SIZE_LIMIT}x` },
    });
    // CPU time rather than wall-clock: what a loaded machine disturbs least (see Load).
    figure({
      figure: `${name}: module load CPU`,
      value: Number(row.load.cpu.toFixed(1)),
      unit: 'ms',
      baseline: {
        value: Number(row.baselineLoad.cpu.toFixed(1)),
        label: `${baseline}; target ≤ ${LOAD_LIMIT}x`,
      },
    });
  }
  const total = (of: (row: Row) => number) => rows.reduce((sum, row) => sum + of(row), 0);
  console.log(
    `\n${rows.length} functions: zips ${kb(total((row) => row.zip))} KB, bundles ${kb(total((row) => row.bundle))} KB ` +
      `(baselines ${kb(total((row) => row.baseline))} KB). Module load: median of ${RUNS} fresh processes each, ` +
      `in turns with the baseline. * marks more than ${Math.round((SIZE_LIMIT - 1) * 100)}% larger or ` +
      `${LOAD_LIMIT}x slower than the baseline.`,
  );
}

await main();
