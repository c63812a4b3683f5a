/**
 * `serverless package` for one service and stage: the CloudFormation template (see templatePath) and the
 * function zips. serverless-compose cannot package a stage that was never deployed (it reads processing's
 * outputs first), so each service is packaged on its own and its stage's params stand in for those outputs.
 *
 * Packaging is most of the local cloud's start-up, so it is skipped when nothing it reads has changed
 * since the last package of the same stage: the service's files, the shared package, the osls plugin,
 * the shared settings and the lockfile, hashed by content (a checkout or a copy changes modification
 * times, not contents). Tests do not reach a package, so a change under a `test` folder does not count.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { DeployedService } from './config';
import { checkoutOf, repositoryRoot, serviceDir } from './repository';

/** Folders that are built, installed or test-only: never an input of a package. */
export const NOT_INPUTS = new Set([
  'node_modules',
  '.serverless',
  '.esbuild',
  '.build',
  'coverage',
  'dist',
  'test',
]);
/**
 * Files in a service's folder that no build reads: logs, and what Node writes when asked for
 * diagnostics (`--heapsnapshot-signal`, `--cpu-prof`, `--heap-prof`, `--report-on-signal` write into
 * the working directory, which for serverless-offline is the service's folder).
 */
export const notAnInputFile = (name: string): boolean =>
  /\.(log|heapsnapshot|cpuprofile|heapprofile)$|^report\.\d+\..*\.json$/.test(name);
/** Written into .serverless/ beside the package; `serverless package` empties that folder first. */
const KEY_FILE = 'herald-package-key.json';
/** Where serverless-esbuild builds the functions, kept after packaging (keepOutputDirectory). */
const BUILD_DIR = join('.esbuild', '.build');

export interface PackageOptions {
  /** Package even when the inputs have not changed (npm run package). */
  force?: boolean;
  /** The service's folder (default: serviceDir's), e.g. in a checkout of its previous release. */
  dir?: string;
}

/** Packages the service for the stage; resolves `false` when the package on disk was already current. */
export async function packageService(
  service: DeployedService,
  stage: string,
  options: PackageOptions = {},
): Promise<boolean> {
  const dir = options.dir ?? serviceDir(service);
  const keyPath = join(dir, '.serverless', KEY_FILE);
  const key = JSON.stringify({ stage, inputs: await packageInputsHash(checkoutOf(dir), service) });
  const current = (await readFile(keyPath, 'utf8').catch(() => undefined)) === key;
  // serverless-offline runs the package's build (.esbuild/.build), which may have been removed since.
  if (!options.force && current && existsSync(join(dir, BUILD_DIR))) return false;
  await runPackage(service, dir, stage);
  await writeFile(keyPath, key);
  return true;
}

/** One hash of the content and path of every file a service's package is built from. */
export async function packageInputsHash(root: string, service: string): Promise<string> {
  const inputs = [
    join(root, 'services', service),
    join(root, 'shared'),
    join(root, 'packages', 'serverless-plugin'),
    join(root, 'serverless.shared.yml'),
    join(root, 'package-lock.json'),
  ];
  const files = (await Promise.all(inputs.map(filesUnder))).flat().sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(relative(root, file)).update('\0');
    hash.update(await readFile(file)).update('\0');
  }
  return hash.digest('hex');
}

async function filesUnder(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOTDIR') return undefined;
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries === undefined) return [path];
  const nested = await Promise.all(
    entries
      .filter((entry) => !NOT_INPUTS.has(entry.name) && (entry.isDirectory() || !notAnInputFile(entry.name)))
      .map((entry) => (entry.isDirectory() ? filesUnder(join(path, entry.name)) : [join(path, entry.name)])),
  );
  return nested.flat();
}

function runPackage(service: DeployedService, dir: string, stage: string): Promise<void> {
  // This repository's serverless, in another checkout too: that checkout's node_modules are this one's.
  const bin = join(repositoryRoot, 'node_modules', '.bin', 'serverless');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['package', '--stage', stage], {
      cwd: dir,
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
