/**
 * Fails when a packaged function's bundle carries an npm package twice (two versions of an AWS SDK
 * client, whose commands then come from one and the client from the other, or one version from two
 * folders of node_modules), when a source map embeds its sources, or when a bundle is more than
 * SIZE_LIMIT (1.1) times its baseline: a bare middy handler importing the same AWS SDK clients and
 * commands, built with the same esbuild options, so what the limit holds is what the function's own
 * code and its other libraries add. Sizes only: module load time is too noisy to gate on (`npm run
 * bench -- bundles` measures it). Reads the source maps that `npm run package` left beside each
 * bundle (scripts/lib/bundles.ts says why the maps).
 *
 * The size limit fails the check only with --enforce-size: most functions are still above it (the
 * root README's bundles section says by how much and what is left to cut), so until they are not,
 * CI prints each one over it and fails on the other problems alone.
 *
 *   npm run package && npm run check:bundles [-- --enforce-size]
 */
import { readFileSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { repositoryRoot, SERVICES } from '@herald/local-cloud';
import {
  buildBaseline,
  bundleProblems,
  esbuildOptions,
  packagedFunctions,
  readSourceMap,
  SIZE_LIMIT,
  sizeProblem,
} from './lib/bundles';

/** The installed version in a package folder (node_modules as npm ci laid it out from the lockfile). */
function versionOf(dir: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'enforce-size': { type: 'boolean', default: false } } });
  let functions = 0;
  const failures: string[] = [];
  const oversized: string[] = [];
  for (const service of SERVICES) {
    const serviceDir = join(repositoryRoot, 'services', service);
    const options = await esbuildOptions(serviceDir);
    await rm(join(serviceDir, '.esbuild', 'bench-baseline'), { recursive: true, force: true });
    for (const fn of await packagedFunctions(service, serviceDir)) {
      functions++;
      const map = await readSourceMap(fn.map).catch(() => {
        throw new Error(`${fn.map} is missing: run \`npm run package\` first`);
      });
      for (const problem of bundleProblems(fn.map, map, versionOf))
        failures.push(`${service}/${fn.name}: ${problem.replaceAll(`${repositoryRoot}/`, '')}`);
      const baseline = await buildBaseline(fn, serviceDir, options);
      const size = sizeProblem((await stat(fn.bundle)).size, (await stat(baseline.bundle)).size);
      if (size) (values['enforce-size'] ? failures : oversized).push(`${service}/${fn.name}: ${size}`);
    }
  }
  for (const failure of failures) console.error(failure);
  for (const over of oversized) console.warn(`warning: ${over}`);
  const sizes = `${oversized.length === 0 ? 'each' : `${functions - oversized.length}`} at most ${SIZE_LIMIT}x its baseline`;
  console.log(
    `${functions} function bundles checked: ${failures.length === 0 ? `each package once, maps without sources, ${sizes}` : `${failures.length} problems`}`,
  );
  if (failures.length > 0) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
