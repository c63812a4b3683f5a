/**
 * Port contract tests (`*.contract.test.ts`) need the AWS emulators and nothing else: DynamoDB Local,
 * fauxqs (SQS and S3) and the local cloud's EventBridge, on free ports, started once for the run; no
 * functions, nothing provisioned (each test makes its own tables and queues from the packaged
 * templates, see ./contract.ts). Tests find them through HERALD_CONTRACT_AWS.
 *
 * Emulators already given (HERALD_CONTRACT_AWS set before the run, as scripts/mutate-conditions.ts
 * does for its many runs) are used as they are; so are those of the integration project's local
 * cloud when this run started one first.
 *
 * Plain ESM loading the TypeScript through tsx, as ./global-setup.mjs does.
 */
import { tsImport } from 'tsx/esm/api';

export default async function contractGlobalSetup() {
  if (process.env.HERALD_CONTRACT_AWS) return;
  const started = Date.now();
  const { startContractEnvironment, CONTRACT_ENV } = await tsImport(
    './contract-environment.ts',
    import.meta.url,
  );
  const { environment, stop } = await startContractEnvironment(globalThis.heraldLocalCloud);
  globalThis.heraldContractEnvironment = { stop };
  process.env[CONTRACT_ENV] = JSON.stringify(environment);
  console.log(`\nemulators for the contract tests up in ${Date.now() - started} ms`);
}
