/**
 * Packages every service for a stage (default `local`) with `serverless package`, in parallel: the
 * four with functions and the web console (its bucket and distribution; its files are built apart).
 * Writes services/<name>/.serverless/cloudformation-template-update-stack.json, the function zips and
 * the service's software bill of materials (sbom.cdx.json, CycloneDX, runtime dependencies only) that
 * ships beside what it describes.
 *
 * serverless-compose cannot package for a stage that was never deployed (it must read processing's
 * outputs first), so each service is packaged on its own: the `local` stage's params give processing's
 * values literally, and a deployed stage's file (stages/<stage>.yml) in its `offline:` section, so
 * `npm run package -- --stage prod` needs no AWS either.
 *
 *   npm run package [-- --stage <stage>] [-- <service>...]
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import {
  DEPLOYED_SERVICES as services,
  packageService,
  repositoryRoot,
  templatePath,
} from '@herald/local-cloud';

const run = promisify(execFile);

/** npm's own SBOM of one workspace: what its functions bundle, without dev dependencies. */
async function writeSbom(service: (typeof services)[number]): Promise<string> {
  const { stdout } = await run(
    'npm',
    ['sbom', '--sbom-format', 'cyclonedx', '--omit', 'dev', '--workspace', `services/${service}`],
    { cwd: repositoryRoot, maxBuffer: 64 * 1024 * 1024 },
  );
  const path = join(dirname(templatePath(service)), 'sbom.cdx.json');
  await writeFile(path, stdout);
  return path;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { stage: { type: 'string', default: 'local' } },
    allowPositionals: true,
  });
  const unknown = positionals.filter((name) => !(services as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`no such service: ${unknown.join(', ')} (${services.join(', ')})`);
  const chosen = services.filter((service) => positionals.length === 0 || positionals.includes(service));
  const started = Date.now();
  await Promise.all(chosen.map((service) => packageService(service, values.stage, { force: true })));
  for (const service of chosen) {
    console.log(`packaged ${service}: ${templatePath(service)}, SBOM ${await writeSbom(service)}`);
  }
  console.log(`${chosen.length} services packaged for stage ${values.stage} in ${Date.now() - started} ms`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
