/**
 * `serverless package` of one service for a stage, with that stage's own settings (stages/<stage>.yml,
 * whose `offline:` section stands in for what other services publish; the local stage's are in each
 * serverless.yml): the templates a stage would deploy, without touching the local cloud's packages.
 *
 * It packages a copy of the service's folder, in a checkout of its own under the system's temporary
 * folder whose other entries link to this repository's (shared code, settings, node_modules...).
 * `serverless package` always empties the service folder's .serverless/ first (osls' cleanup step,
 * even with `--package` elsewhere) and serverless-esbuild rebuilds .esbuild/.build in place: done in
 * services/<name>, it took away the local cloud's templates and rewrote the code its serverless-offline
 * runs, and two such packagings at once (parallel test files) left .serverless/ emptied. In a copy, any
 * number of them can run beside each other and beside the local cloud.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DeployedService } from '@herald/local-cloud';

const run = promisify(execFile);
// Not the local cloud's `repositoryRoot`: importing its package would load the whole local cloud
// into the unit tests that package a stage.
const repositoryRoot = join(import.meta.dirname, '..', '..');

/** What serverless and its bundler write, and tests: in no package, not copied. */
const NOT_COPIED = new Set(['.serverless', '.esbuild', '.build', 'coverage', 'test']);
/** Installed or built beforehand (the console's own node_modules, its dist/): linked, not copied. */
const LINKED = new Set(['node_modules', 'dist']);

export interface PackagedStage {
  /** cloudformation-template-update-stack.json: every deploy. */
  update: unknown;
  /** cloudformation-template-create-stack.json: a stack's first deploy (the deployment bucket). */
  create: unknown;
}

/** Packages a stage from a copy of the service's folder (see above); services/<name> is only read. */
export async function packageStage(
  service: DeployedService,
  stage: string,
  /** `--param`s, over the stage's settings. */
  params: Record<string, string> = {},
): Promise<PackagedStage> {
  const checkout = await mkdtemp(join(tmpdir(), `herald-${service}-${stage}-`));
  try {
    const dir = await linkedCheckout(checkout, service);
    const out = join(checkout, 'package');
    const cliParams = Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`]);
    await run(
      join(repositoryRoot, 'node_modules', '.bin', 'serverless'),
      ['package', '--stage', stage, ...cliParams, '--package', out],
      { cwd: dir, maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(
        `serverless package failed for ${service} (${stage}):\n${error.stdout}\n${error.stderr}`,
      );
    });
    const read = async (name: string) => JSON.parse(await readFile(join(out, name), 'utf8')) as unknown;
    return {
      update: await read('cloudformation-template-update-stack.json'),
      create: await read('cloudformation-template-create-stack.json'),
    };
  } finally {
    await rm(checkout, { recursive: true, force: true });
  }
}

/**
 * A checkout at `root` whose services/<service> is a copy of this repository's and every other entry
 * a link to this repository's, so the service's relative paths (../../serverless.shared.yml,
 * ../../stages, its tsconfig) and its imports (node_modules, @herald/* links to the real folders)
 * resolve to the same files. Returns the copy's folder.
 */
export async function linkedCheckout(root: string, service: DeployedService): Promise<string> {
  const skipped = new Set(['services', '.git', '.local-cloud', 'coverage', 'test-results']);
  for (const entry of await readdir(repositoryRoot)) {
    if (!skipped.has(entry)) await symlink(join(repositoryRoot, entry), join(root, entry));
  }
  await mkdir(join(root, 'services'));
  for (const other of await readdir(join(repositoryRoot, 'services'))) {
    if (other !== service)
      await symlink(join(repositoryRoot, 'services', other), join(root, 'services', other));
  }
  const source = join(repositoryRoot, 'services', service);
  const dir = join(root, 'services', service);
  await mkdir(dir);
  for (const entry of await readdir(source)) {
    if (LINKED.has(entry)) await symlink(join(source, entry), join(dir, entry));
    else if (!NOT_COPIED.has(entry)) await cp(join(source, entry), join(dir, entry), { recursive: true });
  }
  return dir;
}
