// osls loads the plugin with require(), compiled by tsx as it loads (typescript.cjs). What tsx compiled
// once must come from its cache in every later process: every serverless-offline start loads the
// plugin, and compiling it anew cost one esbuild process per module.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@jest/globals';

const packageDir = join(import.meta.dirname, '..');

test('a second process loading the plugins compiles nothing: all from tsx’s cache', async () => {
  // tsx keeps its cache under the system's temporary directory: one of the test's own.
  const temporary = await mkdtemp(join(tmpdir(), 'herald-tsx-cache-'));
  const load = () =>
    promisify(execFile)(
      process.execPath,
      [
        '-e',
        "for (const p of ['./index.cjs', './prebuilt.cjs']) if (typeof require(p) !== 'function') process.exit(1)",
      ],
      { cwd: packageDir, env: { ...process.env, TMPDIR: temporary } },
    );
  const cached = async () => {
    const [cacheDir] = (await readdir(temporary)).filter((name) => name.startsWith('tsx'));
    return cacheDir === undefined ? [] : readdir(join(temporary, cacheDir));
  };
  try {
    await load();
    const first = await cached();
    // Both plugins and the modules they import.
    expect(first.length).toBeGreaterThan(10);
    await load();
    expect((await cached()).sort()).toEqual(first.sort());
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}, 60_000);
