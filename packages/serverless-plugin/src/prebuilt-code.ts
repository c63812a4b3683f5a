/**
 * Prebuilt code for `serverless offline start` under the local cloud. The local cloud packages every
 * service before it starts it (`serverless package`, which serverless-esbuild builds into
 * `.esbuild/.build` and keeps there), so serverless-offline has no reason to bundle anything again.
 * Each service's `plugins` list names its bundler as `${env:HERALD_BUNDLER, 'serverless-esbuild'}`;
 * the local cloud sets HERALD_BUNDLER to this package's `prebuilt` entry (prebuilt-plugin.ts), which
 * points serverless-offline at that build and loads no bundler at all. serverless-esbuild, even
 * with every function skipped, held about 100 MB in each service's serverless-offline process
 * (its Effect runtime alone), and one esbuild process besides.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/** The parts of a function's configuration this reads. */
export interface BuildableFunction {
  handler?: string;
}

/** serverless-esbuild's options as `custom.esbuild` holds them. */
export interface EsbuildSettings {
  outputWorkFolder?: string;
  outputFileExtension?: string;
}

/** Where `serverless package` left the build: serverless-esbuild's `<outputWorkFolder>/.build`. */
export function buildLocation(esbuild: EsbuildSettings = {}): string {
  return join(esbuild.outputWorkFolder ?? '.esbuild', '.build');
}

/**
 * The handler modules missing from the build serverless-offline will run (`location`, relative to the
 * service's folder or absolute): none, unless the package was removed or never made.
 */
export function missingHandlerModules(
  serviceDir: string,
  location: string,
  functions: BuildableFunction[],
  extension: string,
): string[] {
  const codeDir = isAbsolute(location) ? location : resolve(serviceDir, location);
  return functions
    .flatMap((fn) => (typeof fn.handler === 'string' ? [fn.handler] : []))
    .map((handler) => join(codeDir, `${handler.slice(0, handler.lastIndexOf('.'))}${extension}`))
    .filter((module) => !existsSync(module));
}
