/**
 * osls validates a service's configuration against its JSON schema before any command runs. The
 * validator is one generated module of about 9 MB (cached in ~/.serverless/artifacts), and osls keeps
 * it for the life of the process: its source, bytecode and code, and what compiling it took. In each
 * serverless-offline process the local cloud runs, which never validates again, that was about 65 MiB
 * of resident memory.
 *
 * `validateApart` runs osls's own validation (its `ConfigSchemaHandler`, on the schema the plugins
 * extended) in a short-lived process: everything it took goes back to the system when it exits (a
 * worker thread's did not all: glibc kept the thread's freed heap). The validation also coerces values
 * in place (`coerceTypes: 'array'`: a number in `environment` becomes a string, a lone `DependsOn`
 * an array), so what the child coerced is copied back onto the configuration. A configuration the
 * child finds invalid, or a child that fails, is validated again in this process, so osls reports the
 * errors, and applies `configValidationMode`, exactly as it does itself.
 *
 * Validating took about 2.5 s of CPU in each of those processes, four of them at once on every
 * `npm start`, for an outcome that only the schema and the configuration decide. So a valid outcome
 * is kept in a file (the service's .serverless/, which packaging empties), under a hash of both and of
 * osls's and ajv's versions: a start whose configuration has not changed reads it instead.
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';

/** The part of osls's ConfigSchemaHandler this uses. */
export interface ConfigSchemaHandler {
  schema: unknown;
  validateConfig(config: object): Promise<void>;
}

interface ChildResult {
  valid?: boolean;
  config?: Record<string, unknown>;
  error?: string;
}

// Plain CommonJS for the child (no tsx there): osls's handler, with its validation errors not
// reported (`off`); whether it found any is what getConfigurationValidationResult answers.
const CHILD_SOURCE = `
process.once('message', ({ handlerModule, schema, config }) => {
  const ConfigSchemaHandler = require(handlerModule);
  const handler = Object.create(ConfigSchemaHandler.prototype);
  const configurationInput = {};
  handler.serverless = { configurationInput, service: { configValidationMode: 'off' } };
  handler.schema = schema;
  const answer = (result) => process.send(result, () => process.disconnect());
  handler.validateConfig(config).then(
    () => answer({
      valid: ConfigSchemaHandler.getConfigurationValidationResult(configurationInput) === true,
      config,
    }),
    (error) => answer({ error: String((error && error.stack) || error) }),
  );
});
`;

/**
 * Makes `handler` validate in a process of its own from now on (`serverlessPath`: osls's `lib`
 * directory), keeping a valid outcome in `cacheFile` when one is given.
 */
export function validateApart(
  handler: ConfigSchemaHandler,
  serverlessPath: string,
  cacheFile?: string,
): void {
  const inThisProcess = handler.validateConfig.bind(handler);
  const handlerModule = join(serverlessPath, 'classes', 'config-schema-handler', 'index.js');
  handler.validateConfig = async (config) => {
    const kept =
      cacheFile === undefined
        ? undefined
        : { file: cacheFile, key: cacheKey(serverlessPath, handler.schema, config) };
    const cached = kept?.key === undefined ? undefined : readCached(kept.file, kept.key);
    if (cached !== undefined) return applyCoercions(config as Record<string, unknown>, cached);
    const result = await validateInChild(handlerModule, handler.schema, config);
    if (result.valid !== true || result.config === undefined) return inThisProcess(config);
    applyCoercions(config as Record<string, unknown>, result.config);
    if (kept?.key !== undefined) writeCached(kept.file, kept.key, result.config);
  };
}

interface CachedOutcome {
  key: string;
  config: Record<string, unknown>;
}

/** A hash of what decides the outcome; undefined for a configuration that cannot be serialized. */
function cacheKey(serverlessPath: string, schema: unknown, config: object): string | undefined {
  try {
    const require = createRequire(join(serverlessPath, 'index.js'));
    const versions = ['../package.json', 'ajv/package.json'].map(
      (file) => (require(file) as { version: string }).version,
    );
    return createHash('sha256')
      .update(serialize([versions, schema, config]))
      .digest('hex');
  } catch {
    return undefined;
  }
}

function readCached(file: string, key: string): Record<string, unknown> | undefined {
  try {
    const outcome = deserialize(readFileSync(file)) as CachedOutcome;
    return outcome.key === key ? outcome.config : undefined;
  } catch {
    return undefined;
  }
}

function writeCached(file: string, key: string, config: Record<string, unknown>): void {
  // Renamed into place, so a reader never sees half a file. A cache that cannot be written costs
  // the next start its validation, nothing else.
  const partial = `${file}.${process.pid}`;
  try {
    writeFileSync(partial, serialize({ key, config } satisfies CachedOutcome));
    renameSync(partial, file);
  } catch {
    // Left to the next start, and no partial file left beside it.
    rmSync(partial, { force: true });
  }
}

function validateInChild(handlerModule: string, schema: unknown, config: object): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', CHILD_SOURCE], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Structured clone, not JSON: a configuration's dates and undefined values cross unchanged.
      serialization: 'advanced',
    });
    child.once('message', (result: ChildResult) => resolve(result));
    child.once('error', (error) => resolve({ error: String(error) }));
    child.once('exit', () => resolve({ error: 'the validation process exited without an answer' }));
    try {
      child.send({ handlerModule, schema, config });
    } catch (error) {
      // A configuration that cannot be copied (a function in it, say): validate here.
      child.kill();
      resolve({ error: String(error) });
    }
  });
}

const isContainer = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * Copies onto `target` every value `coerced` (a validated copy of it) holds differently, leaving the
 * objects and arrays of `target` in place: osls's service shares them (`functions`, `resources`) with
 * the configuration it validates.
 */
export function applyCoercions(target: Record<string, unknown>, coerced: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(coerced)) {
    const current = target[key];
    if (isContainer(current) && isContainer(value) && Array.isArray(current) === Array.isArray(value))
      applyCoercions(current, value);
    else if (!Object.is(current, value)) target[key] = value;
  }
}
