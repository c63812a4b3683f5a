// The checkout a stage is packaged in (scripts/lib/package-stage.ts): the service's folder copied, so
// `serverless package` empties and writes a .serverless/ and .esbuild/ of the copy's own, never the
// local cloud's, and everything else linked, so the copy builds from this repository's files.
import { existsSync, lstatSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { linkedCheckout } from '../lib/package-stage';

const repositoryRoot = join(import.meta.dirname, '..', '..');
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'package-stage-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test("the service's folder is a copy, without build output or tests", async () => {
  const dir = await linkedCheckout(root, 'tenants');
  expect(dir).toBe(join(root, 'services', 'tenants'));
  expect(lstatSync(dir).isSymbolicLink()).toBe(false);
  expect(lstatSync(join(dir, 'serverless.yml')).isFile()).toBe(true);
  expect(lstatSync(join(dir, 'src')).isDirectory()).toBe(true);
  for (const entry of ['.serverless', '.esbuild', 'test']) expect(existsSync(join(dir, entry))).toBe(false);
  expect(readdirSync(join(dir, 'src')).sort()).toEqual(
    readdirSync(join(repositoryRoot, 'services', 'tenants', 'src')).sort(),
  );
});

test("what the service's settings and code name resolves to this repository's files", async () => {
  const dir = await linkedCheckout(root, 'tenants');
  const real = (path: string) => realpathSync(join(dir, path));
  expect(real('../../serverless.shared.yml')).toBe(
    realpathSync(join(repositoryRoot, 'serverless.shared.yml')),
  );
  expect(real('../../stages/prod.yml')).toBe(realpathSync(join(repositoryRoot, 'stages', 'prod.yml')));
  expect(real('../../node_modules/@herald/shared')).toBe(realpathSync(join(repositoryRoot, 'shared')));
  expect(real('../processing')).toBe(realpathSync(join(repositoryRoot, 'services', 'processing')));
});

test("a service's own node_modules are linked, not copied (the console's)", async () => {
  const dir = await linkedCheckout(root, 'console');
  expect(lstatSync(join(dir, 'node_modules')).isSymbolicLink()).toBe(true);
});
