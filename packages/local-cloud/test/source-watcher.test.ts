// npm start's reload: which services a changed file is an input of, and the watcher itself on a real
// folder (fs.watch): a burst of saves is one rebuild, a change that leaves the package as it was
// reloads nothing, and a failed rebuild is reported while the old code runs on.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { ServiceName } from '../src/config';
import { servicesAffected, watchSources, type SourceWatcher } from '../src/source-watcher';

const SERVICES: ServiceName[] = ['processing', 'ingest', 'notifications'];

describe('servicesAffected', () => {
  test.each([
    ['services/ingest/src/handlers/accept-events.ts', ['ingest']],
    ['services/notifications/serverless.yml', ['notifications']],
    ['shared/src/entry/http.ts', SERVICES],
    ['packages/serverless-plugin/src/plugin.ts', SERVICES],
    ['serverless.shared.yml', SERVICES],
    ['package-lock.json', SERVICES],
  ])('%s → %j', (path, services) => {
    expect(servicesAffected(path, SERVICES)).toEqual(services);
  });

  test.each([
    'services/ingest/test/accept-events.test.ts',
    'services/ingest/.esbuild/.build/src/handlers/accept-events.mjs',
    'services/ingest/.serverless/cloudformation-template-update-stack.json',
    'shared/node_modules/x/index.js',
    'packages/local-cloud/src/local-cloud.ts',
    'services/ingest/Heap.20261201.054712.17938.0.001.heapsnapshot',
    'services/ingest/CPU.20261201.055336.19343.0.001.cpuprofile',
    'services/notifications/report.20261201.060000.123.0.001.json',
    'shared/debug.log',
    'README.md',
    'services/ingest',
  ])('%s → none', (path) => {
    expect(servicesAffected(path, SERVICES)).toEqual([]);
  });
});

describe('watchSources', () => {
  let root: string;
  let watcher: SourceWatcher | undefined;
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'source-watcher-'));
    for (const service of SERVICES) write(`services/${service}/src/handler.ts`, 'export {};\n');
    write('shared/src/index.ts', 'export {};\n');
    write('packages/serverless-plugin/src/plugin.ts', 'export {};\n');
  });
  afterEach(async () => {
    await watcher?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const until = async (what: string, check: () => boolean) => {
    for (let i = 0; i < 250 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    if (!check()) throw new Error(`never: ${what}`);
  };

  function start(repackage: (service: ServiceName) => Promise<boolean>) {
    const reloads: string[] = [];
    const lines: string[] = [];
    watcher = watchSources({
      root,
      services: SERVICES,
      repackage,
      reload: async (service, reason) => void reloads.push(`${service}: ${reason}`),
      log: (line) => lines.push(line),
      settleMs: 100,
    });
    return { reloads, lines };
  }

  test('a burst of saves in one service packages and reloads that service once', async () => {
    const packaged: string[] = [];
    const { reloads, lines } = start(async (service) => (packaged.push(service), true));
    for (let i = 0; i < 5; i++) write('services/ingest/src/handler.ts', `export const n = ${i};\n`);
    await until('a reload', () => reloads.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(packaged).toEqual(['ingest']);
    expect(reloads).toEqual(['ingest: sources changed']);
    expect(lines[0]).toMatch(/^ingest: sources changed, packaged again in \d+\.\d s$/);
  });

  test('a change to the shared package rebuilds every service, one after another', async () => {
    let running = 0;
    let most = 0;
    const { reloads } = start(async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 30));
      running--;
      return true;
    });
    write('shared/src/index.ts', 'export const changed = true;\n');
    await until('three reloads', () => reloads.length === 3);
    expect(reloads.map((line) => line.split(':')[0]).sort()).toEqual([...SERVICES].sort());
    expect(most).toBe(1);
  });

  test('a change the package does not see (inputs unchanged) reloads nothing; tests are not inputs', async () => {
    const packaged: string[] = [];
    const { reloads } = start(async (service) => (packaged.push(service), false));
    write('services/processing/src/handler.ts', 'export {};\n');
    write('services/processing/test/handler.test.ts', 'test\n');
    await until('a package attempt', () => packaged.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(packaged).toEqual(['processing']);
    expect(reloads).toEqual([]);
  });

  test('a failed package is reported with its output, and nothing is reloaded', async () => {
    const { reloads, lines } = start(async () => {
      throw new Error('serverless package failed for notifications (exit 1):\nERROR: Expected ";"');
    });
    write('services/notifications/src/handler.ts', 'export const = ;\n');
    await until('the failure is reported', () => lines.length > 0);
    expect(lines[0]).toMatch(
      /^notifications: sources changed but it could not be rebuilt; the previous code runs on/,
    );
    expect(lines[0]).toContain('Expected ";"');
    expect(reloads).toEqual([]);
  });
});
