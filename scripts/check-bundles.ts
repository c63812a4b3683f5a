/**
 * Fails when a packaged function's bundle carries an npm package twice (two versions of an AWS SDK
 * client, whose commands then come from one and the client from the other, or one version from two
 * folders of node_modules), or when a source map embeds its sources. Reads the source maps that
 * `npm run package` left beside each bundle (scripts/lib/bundles.ts says why the maps).
 *
 *   npm run package && npm run check:bundles
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repositoryRoot, SERVICES } from '@herald/local-cloud';
import { bundleProblems, packagedFunctions, readSourceMap } from './lib/bundles';

/** The installed version in a package folder (node_modules as npm ci laid it out from the lockfile). */
function versionOf(dir: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}

async function main(): Promise<void> {
  let functions = 0;
  const failures: string[] = [];
  for (const service of SERVICES) {
    for (const fn of await packagedFunctions(service, join(repositoryRoot, 'services', service))) {
      functions++;
      const map = await readSourceMap(fn.map).catch(() => {
        throw new Error(`${fn.map} is missing: run \`npm run package\` first`);
      });
      for (const problem of bundleProblems(fn.map, map, versionOf))
        failures.push(`${service}/${fn.name}: ${problem.replaceAll(`${repositoryRoot}/`, '')}`);
    }
  }
  for (const failure of failures) console.error(failure);
  console.log(
    `${functions} function bundles checked: ${failures.length === 0 ? 'each package once, maps without sources' : `${failures.length} problems`}`,
  );
  if (failures.length > 0) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
