/**
 * Packages every service for a stage (default `local`) with `serverless package`, in parallel.
 * Writes services/<name>/.serverless/cloudformation-template-update-stack.json and the function zips.
 *
 * serverless-compose cannot package for a stage that was never deployed (it must read processing's
 * outputs first), so each service is packaged on its own; the `local` stage's params stand in for
 * those outputs.
 *
 *   npm run package [-- --stage <stage>]
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const services = ['processing', 'ingest', 'notifications'] as const;
export type ServiceName = (typeof services)[number];

export function templatePath(service: ServiceName): string {
  return join(root, 'services', service, '.serverless', 'cloudformation-template-update-stack.json');
}

export function packageService(service: ServiceName, stage: string): Promise<void> {
  const bin = join(root, 'node_modules', '.bin', 'serverless');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['package', '--stage', stage], {
      cwd: join(root, 'services', service),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`serverless package failed for ${service} (exit ${code}):\n${output}`)),
    );
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { stage: { type: 'string', default: 'local' } } });
  const started = Date.now();
  await Promise.all(services.map((service) => packageService(service, values.stage)));
  for (const service of services) console.log(`packaged ${service}: ${templatePath(service)}`);
  console.log(`${services.length} services packaged for stage ${values.stage} in ${Date.now() - started} ms`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
