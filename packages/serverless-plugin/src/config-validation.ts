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
 */
import { join } from 'node:path';
import { spawn } from 'node:child_process';

/** The part of osls's ConfigSchemaHandler this uses. */
export interface ConfigSchemaHandler {
  schema: unknown;
  validateConfig(config: object): Promise<void>;
}

interface ChildResult {
  valid?: boolean;
  config?: object;
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

/** Makes `handler` validate in a process of its own from now on (`serverlessPath`: osls's `lib` directory). */
export function validateApart(handler: ConfigSchemaHandler, serverlessPath: string): void {
  const inThisProcess = handler.validateConfig.bind(handler);
  const handlerModule = join(serverlessPath, 'classes', 'config-schema-handler', 'index.js');
  handler.validateConfig = async (config) => {
    const result = await validateInChild(handlerModule, handler.schema, config);
    if (result.valid !== true || result.config === undefined) return inThisProcess(config);
    applyCoercions(config as Record<string, unknown>, result.config as Record<string, unknown>);
  };
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
