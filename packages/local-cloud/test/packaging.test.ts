// What decides whether the local cloud packages a service again: one hash of every input file's path
// and content. It moves when the service's code, the shared package, the plugin, the shared settings or
// the lockfile change, and stays when only tests or build output change.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { packageInputsHash } from '../src/packaging';

let root: string;
const write = (path: string, content: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
};
const hash = () => packageInputsHash(root, 'ingest');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'packaging-'));
  write('services/ingest/serverless.yml', 'service: herald-ingest\n');
  write('services/ingest/src/handlers/accept.ts', 'export const handler = 1;\n');
  write('services/ingest/test/accept.test.ts', 'test\n');
  write('services/processing/src/handlers/consume.ts', 'export const handler = 2;\n');
  write('shared/src/signing.ts', 'export {};\n');
  write('packages/serverless-plugin/src/plugin.ts', 'export {};\n');
  write('serverless.shared.yml', 'esbuild: {}\n');
  write('package-lock.json', '{}\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('packageInputsHash', () => {
  test('is the same for the same files', async () => {
    expect(await hash()).toBe(await hash());
  });

  test.each([
    ['the service code', 'services/ingest/src/handlers/accept.ts'],
    ['the service settings', 'services/ingest/serverless.yml'],
    ['the shared package', 'shared/src/signing.ts'],
    ['the osls plugin', 'packages/serverless-plugin/src/plugin.ts'],
    ['the shared settings', 'serverless.shared.yml'],
    ['the lockfile', 'package-lock.json'],
  ])('changes when %s changes', async (_, path) => {
    const before = await hash();
    write(path, 'changed\n');
    expect(await hash()).not.toBe(before);
  });

  test('changes when a file is added or renamed', async () => {
    const before = await hash();
    write('services/ingest/src/new.ts', 'export {};\n');
    const added = await hash();
    expect(added).not.toBe(before);
    renameSync(join(root, 'services/ingest/src/new.ts'), join(root, 'services/ingest/src/renamed.ts'));
    expect(await hash()).not.toBe(added);
  });

  test.each([
    ['a test', 'services/ingest/test/accept.test.ts'],
    ['a shared test', 'shared/test/signing.test.ts'],
    ['the last package', 'services/ingest/.serverless/cloudformation-template-update-stack.json'],
    ['the esbuild output', 'services/ingest/.esbuild/.build/src/handlers/accept.mjs'],
    ['an installed module', 'services/ingest/node_modules/x/index.js'],
    ['another service', 'services/processing/src/handlers/consume.ts'],
    ['a heap snapshot Node wrote', 'services/ingest/Heap.20261201.054712.17938.0.001.heapsnapshot'],
    ['a CPU profile Node wrote', 'services/ingest/CPU.20261201.055336.19343.0.001.cpuprofile'],
    ['a log', 'services/ingest/offline.log'],
  ])('stays when only %s changes', async (_, path) => {
    const before = await hash();
    write(path, 'changed\n');
    expect(await hash()).toBe(before);
  });
});
