// Under the local cloud, serverless-offline runs what `serverless package` built: the bundler's place
// in `plugins` is taken by a stand-in that loads no bundler, points serverless-offline at the build,
// names a build that is not there (which module, and what to run) rather than failing on the first
// request, and refuses to package.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { buildLocation, missingHandlerModules } from '../src/prebuilt-code';
import PrebuiltCodePlugin from '../src/prebuilt-plugin';

class OslsError extends Error {}
const oslsValidateConfig = async () => {};

function osls(serviceDir: string, custom: Record<string, unknown> = {}) {
  const functions: Record<string, { handler?: string }> = {
    acceptEvents: { handler: 'src/handlers/accept-events.handler' },
  };
  return {
    serviceDir,
    classes: { Error: OslsError },
    config: { serverlessPath: join(serviceDir, 'osls', 'lib') },
    configSchemaHandler: { schema: {}, validateConfig: oslsValidateConfig },
    service: {
      custom: custom as { 'serverless-offline'?: { location?: string } },
      getAllFunctions: () => Object.keys(functions),
      getFunction: (name: string) => functions[name]!,
    },
  };
}

describe('prebuilt code', () => {
  test("the build is serverless-esbuild's <outputWorkFolder>/.build", () => {
    expect(buildLocation()).toBe(join('.esbuild', '.build'));
    expect(buildLocation({ outputWorkFolder: 'out' })).toBe(join('out', '.build'));
  });

  describe('missingHandlerModules', () => {
    let serviceDir: string;
    beforeEach(() => {
      serviceDir = mkdtempSync(join(tmpdir(), 'prebuilt-'));
      mkdirSync(join(serviceDir, '.esbuild/.build/src/handlers'), { recursive: true });
      writeFileSync(join(serviceDir, '.esbuild/.build/src/handlers/accept-events.mjs'), '');
    });
    afterEach(() => rmSync(serviceDir, { recursive: true, force: true }));

    test('none when each handler module is in the build, relative or absolute location', () => {
      const functions = [{ handler: 'src/handlers/accept-events.handler' }, {}];
      expect(missingHandlerModules(serviceDir, '.esbuild/.build', functions, '.mjs')).toEqual([]);
      expect(
        missingHandlerModules(serviceDir, join(serviceDir, '.esbuild/.build'), functions, '.mjs'),
      ).toEqual([]);
    });

    test('names each module that is not there, with the build extension', () => {
      const functions = [
        { handler: 'src/handlers/accept-events.handler' },
        { handler: 'src/handlers/create-upload.handler' },
      ];
      expect(missingHandlerModules(serviceDir, '.esbuild/.build', functions, '.mjs')).toEqual([
        join(serviceDir, '.esbuild/.build/src/handlers/create-upload.mjs'),
      ]);
      expect(missingHandlerModules(serviceDir, '.esbuild/.build', functions, '.js')).toHaveLength(2);
    });
  });

  describe('the stand-in plugin', () => {
    let serviceDir: string;
    const notices: string[] = [];
    const utils = { log: { notice: (message: string) => notices.push(message) } };
    beforeEach(() => {
      serviceDir = mkdtempSync(join(tmpdir(), 'prebuilt-'));
      notices.length = 0;
    });
    afterEach(() => rmSync(serviceDir, { recursive: true, force: true }));

    test("points serverless-offline at the package's build and says so", () => {
      mkdirSync(join(serviceDir, '.esbuild/.build/src/handlers'), { recursive: true });
      writeFileSync(join(serviceDir, '.esbuild/.build/src/handlers/accept-events.mjs'), '');
      const serverless = osls(serviceDir, { esbuild: { outputFileExtension: '.mjs' } });
      new PrebuiltCodePlugin(serverless, {}, utils).hooks['before:offline:start:init']!();
      expect(serverless.service.custom['serverless-offline']).toEqual({
        location: join('.esbuild', '.build'),
      });
      expect(notices).toEqual([expect.stringContaining('nothing is bundled again')]);
    });

    test('keeps a location set in custom, and checks the build there', () => {
      mkdirSync(join(serviceDir, 'elsewhere/src/handlers'), { recursive: true });
      writeFileSync(join(serviceDir, 'elsewhere/src/handlers/accept-events.js'), '');
      const serverless = osls(serviceDir, { 'serverless-offline': { location: 'elsewhere' } });
      new PrebuiltCodePlugin(serverless, {}, utils).hooks['before:offline:start:init']!();
      expect(serverless.service.custom['serverless-offline']).toEqual({ location: 'elsewhere' });
    });

    test('a build that is not there stops the start, naming the module and the command', () => {
      const serverless = osls(serviceDir, { esbuild: { outputFileExtension: '.mjs' } });
      const start = new PrebuiltCodePlugin(serverless, {}, utils).hooks['before:offline:start:init']!;
      expect(start).toThrow(OslsError);
      expect(start).toThrow(/accept-events\.mjs.*npm run package/);
    });

    test('has osls validate the configuration in a process of its own (config-validation.ts)', () => {
      const serverless = osls(serviceDir);
      new PrebuiltCodePlugin(serverless, {}, utils);
      expect(serverless.configSchemaHandler.validateConfig).not.toBe(oslsValidateConfig);
    });

    test('refuses to package: it bundles nothing', () => {
      const plugin = new PrebuiltCodePlugin(osls(serviceDir), {}, utils);
      expect(plugin.hooks['before:package:createDeploymentArtifacts']).toThrow(/unset HERALD_BUNDLER/);
    });
  });
});
