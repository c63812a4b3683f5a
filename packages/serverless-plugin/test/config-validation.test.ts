// Under the local cloud, osls validates each service's configuration in a short-lived process, so
// serverless-offline does not keep the 9 MB validator for as long as it runs: the same coercions as
// osls's own validation, the same errors, and the validator never in serverless-offline's process.
// osls itself runs in a process the test starts (fixture/validate-config.ts).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, test } from '@jest/globals';
import { applyCoercions } from '../src/config-validation';

const fixture = join(import.meta.dirname, 'fixture', 'validate-config.ts');

interface Validated {
  config: {
    provider: { environment?: Record<string, unknown> };
    functions: Record<string, { environment?: Record<string, unknown>; timeout?: unknown }>;
  };
  functionsInPlace: boolean;
  largeObjectGrowth: number;
  error?: string;
}

async function validate(config: object, ...flags: string[]): Promise<Validated> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', fixture, JSON.stringify(config), ...flags],
    { cwd: import.meta.dirname, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Validated;
}

const service = () => ({
  service: 'herald-test',
  provider: { name: 'aws', runtime: 'nodejs22.x', environment: { LIMIT: 10 } },
  functions: {
    accept: {
      handler: 'src/accept.handler',
      timeout: 6,
      environment: { MAX_BODY_BYTES: 1048576 },
    },
  },
});

const MiB = 1024 * 1024;

describe('applyCoercions', () => {
  test('copies what differs onto the target, keeping its objects and arrays in place', () => {
    const environment = { MAX: 5, NAME: 'x' };
    const fn = { handler: 'h.handler', environment };
    const target = { functions: { accept: fn }, resources: { A: { DependsOn: 'B' } }, layers: ['l1'] };
    applyCoercions(target, {
      functions: { accept: { handler: 'h.handler', environment: { MAX: '5', NAME: 'x' } } },
      resources: { A: { DependsOn: ['B'] } },
      layers: ['l1'],
    });
    expect(target.functions.accept).toBe(fn);
    expect(fn.environment).toBe(environment);
    expect(environment).toEqual({ MAX: '5', NAME: 'x' });
    expect(target.resources.A).toEqual({ DependsOn: ['B'] });
    expect(target.layers).toEqual(['l1']);
  });
});

describe('validateApart, with osls', () => {
  test('coerces as osls does, in place, without the validator in this process', async () => {
    const [apart, here] = await Promise.all([validate(service()), validate(service(), '--in-this-process')]);
    expect(apart.error).toBeUndefined();
    expect(apart.config).toEqual(here.config);
    expect(apart.config.functions.accept!.environment).toEqual({ MAX_BODY_BYTES: '1048576' });
    expect(apart.config.provider.environment).toEqual({ LIMIT: '10' });
    expect(apart.config.functions.accept!.timeout).toBe(6);
    expect(apart.functionsInPlace).toBe(true);
    // The validator's one function: its source, bytecode and code stay where it ran.
    expect(here.largeObjectGrowth).toBeGreaterThan(8 * MiB);
    expect(apart.largeObjectGrowth).toBeLessThan(2 * MiB);
  }, 120_000);

  test('an invalid configuration fails with osls’s own error', async () => {
    const invalid = { ...service(), provider: { name: 'aws', runtime: 42 } };
    const [apart, here] = await Promise.all([validate(invalid), validate(invalid, '--in-this-process')]);
    expect(apart.error).toMatch(/^Configuration error at 'provider\.runtime'/);
    expect(apart.error).toBe(here.error);
  }, 120_000);
});

describe('validateApart, keeping the outcome', () => {
  test('a valid outcome is read back while the configuration is the same, and only then', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'herald-validation-'));
    const cacheFile = join(dir, 'validated');
    try {
      const first = await validate(service(), '--cache-file', cacheFile);
      expect(first.error).toBeUndefined();
      expect(first.config.functions.accept!.environment).toEqual({ MAX_BODY_BYTES: '1048576' });

      // Mark what the file holds, to tell an outcome read back from one validated again.
      const kept = deserialize(await readFile(cacheFile)) as { key: string; config: Validated['config'] };
      kept.config.functions.accept!.environment = { MAX_BODY_BYTES: 'from the file' };
      await writeFile(cacheFile, serialize(kept));
      const again = await validate(service(), '--cache-file', cacheFile);
      expect(again.config.functions.accept!.environment).toEqual({ MAX_BODY_BYTES: 'from the file' });
      expect(again.functionsInPlace).toBe(true);

      const changed = service();
      changed.functions.accept.timeout = 7;
      const validatedAgain = await validate(changed, '--cache-file', cacheFile);
      expect(validatedAgain.config.functions.accept!.environment).toEqual({ MAX_BODY_BYTES: '1048576' });
      expect(validatedAgain.config.functions.accept!.timeout).toBe(7);
      expect((deserialize(await readFile(cacheFile)) as { key: string }).key).not.toBe(kept.key);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  test('an outcome that cannot be kept leaves nothing beside it, and the configuration is validated', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'herald-validation-'));
    // A directory where the file should go: the rename into place fails.
    const cacheFile = join(dir, 'validated');
    await mkdir(join(cacheFile, 'taken'), { recursive: true });
    try {
      const result = await validate(service(), '--cache-file', cacheFile);
      expect(result.error).toBeUndefined();
      expect(result.config.functions.accept!.environment).toEqual({ MAX_BODY_BYTES: '1048576' });
      expect(await readdir(dir)).toEqual(['validated']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  test('an invalid configuration is not kept, and fails as before', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'herald-validation-'));
    const cacheFile = join(dir, 'validated');
    try {
      const invalid = { ...service(), provider: { name: 'aws', runtime: 42 } };
      const result = await validate(invalid, '--cache-file', cacheFile);
      expect(result.error).toMatch(/^Configuration error at 'provider\.runtime'/);
      expect(existsSync(cacheFile)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
