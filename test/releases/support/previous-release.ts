/**
 * A service's previous release, ready for the local cloud to run beside this checkout: the commit
 * contracts/released/releases.json records for it, extracted (git archive, so nothing is added to
 * this repository's worktrees) into a folder of the system's temporary directory that later runs
 * reuse. Its dependencies are this checkout's node_modules, linked in, where the commit's lockfile is
 * this checkout's; where it differs, the commit's own, installed there with npm ci (a release is
 * built with its own lockfile, and today's may lack a package it imports). The folder is this
 * checkout's own (named by the commit and this checkout's path) and is made again when this
 * checkout's installed packages change, so it never links to a node_modules that another clone had,
 * or that npm ci replaced. The local cloud then packages that checkout's
 * service folder (HERALD_SERVICE_DIR_<SERVICE> or its serviceDirs option) with that checkout's
 * shared code and plugin, and runs it in place of this one's.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from '@herald/local-cloud';
import type { ServiceName } from '@herald/local-cloud/client';

export interface PreviousRelease {
  service: ServiceName;
  commit: string;
  /** The extracted checkout of that commit. */
  checkout: string;
  /** Its folder of the service, for the local cloud's serviceDirs. */
  serviceDir: string;
  /**
   * The commit's lockfile differs from this checkout's: its own dependencies were installed in the
   * checkout (npm ci), rather than this checkout's linked.
   */
  lockfileDiffers: boolean;
}

interface ReleasesFile {
  services: Partial<Record<ServiceName, { commit: string }>>;
}

const READY = '.herald-release-ready';

export async function releasedCommit(service: ServiceName): Promise<string> {
  const file = JSON.parse(
    await readFile(join(repositoryRoot, 'contracts', 'released', 'releases.json'), 'utf8'),
  ) as ReleasesFile;
  const commit = file.services[service]?.commit;
  if (!commit) throw new Error(`contracts/released/releases.json has no previous release of ${service}`);
  return commit;
}

export async function previousRelease(service: ServiceName): Promise<PreviousRelease> {
  const commit = await releasedCommit(service);
  const checkout = join(tmpdir(), 'herald-releases', `${commit}-${digest(repositoryRoot).slice(0, 12)}`);
  const ready = `${commit}\n${digest(await readFile(join(repositoryRoot, 'node_modules', '.package-lock.json'), 'utf8'))}\n`;
  const current = existsSync(join(checkout, READY))
    ? await readFile(join(checkout, READY), 'utf8')
    : undefined;
  if (current !== ready) await extract(commit, checkout, ready);
  return {
    service,
    commit,
    checkout,
    serviceDir: join(checkout, 'services', service),
    lockfileDiffers: (await lockfile(checkout)) !== (await lockfile(repositoryRoot)),
  };
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');
const lockfile = (root: string): Promise<string> => readFile(join(root, 'package-lock.json'), 'utf8');

async function extract(commit: string, checkout: string, ready: string): Promise<void> {
  // Into a folder of its own first, renamed when complete: a run stopped half-way leaves no
  // checkout that looks ready.
  const partial = `${checkout}.${process.pid}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  // CI clones the whole history, so the commit is there; a shallow clone says so here.
  const archive = execFileSync('git', ['-C', repositoryRoot, 'archive', '--format=tar', commit], {
    maxBuffer: 512 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', partial], { input: archive });
  if ((await lockfile(partial)) === (await lockfile(repositoryRoot))) await linkNodeModules(partial);
  else {
    // From npm's cache, mostly: the lockfiles differ in a few packages. Scripts stay off, as in the
    // root install (npm runs only those allowed, and the functions need none).
    execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: partial,
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  }
  await writeFile(join(partial, READY), ready);
  await rm(checkout, { recursive: true, force: true });
  await rename(partial, checkout);
}

/**
 * node_modules as this checkout's, but with the workspace packages (@herald/*, links relative to
 * the root) resolving to the release's own: its shared code and serverless plugin, not today's.
 */
async function linkNodeModules(checkout: string): Promise<void> {
  const source = join(repositoryRoot, 'node_modules');
  const target = join(checkout, 'node_modules');
  await mkdir(target);
  for (const entry of await readdir(source)) {
    if (entry === '@herald') continue;
    await symlink(join(source, entry), join(target, entry));
  }
  await mkdir(join(target, '@herald'));
  for (const entry of await readdir(join(source, '@herald'))) {
    const link = await readlink(join(source, '@herald', entry));
    await symlink(link, join(target, '@herald', entry));
  }
  // A workspace's own node_modules (versions it needs apart from the root's).
  const folders = ['shared', 'scripts'];
  for (const top of ['packages', 'services']) {
    if (!existsSync(join(checkout, top))) continue;
    for (const entry of await readdir(join(checkout, top), { withFileTypes: true })) {
      if (entry.isDirectory()) folders.push(join(top, entry.name));
    }
  }
  for (const folder of folders) {
    const own = join(repositoryRoot, folder, 'node_modules');
    if (existsSync(own) && existsSync(join(checkout, folder))) {
      await symlink(own, join(checkout, folder, 'node_modules'));
    }
  }
}
