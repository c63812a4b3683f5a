/**
 * Prebuilt code for `serverless offline start` under the local cloud. The local cloud packages every
 * service before it starts it (`serverless package`, which serverless-esbuild builds into
 * `.esbuild/.build` and keeps there), so serverless-offline has no reason to bundle every function
 * again: that doubled the start-up's bundling and left one esbuild service process per service
 * holding 0.4-1.7 GB for as long as the local cloud ran. With HERALD_PREBUILT_CODE=1 every function is
 * marked `skipEsbuild` (serverless-esbuild's own switch for functions it must not build), its watcher
 * watches nothing (the local cloud watches the sources and packages again), and serverless-offline
 * runs the package's build, which must then be there.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

export const PREBUILT_CODE_VARIABLE = 'HERALD_PREBUILT_CODE';

/** The parts of a function's configuration this reads or sets. */
export interface BuildableFunction {
  handler?: string;
  skipEsbuild?: boolean;
}

/** serverless-esbuild's options as `custom.esbuild` holds them. */
export interface EsbuildSettings {
  outputFileExtension?: string;
  watch?: { pattern?: string | string[]; ignore?: string | string[] };
}

export function prebuiltCodeWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[PREBUILT_CODE_VARIABLE] === '1';
}

/** Before serverless-esbuild reads its options (its `initialize` hook, after this plugin's). */
export function skipBundling(functions: BuildableFunction[], esbuild: EsbuildSettings): void {
  for (const fn of functions) fn.skipEsbuild = true;
  esbuild.watch = { ...esbuild.watch, pattern: [] };
}

/**
 * The handler modules missing from the build serverless-offline will run (`codeDir`, where
 * serverless-esbuild pointed it): none, unless the package was removed or never made.
 */
export function missingHandlerModules(
  serviceDir: string,
  location: string | undefined,
  functions: BuildableFunction[],
  extension: string,
): string[] {
  const codeDir = isAbsolute(location ?? '') ? location! : resolve(serviceDir, location ?? '');
  return functions
    .flatMap((fn) => (typeof fn.handler === 'string' ? [fn.handler] : []))
    .map((handler) => join(codeDir, `${handler.slice(0, handler.lastIndexOf('.'))}${extension}`))
    .filter((module) => !existsSync(module));
}
