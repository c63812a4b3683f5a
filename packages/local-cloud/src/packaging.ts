/**
 * `serverless package` for one service and stage: the CloudFormation template (see templatePath) and the
 * function zips. serverless-compose cannot package a stage that was never deployed (it reads processing's
 * outputs first), so each service is packaged on its own and its stage's params stand in for those outputs.
 *
 * One folder is packaged by one process at a time (withPackagingLock): `serverless package` empties the
 * folder's .serverless/ before it writes the new package, so a second packaging beside the first, from
 * another process (the integration tests' setup, `npm start`, a unit test that needs a template), took
 * away the package the first had just written or was reading.
 *
 * Packaging is most of the local cloud's start-up, so it is skipped when nothing it reads has changed
 * since the last package of the same stage: the service's files, the shared package, the osls plugin,
 * the shared settings and the lockfile, hashed by content (a checkout or a copy changes modification
 * times, not contents). Tests do not reach a package, so a change under a `test` folder does not count.
 */
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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
  // The key is read under the lock: a process that waited finds the package the other one just made.
  return withPackagingLock(dir, async () => {
    const keyPath = join(dir, '.serverless', KEY_FILE);
    const key = JSON.stringify({ stage, inputs: await packageInputsHash(checkoutOf(dir), service) });
    const current = (await readFile(keyPath, 'utf8').catch(() => undefined)) === key;
    // serverless-offline runs the package's build (.esbuild/.build), which may have been removed since.
    if (!options.force && current && existsSync(join(dir, BUILD_DIR))) return false;
    await runPackage(service, dir, stage);
    await writeFile(keyPath, key);
    return true;
  });
}

/**
 * The lock file of a service's folder: in its checkout's .local-cloud/ (gitignored), not in the folder,
 * where it would be one more input of the package and a change the source watcher sees.
 */
export const packagingLockPath = (dir: string): string =>
  join(checkoutOf(dir), '.local-cloud', 'locks', `package-${basename(dir)}.lock`);

/** A lock held longer than this is taken as left behind (its process id reused by another process). */
const LOCK_ABANDONED_MS = 15 * 60_000;
/** A lock file still empty this long after it was made: its process died before writing its id. */
const LOCK_UNWRITTEN_MS = 10_000;
const LOCK_POLL_MS = 200;

/**
 * Runs `task` while this process alone, of all processes on the machine, holds the packaging lock of
 * `dir`: a file created only if absent (O_EXCL), holding the process's id and a token of its own.
 * A process that finds it waits until it is gone, or takes it over when the process that made it has
 * died (a packaging interrupted by Ctrl-C or a killed test run), so a lock never stays forever.
 */
export async function withPackagingLock<T>(dir: string, task: () => Promise<T>): Promise<T> {
  const path = packagingLockPath(dir);
  await mkdir(dirname(path), { recursive: true });
  const mine = `${process.pid} ${randomUUID()}\n`;
  for (;;) {
    const made = await writeFile(path, mine, { flag: 'wx' }).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return false;
        throw error;
      },
    );
    if (made) break;
    const held = await readLock(path);
    if (held !== undefined && abandoned(held)) await takeOver(path, held.content);
    else await sleep(LOCK_POLL_MS);
  }
  try {
    return await task();
  } finally {
    // Only if it is still this process's: one taken over as abandoned is another's by now.
    if ((await readFile(path, 'utf8').catch(() => undefined)) === mine) await rm(path, { force: true });
  }
}

interface HeldLock {
  content: string;
  pid: number;
  ageMs: number;
}

async function readLock(path: string): Promise<HeldLock | undefined> {
  try {
    const [content, stats] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { content, pid: Number.parseInt(content, 10), ageMs: Date.now() - stats.mtimeMs };
  } catch {
    return undefined; // released meanwhile
  }
}

function abandoned({ pid, ageMs }: HeldLock): boolean {
  if (ageMs > LOCK_ABANDONED_MS) return true;
  if (!Number.isInteger(pid) || pid <= 0) return ageMs > LOCK_UNWRITTEN_MS;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: alive, another user's.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes an abandoned lock, if it is still the one found abandoned. Two waiters may find it at once:
 * the removal is done under a second lock file, so one of them cannot remove the lock the other has
 * just made in its place.
 */
async function takeOver(path: string, abandonedContent: string): Promise<void> {
  const guard = `${path}.takeover`;
  const guarded = await writeFile(guard, `${process.pid}\n`, { flag: 'wx' }).then(
    () => true,
    () => false,
  );
  if (!guarded) {
    // Another waiter is removing it; a guard left by a process that died there is removed after a while.
    const left = await stat(guard).catch(() => undefined);
    if (left !== undefined && Date.now() - left.mtimeMs > LOCK_UNWRITTEN_MS) await rm(guard, { force: true });
    await sleep(LOCK_POLL_MS);
    return;
  }
  try {
    if ((await readFile(path, 'utf8').catch(() => undefined)) === abandonedContent)
      await rm(path, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
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
