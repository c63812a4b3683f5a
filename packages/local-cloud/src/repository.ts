/**
 * Where the local cloud finds what it runs: the repository it lives in (services/<name>, the
 * `serverless` binary, the gitignored `.local-cloud/` working directory) and each service's packaged
 * CloudFormation template.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEPLOYED_SERVICES, type DeployedService } from './config';

export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The variable that points the local cloud at another folder for a service (see serviceDir). */
export const serviceDirVariable = (service: DeployedService) => `HERALD_SERVICE_DIR_${service.toUpperCase()}`;

/**
 * A service's folder: services/<name> of this repository, unless `dirs` (default: the
 * HERALD_SERVICE_DIR_<SERVICE> variables) names another, such as the service's folder in a checkout
 * of its previous release (test/releases/). That folder is packaged and run in place of this
 * repository's, so one service can run at another release beside the others; it must sit in a
 * whole checkout (`<root>/services/<name>`), whose shared code and settings its package is built from.
 */
export function serviceDir(
  service: DeployedService,
  dirs: Partial<Record<DeployedService, string>> = serviceDirsFromEnv(),
): string {
  const chosen = dirs[service];
  if (chosen === undefined || chosen === '') return join(repositoryRoot, 'services', service);
  const dir = resolve(chosen);
  if (basename(dirname(dir)) !== 'services' || !existsSync(join(dir, 'serverless.yml'))) {
    throw new Error(
      `${serviceDirVariable(service)}=${chosen}: not a service's folder in a checkout of Herald ` +
        '(<checkout>/services/<name> with a serverless.yml)',
    );
  }
  return dir;
}

/** The checkout a service's folder belongs to (its shared code, settings and lockfile). */
export const checkoutOf = (dir: string): string => resolve(dir, '..', '..');

/** HERALD_SERVICE_DIR_<SERVICE> of the environment, by service. */
export function serviceDirsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): Partial<Record<DeployedService, string>> {
  const dirs: Partial<Record<DeployedService, string>> = {};
  for (const service of DEPLOYED_SERVICES) {
    const value = env[serviceDirVariable(service)];
    if (value) dirs[service] = value;
  }
  return dirs;
}

/** What `serverless package` writes for a service, and what the local cloud provisions from. */
export function templatePath(service: DeployedService, dir: string = serviceDir(service)): string {
  return join(dir, '.serverless', 'cloudformation-template-update-stack.json');
}
