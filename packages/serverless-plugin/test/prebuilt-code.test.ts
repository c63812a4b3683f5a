// Under the local cloud, serverless-offline runs what `serverless package` built: every function is
// marked for serverless-esbuild to skip and its watcher watches nothing, and a build that is not
// there is named (which module, and what to run) rather than failing on the first request.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import {
  missingHandlerModules,
  prebuiltCodeWanted,
  skipBundling,
  type BuildableFunction,
} from '../src/prebuilt-code';

describe('prebuilt code', () => {
  test('only HERALD_PREBUILT_CODE=1 asks for it', () => {
    expect(prebuiltCodeWanted({ HERALD_PREBUILT_CODE: '1' })).toBe(true);
    expect(prebuiltCodeWanted({})).toBe(false);
    expect(prebuiltCodeWanted({ HERALD_PREBUILT_CODE: '0' })).toBe(false);
  });

  test('every function is skipped by serverless-esbuild and its watcher watches no pattern', () => {
    const functions: BuildableFunction[] = [
      { handler: 'src/handlers/a.handler' },
      { handler: 'src/handlers/b.handler' },
    ];
    const esbuild = { outputFileExtension: '.mjs', watch: { ignore: ['dist'] } };
    skipBundling(functions, esbuild);
    expect(functions.every((fn) => fn.skipEsbuild === true)).toBe(true);
    expect(esbuild.watch).toEqual({ ignore: ['dist'], pattern: [] });
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
});
