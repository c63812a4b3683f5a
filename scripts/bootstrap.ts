/**
 * Prepares a new stage once, and tells what it still lacks; safe to run again at any time.
 *
 *   npm run bootstrap -- --stage prod [--region us-east-1] [--kid ingest-2026-12]
 *
 * 1. The stage file, stages/<stage>.yml: every setting each service's package would refuse
 *    (no AWS needed).
 * 2. With the deployer's AWS credentials: the envelope-signing key pair, made once, its public half in
 *    SSM /herald/<stage>/ingest/publicKeys and its private half in ingest's secret (pending in an SSM
 *    SecureString until ingest's first deploy made the secret; scripts/lib/bootstrap.ts), then
 *    which services have been deployed, told by the SSM parameters they publish.
 *
 * Exits 0 when nothing is missing, 1 when something is (each line says what to do), 2 on a usage
 * error or without AWS credentials.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { bootstrap, generatedKeyPair } from './lib/bootstrap';
import { secretsPorts, ssmPorts } from './lib/bootstrap-aws';
import { checkStageFile } from './lib/stage-file';

const root = join(import.meta.dirname, '..');

/** The SDK's words for "no credentials anywhere in the chain". */
const isMissingCredentials = (error: unknown) =>
  ['CredentialsProviderError', 'ProviderError'].includes((error as Error).name) ||
  /Could not load credentials|credential/i.test((error as Error).message);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stage: { type: 'string' },
      region: { type: 'string', default: process.env.AWS_REGION ?? 'us-east-1' },
      kid: { type: 'string' },
    },
  });
  const stage = values.stage;
  if (!stage || stage === 'local') {
    console.error(
      stage === 'local'
        ? 'The local stage needs no bootstrap: npm start makes its keys and resources.'
        : 'usage: npm run bootstrap -- --stage <stage> [--region <region>] [--kid <key id>]',
    );
    return 2;
  }
  const kid = values.kid ?? `ingest-${stage}-${new Date().toISOString().slice(0, 10)}`;
  console.log(`Bootstrap of stage '${stage}' (${values.region})\n`);

  const settings = await checkStageFile(root, stage);
  console.log(
    `Settings, stages/${stage}.yml: ${settings.length === 0 ? 'complete' : `${settings.length} problem(s)`}`,
  );
  for (const problem of settings) console.log(`  missing: ${problem}`);

  let report;
  try {
    const region = values.region!;
    // The default credential chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, SSO...), as `serverless deploy`'s.
    const ports = {
      ...ssmPorts(new SSMClient({ region })),
      ...secretsPorts(new SecretsManagerClient({ region })),
      newKeyPair: generatedKeyPair,
    };
    report = await bootstrap(stage, ports, { kid });
  } catch (error) {
    if (!isMissingCredentials(error)) throw error;
    console.log(
      `\nNo AWS credentials: the rest (the signing key pair, which services are deployed) reads and writes ` +
        `SSM parameters and a secret in the stage's account. Configure the deployer's credentials ` +
        `(AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and run it again. Nothing was changed ` +
        `(${(error as Error).message}).`,
    );
    return 2;
  }
  console.log('\nAWS:');
  for (const line of report.done) console.log(`  done: ${line}`);
  for (const line of report.ok) console.log(`  ok: ${line}`);
  for (const line of report.missing) console.log(`  missing: ${line}`);
  const missing = settings.length + report.missing.length;
  console.log(missing === 0 ? `\nStage '${stage}' is ready.` : `\n${missing} thing(s) missing (above).`);
  return missing === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
