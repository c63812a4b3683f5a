/**
 * Rolls a deployed service back to the release before: every function's `live` alias to the version
 * it pointed at before, or, while a release is still being deployed (and its traffic shifted), the
 * stack update cancelled so CloudFormation and CodeDeploy put everything back (scripts/lib/rollback.ts).
 * Needs AWS credentials allowed to describe and cancel the stack and to read and update the aliases.
 *
 *   npm run rollback -- <ingest|processing|notifications|tenants> --stage <stage>
 *                       [--function <key>]... [--region <region>] [--dry-run]
 */
import { parseArgs } from 'node:util';
import { describeOutcome, rollback, RollbackError } from './lib/rollback';
import { awsRollbackPort } from './lib/rollback-aws';

const SERVICES = ['ingest', 'processing', 'notifications', 'tenants'];
const USAGE = `Usage: npm run rollback -- <${SERVICES.join('|')}> --stage <stage> [--function <key>]... [--region <region>] [--dry-run]`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      stage: { type: 'string' },
      function: { type: 'string', multiple: true },
      region: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const [service, ...extra] = positionals;
  if (!service || extra.length > 0 || !SERVICES.includes(service) || !values.stage)
    throw new RollbackError(USAGE);
  if (values.stage === 'local')
    throw new RollbackError('the local stage runs one version of each function: nothing to roll back');
  const region = values.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const outcome = await rollback(
    { service, stage: values.stage, functions: values.function, dryRun: values['dry-run'] },
    awsRollbackPort(region),
  );
  for (const line of describeOutcome(outcome)) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error instanceof RollbackError ? error.message : error);
  process.exit(1);
});
