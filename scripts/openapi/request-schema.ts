/**
 * Which JSON Schema a route's handler validates its request with: the `*.validator.generated` module
 * its httpHandler is given, found in the handler's own source, or in the shared factory the handler
 * delegates to (`export const createHandler = inspectDeadLettersHandler`, imported from
 * @herald/shared). The schema is the validator's `<name>.schema.json` beside it.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';

export interface HandlerSource {
  /** The schema file, relative to the repository root; undefined when the handler validates nothing. */
  schemaFile: string | undefined;
  /** Whether the route runs in the shared HTTP stack (auth, body parsing, problem responses). */
  httpHandler: boolean;
}

const importOf = (source: string, name: string): string | undefined =>
  new RegExp(String.raw`import\s+(?:\{[^}]*\b${name}\b[^}]*\}|${name})\s+from\s+'([^']+)'`).exec(source)?.[1];

/** The validator a module hands httpHandler within `scope` (the whole module, or one function). */
function validatorIn(scope: string, source: string): string | undefined {
  const name = /validator:\s*(\w+)/.exec(scope)?.[1];
  return name === undefined ? undefined : importOf(source, name);
}

/** A module specifier as a file, relative to the root: relative paths, and @herald/shared/<x>. */
function resolveModule(specifier: string, fromFile: string): string {
  if (specifier.startsWith('@herald/shared/'))
    return `shared/src/${specifier.slice('@herald/shared/'.length)}`;
  if (specifier.startsWith('.')) return normalize(join(dirname(fromFile), specifier));
  throw new Error(`${fromFile}: cannot follow ${specifier}`);
}

const schemaOf = (validatorModule: string) =>
  validatorModule.replace(/\.validator\.generated(\.js)?$/, '.schema.json');

/** The handler's request schema; `handlerFile` is relative to the root. */
export async function handlerSource(root: string, handlerFile: string): Promise<HandlerSource> {
  const source = await readFile(join(root, handlerFile), 'utf8');
  const direct = validatorIn(source, source);
  if (direct !== undefined) {
    return { schemaFile: schemaOf(resolveModule(direct, handlerFile)), httpHandler: true };
  }
  const factory = /export const createHandler = (\w+);/.exec(source)?.[1];
  const factoryModule = factory === undefined ? undefined : importOf(source, factory);
  if (factory !== undefined && factoryModule !== undefined) {
    const file = `${resolveModule(factoryModule, handlerFile)}.ts`;
    const shared = await readFile(join(root, file), 'utf8');
    const start = shared.indexOf(`export function ${factory}(`);
    if (start < 0) throw new Error(`${file} does not export function ${factory}`);
    const end = shared.indexOf('\nexport ', start + 1);
    const validator = validatorIn(shared.slice(start, end < 0 ? undefined : end), shared);
    return {
      schemaFile: validator === undefined ? undefined : schemaOf(resolveModule(validator, file)),
      httpHandler: true,
    };
  }
  return { schemaFile: undefined, httpHandler: /\bhttpHandler\(/.test(source) };
}
