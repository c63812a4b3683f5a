/**
 * `serverless package` of one service for a stage into a folder of its own, with that stage's own
 * settings (stages/<stage>.yml, whose `offline:` section stands in for what other services publish;
 * the local stage's are in each serverless.yml): the templates a stage would deploy, without
 * touching the local cloud's packages.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DeployedService } from '@herald/local-cloud';

const run = promisify(execFile);
// Not the local cloud's `repositoryRoot`: importing its package would load the whole local cloud
// into the unit tests that package a stage.
const repositoryRoot = join(import.meta.dirname, '..', '..');

export interface PackagedStage {
  /** cloudformation-template-update-stack.json: every deploy. */
  update: unknown;
  /** cloudformation-template-create-stack.json: a stack's first deploy (the deployment bucket). */
  create: unknown;
}

/**
 * Packages a stage into a folder of its own. `serverless package` empties the service's .serverless/
 * even when it packages elsewhere (its cleanup step removes it first), so the local stage's packages,
 * which the local cloud and other suites read, are kept aside and put back after.
 */
export async function packageStage(
  service: DeployedService,
  stage: string,
  /** `--param`s, over the stage's settings. */
  params: Record<string, string> = {},
): Promise<PackagedStage> {
  const dir = await mkdtemp(join(tmpdir(), `herald-${service}-${stage}-`));
  const served = join(repositoryRoot, 'services', service, '.serverless');
  const kept = await mkdtemp(join(tmpdir(), `herald-${service}-local-packages-`));
  const keptAny = await cp(served, kept, { recursive: true }).then(
    () => true,
    () => false,
  );
  const cliParams = Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`]);
  try {
    await run(
      join(repositoryRoot, 'node_modules', '.bin', 'serverless'),
      ['package', '--stage', stage, ...cliParams, '--package', dir],
      { cwd: join(repositoryRoot, 'services', service), maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(
        `serverless package failed for ${service} (${stage}):\n${error.stdout}\n${error.stderr}`,
      );
    });
    const read = async (name: string) => JSON.parse(await readFile(join(dir, name), 'utf8')) as unknown;
    return {
      update: await read('cloudformation-template-update-stack.json'),
      create: await read('cloudformation-template-create-stack.json'),
    };
  } finally {
    if (keptAny) {
      await rm(served, { recursive: true, force: true });
      await cp(kept, served, { recursive: true });
    }
    await rm(kept, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
}
