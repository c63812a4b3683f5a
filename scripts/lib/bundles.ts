/**
 * What a packaged function's bundle is made of, read from its source map: each source file esbuild
 * kept in the output is listed in `sources`, so the npm packages a bundle carries are the folders
 * after the last `node_modules/` of those paths. A source map lists only files that contributed
 * code, unlike esbuild's metafile (every file parsed, tree-shaken or not), and it is what the zip
 * ships, so no extra build output is needed.
 *
 * Used by `npm run check:bundles` (no package twice in one bundle, no bundle over SIZE_LIMIT times its
 * baseline) and `npm run bench -- bundles` (size and load time against the baseline).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { build } from 'esbuild';

/** At most this many times its baseline's size: what a function's own code and libraries may add. */
export const SIZE_LIMIT = 1.1;

/** One function of a packaged service, with the files `serverless package` left for it. */
export interface PackagedFunction {
  service: string;
  name: string;
  /** The bundle (.mjs) in the service's .esbuild/.build, as zipped. */
  bundle: string;
  /** Its source map, beside it. */
  map: string;
  /** The zip that deploys. */
  zip: string;
  /** Its environment variables as the stage resolved them (provider's and its own; plain values). */
  environment: Record<string, string>;
}

interface ServerlessState {
  service: {
    provider?: { environment?: Record<string, unknown> };
    functions: Record<
      string,
      { handler: string; package?: { artifact?: string }; environment?: Record<string, unknown> }
    >;
    custom?: { esbuild?: Record<string, unknown> };
  };
}

async function serverlessState(serviceDir: string): Promise<ServerlessState> {
  const path = join(serviceDir, '.serverless', 'serverless-state.json');
  const text = await readFile(path, 'utf8').catch(() => {
    throw new Error(`${path} is missing: run \`npm run package\` first`);
  });
  return JSON.parse(text) as ServerlessState;
}

/** Every function `serverless package` built for the service in serviceDir. */
export async function packagedFunctions(service: string, serviceDir: string): Promise<PackagedFunction[]> {
  const state = await serverlessState(serviceDir);
  // Values the stage leaves to CloudFormation (Ref, GetAtt) are not known here.
  const plain = (variables: Record<string, unknown> = {}) =>
    Object.fromEntries(
      Object.entries(variables).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  return Object.entries(state.service.functions).map(([name, fn]) => {
    // `src/handlers/accept-events.handler`: the file, then the export.
    const file = fn.handler.slice(0, fn.handler.lastIndexOf('.'));
    const bundle = join(serviceDir, '.esbuild', '.build', `${file}.mjs`);
    return {
      service,
      name,
      bundle,
      map: `${bundle}.map`,
      zip: join(serviceDir, fn.package?.artifact ?? join('.serverless', `${name}.zip`)),
      environment: { ...plain(state.service.provider?.environment), ...plain(fn.environment) },
    };
  });
}

/** serverless-esbuild's own settings, which it takes out before calling esbuild. */
const PLUGIN_SETTINGS = new Set([
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
]);

/** The esbuild options the service's functions were built with: serverless.shared.yml's, as the
 *  service resolved them, passed to esbuild the way serverless-esbuild passes them. */
export async function esbuildOptions(serviceDir: string): Promise<Record<string, unknown>> {
  const settings = (await serverlessState(serviceDir)).service.custom?.esbuild ?? {};
  const options = Object.fromEntries(Object.entries(settings).filter(([key]) => !PLUGIN_SETTINGS.has(key)));
  const extension = typeof settings.outputFileExtension === 'string' ? settings.outputFileExtension : '.js';
  return { ...options, outExtension: { '.js': extension } };
}

/** The npm package a file belongs to: the folder after the last node_modules/ (scoped names keep both
 *  parts), or undefined for the repository's own code. */
export function packageOf(file: string): { name: string; dir: string } | undefined {
  const marker = `${sep}node_modules${sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return undefined;
  const parts = file.slice(at + marker.length).split(sep);
  const name = parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : parts[0];
  if (!name || name.endsWith('/')) return undefined;
  return { name, dir: file.slice(0, at + marker.length) + name.split('/').join(sep) };
}

export interface SourceMap {
  sources: string[];
  sourcesContent?: (string | null)[];
}

export async function readSourceMap(path: string): Promise<SourceMap> {
  return JSON.parse(await readFile(path, 'utf8')) as SourceMap;
}

/** The absolute path of each source a map lists (they are relative to the map's folder). */
export function sourceFiles(mapPath: string, map: SourceMap): string[] {
  return map.sources.map((source) => resolve(dirname(mapPath), source));
}

/** Each npm package in a bundle, with every folder it was taken from. */
export function bundledPackages(files: readonly string[]): Map<string, Set<string>> {
  const packages = new Map<string, Set<string>>();
  for (const file of files) {
    const pkg = packageOf(file);
    if (!pkg) continue;
    const dirs = packages.get(pkg.name) ?? new Set<string>();
    dirs.add(pkg.dir);
    packages.set(pkg.name, dirs);
  }
  return packages;
}

export interface DuplicatePackage {
  name: string;
  copies: { dir: string; version: string }[];
}

/**
 * Packages a bundle carries more than once: taken from two folders of node_modules, whether their
 * versions differ (two AWS SDK clients whose commands and client do not match) or not (the same
 * code twice, from a workspace's own node_modules and from the root).
 */
export function duplicatePackages(
  packages: ReadonlyMap<string, ReadonlySet<string>>,
  versionOf: (dir: string) => string,
): DuplicatePackage[] {
  return [...packages]
    .filter(([, dirs]) => dirs.size > 1)
    .map(([name, dirs]) => ({
      name,
      copies: [...dirs].sort().map((dir) => ({ dir, version: versionOf(dir) })),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * What a function takes from the AWS SDK, as named imports per package: its clients, commands,
 * paginators and presigner, recognised by the files of theirs the bundle kept (each is a module of
 * its own in the SDK's dist-es). A baseline importing the same names gets the same SDK code. Only the
 * packages the code imports itself (`direct`) count: the clients of the credential chain (SSO, STS)
 * come with every client.
 */
export function sdkImports(files: readonly string[], direct: ReadonlySet<string>): Map<string, Set<string>> {
  const imports = new Map<string, Set<string>>();
  for (const file of files) {
    const pkg = packageOf(file);
    if (!pkg?.name.startsWith('@aws-sdk/') || !direct.has(pkg.name)) continue;
    const inner = file
      .slice(pkg.dir.length + 1)
      .split(sep)
      .join('/');
    const named =
      /^dist-es\/commands\/(\w+Command)\.js$/.exec(inner)?.[1] ??
      /^dist-es\/(\w+Client)\.js$/.exec(inner)?.[1] ??
      /^dist-es\/(getSignedUrl)\.js$/.exec(inner)?.[1] ??
      /^dist-es\/pagination\/(\w+)Paginator\.js$/.exec(inner)?.[1]?.replace(/^/, 'paginate');
    if (!named) continue;
    const names = imports.get(pkg.name) ?? new Set<string>();
    names.add(named);
    imports.set(pkg.name, names);
  }
  return imports;
}

/** A bare middy handler that imports (and keeps) the given AWS SDK names and does nothing else. */
export function baselineEntry(imports: ReadonlyMap<string, ReadonlySet<string>>): string {
  const modules = [...imports].sort(([a], [b]) => a.localeCompare(b));
  // Aliased: two packages export the same name (QueryCommand in client-dynamodb and lib-dynamodb).
  const aliased = modules.map(([module, set], index) => ({
    module,
    names: [...set].sort().map((name) => ({ name, alias: `${name}$${index}` })),
  }));
  return [
    "import middy from '@middy/core';",
    ...aliased.map(
      ({ module, names }) =>
        `import { ${names.map(({ name, alias }) => `${name} as ${alias}`).join(', ')} } from '${module}';`,
    ),
    // Exported so esbuild keeps them, as a function keeps what its adapters use.
    `export const sdk = [${aliased.flatMap(({ names }) => names.map(({ alias }) => alias)).join(', ')}];`,
    'export const handler = middy().handler(async () => sdk.length);',
    '',
  ].join('\n');
}

/** The packages the service's code and @herald/shared's may import (their manifests' dependencies). */
async function directDependencies(serviceDir: string): Promise<Set<string>> {
  const names = new Set<string>();
  for (const dir of [serviceDir, join(serviceDir, '..', '..', 'shared')]) {
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const name of Object.keys(manifest.dependencies ?? {})) names.add(name);
  }
  return names;
}

export interface Baseline {
  /** The baseline's bundle (.mjs). */
  bundle: string;
  /** The AWS SDK names it imports, per package: `client-sqs(3) lib-dynamodb(6)`. */
  sdk: string;
}

/**
 * Builds a function's baseline (baselineEntry with the SDK names its bundle kept) under the service's
 * .esbuild/bench-baseline with the function's own esbuild options, so packages resolve as its did.
 */
export async function buildBaseline(
  fn: PackagedFunction,
  serviceDir: string,
  options: Record<string, unknown>,
): Promise<Baseline> {
  const files = sourceFiles(fn.map, await readSourceMap(fn.map));
  const imports = sdkImports(files, await directDependencies(serviceDir));
  const dir = join(serviceDir, '.esbuild', 'bench-baseline');
  await mkdir(dir, { recursive: true });
  const entry = join(dir, `${fn.name}.js`);
  await writeFile(entry, baselineEntry(imports));
  await build({ ...options, absWorkingDir: serviceDir, entryPoints: [entry], outdir: join(dir, 'out') });
  const sdk = [...imports].map(([pkg, names]) => `${pkg.replace('@aws-sdk/', '')}(${names.size})`);
  return { bundle: join(dir, 'out', `${fn.name}.mjs`), sdk: sdk.join(' ') || '-' };
}

/** A bundle over SIZE_LIMIT times its baseline's bytes, said with both sizes; undefined within it. */
export function sizeProblem(bytes: number, baselineBytes: number, limit = SIZE_LIMIT): string | undefined {
  const ratio = bytes / baselineBytes;
  if (ratio <= limit) return undefined;
  const kb = (value: number) => `${(value / 1024).toFixed(1)} KB`;
  return (
    `is ${kb(bytes)}, ${ratio.toFixed(2)}x its baseline's ${kb(baselineBytes)} (a bare middy handler with ` +
    `the same AWS SDK clients): at most ${limit}x, ${kb(baselineBytes * limit)}`
  );
}

/**
 * What is wrong with one function's bundle, from its source map: a package it carries twice, or
 * sources embedded in the map (they tripled every zip; the files and lines a stack trace maps to
 * need only the map's names and mappings).
 */
export function bundleProblems(
  mapPath: string,
  map: SourceMap,
  versionOf: (dir: string) => string,
): string[] {
  const problems = duplicatePackages(bundledPackages(sourceFiles(mapPath, map)), versionOf).map(
    ({ name, copies }) =>
      `carries ${name} ${copies.length} times: ${copies.map(({ dir, version }) => `${version} from ${dir}`).join(', ')}`,
  );
  if (map.sourcesContent?.some((content) => content !== null))
    problems.push('its source map embeds the sources (sourcesContent)');
  return problems;
}

/** Median of a list of numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
