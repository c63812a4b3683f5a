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
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { packageService, SERVICES as services, templatePath } from '@herald/local-cloud';

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
