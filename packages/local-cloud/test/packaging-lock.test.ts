// Packagings of one service's folder take turns across processes (withPackagingLock): two processes
// that each empty .serverless/ and write a package there, started together, each read back whole what
// they wrote, where without the lock they break each other's. packageService waits for the lock, then
// finds the package the other process made, and a lock left by a process that died is taken over.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { packageInputsHash, packageService, packagingLockPath, withPackagingLock } from '../src/packaging';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'package-in-turn.ts');

let root: string;
let dir: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'packaging-lock-'));
  dir = join(root, 'services', 'ingest');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'serverless.yml'), 'service: herald-ingest\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Two stand-in packagings of `dir`, each in its own process, told to start at the same moment. */
async function packageTwiceAtOnce(mode: 'locked' | 'unlocked'): Promise<string[]> {
  const children = ['a', 'b'].map((name) =>
    spawn(process.execPath, ['--import', 'tsx', FIXTURE, dir, name, mode], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const outputs = children.map((child) => {
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    const ready = new Promise<void>((resolve) => {
      const check = () => (output.includes('ready\n') ? resolve() : undefined);
      child.stdout.on('data', check);
    });
    const done = new Promise<string>((resolve) => child.on('close', () => resolve(output)));
    return { ready, done };
  });
  await Promise.all(outputs.map((o) => o.ready));
  for (const child of children) child.stdin.write('go\n');
  const results = await Promise.all(outputs.map((o) => o.done));
  return results.map((output) => output.replace('ready\n', '').trim());
}

describe('withPackagingLock', () => {
  test('two packagings of one folder from two processes at once take turns: each package is whole', async () => {
    expect(await packageTwiceAtOnce('locked')).toEqual(['whole', 'whole']);
    expect(existsSync(packagingLockPath(dir))).toBe(false);
  }, 30_000);

  test('without it, the same two packagings break each other (what the lock is for)', async () => {
    expect(await packageTwiceAtOnce('unlocked')).toContain('broken');
  }, 30_000);

  test('a lock left by a process that died is taken over', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    mkdirSync(dirname(packagingLockPath(dir)), { recursive: true });
    writeFileSync(packagingLockPath(dir), `${dead} left\n`);
    expect(await withPackagingLock(dir, async () => 'ran')).toBe('ran');
    expect(existsSync(packagingLockPath(dir))).toBe(false);
  });
});

describe('packageService', () => {
  test('waits for the lock, then finds the package the holder made and packages nothing', async () => {
    let release!: () => void;
    let made!: () => void;
    // The holder's own work (hashing the inputs) can take longer than the wait below on a busy
    // machine: the wait starts only once the holder has made its package and holds the lock idle.
    const holderMade = new Promise<void>((resolve) => (made = resolve));
    let packaged: Promise<boolean> | undefined;
    const held = withPackagingLock(dir, async () => {
      packaged = packageService('ingest', 'local', { dir });
      // Meanwhile the holder makes the package that is current (its key, its build).
      const inputs = await packageInputsHash(root, 'ingest');
      mkdirSync(join(dir, '.serverless'), { recursive: true });
      mkdirSync(join(dir, '.esbuild', '.build'), { recursive: true });
      writeFileSync(
        join(dir, '.serverless', 'herald-package-key.json'),
        JSON.stringify({ stage: 'local', inputs }),
      );
      await new Promise<void>((resolve) => {
        release = resolve;
        made();
      });
    });
    await holderMade;
    const settled = await Promise.race([
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 500)),
      // Without the lock it would have run `serverless package` on this folder, and failed.
      (async () => {
        while (packaged === undefined) await new Promise((r) => setTimeout(r, 10));
        return packaged.then(
          () => 'resolved',
          () => 'failed',
        );
      })(),
    ]);
    expect(settled).toBe('waiting');
    release();
    await held;
    expect(await packaged).toBe(false);
  });
});
