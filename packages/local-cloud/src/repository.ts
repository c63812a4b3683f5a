/**
 * Where the local cloud finds what it runs: the repository it lives in (services/<name>, the
 * `serverless` binary, the gitignored `.local-cloud/` working directory) and each service's packaged
 * CloudFormation template.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeployedService } from './config';

export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** What `serverless package` writes for a service, and what the local cloud provisions from. */
export function templatePath(service: DeployedService): string {
  return join(
    repositoryRoot,
    'services',
    service,
    '.serverless',
    'cloudformation-template-update-stack.json',
  );
}
