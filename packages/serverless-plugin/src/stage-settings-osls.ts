/**
 * The stage settings (stage-settings.ts) inside osls, for a service with `custom.herald.stages`:
 *
 * - as the plugin is constructed (after osls resolved what needs no plugin, before `${param:...}`
 *   resolves): the stage file's values become the service's `params.<stage>`, so `--param` still
 *   wins over them and they win over `params.default`;
 * - `${heraldPublished:<owner>/<name>}`: a variable source reading the SSM parameter
 *   `/herald/<stage>/<owner>/<name>`, with the deployer's credentials; it gives '' when the value is
 *   not there (or cannot be read), and the check names it, rather than failing the resolution with
 *   osls's own words. Not read on the `local` stage, nor when `--param` or `offline:` gives the value;
 * - before osls validates the configuration (which is where an empty issuer or ARN would otherwise
 *   stop it, "unsupported value"), on `package` and `deploy`: every problem, named, at once.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type * as Ssm from '@aws-sdk/client-ssm';
import { load } from 'js-yaml';
import {
  checkSettings,
  LOCAL_STAGE,
  PUBLISHED_SOURCE,
  publishedName,
  publishedParameter,
  SERVICES,
  stageParams,
  type Origin,
  type PublishedOutcome,
  type ServiceName,
} from './stage-settings';

/** The parts of osls's `serverless` object this uses. */
export interface OslsForSettings {
  serviceDir: string;
  configurationInput?: {
    service?: unknown;
    provider?: { stage?: unknown };
    params?: Record<string, Record<string, unknown> | undefined>;
    custom?: { herald?: { stages?: unknown } };
  };
  processedInput?: { commands: string[]; options?: Record<string, unknown> };
  service: { validate(): Promise<unknown> };
  getProvider(name: 'aws'): { getAwsSdkV3Config(): Promise<Ssm.SSMClientConfig> };
  classes: { Error: new (message: string) => Error };
}

/** `--param name=value` as osls parses them. */
function cliParams(options: Record<string, unknown>): Record<string, string> {
  const given = ([] as unknown[]).concat(options.param ?? []);
  return Object.fromEntries(
    given.flatMap((item) => {
      const match = /^([^=]+)=(.+)$/.exec(String(item));
      return match ? [[match[1]!, match[2]!.trimEnd()]] : [];
    }),
  );
}

function readStageFile(path: string): unknown {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return load(source) ?? {};
}

/**
 * Sets the stage's params and wraps osls's validation with the check; returns the variable sources
 * the plugin must offer osls.
 */
export function installStageSettings(
  serverless: OslsForSettings,
  options: Record<string, unknown>,
): Record<string, { resolve(input: { address?: unknown }): Promise<{ value: string }> }> {
  const config = serverless.configurationInput;
  const folder = config?.custom?.herald?.stages;
  const none = { [PUBLISHED_SOURCE]: { resolve: async () => ({ value: '' }) } };
  if (!config || typeof folder !== 'string') return none;
  const stage = String(options.stage ?? config.provider?.stage ?? 'dev');
  // The local cloud's stage: literal params, no stage file, no AWS.
  if (stage === LOCAL_STAGE) return none;
  const service = String(config.service).replace(/^herald-/, '') as ServiceName;
  if (!(SERVICES as readonly string[]).includes(service))
    throw new Error(`stages: service ${String(config.service)} is none of ${SERVICES.join(', ')}`);
  const [command, subcommand] = serverless.processedInput?.commands ?? [];
  const offline = command === 'package';
  const file = {
    path: `${basename(folder)}/${stage}.yml`,
    content: readStageFile(join(serverless.serviceDir, folder, `${stage}.yml`)),
  };
  const params = (config.params ??= {});
  const defaults = { ...params.default };
  const published = Object.fromEntries(
    Object.entries(defaults).flatMap(([name, raw]) => {
      const found = publishedName(raw);
      return found === undefined ? [] : [[name, found]];
    }),
  );
  const fromFile = stageParams(service, stage, file, defaults, offline);
  params[stage] = { ...params[stage], ...fromFile.params };
  const cli = cliParams(options);

  const outcomes: Record<string, PublishedOutcome> = {};
  // Loaded on the first read only: most commands (offline start among them) read no published value,
  // and the SDK client would stay in every such process for its life.
  let ssm: Promise<{ client: Ssm.SSMClient; sdk: typeof Ssm }> | undefined;
  const readPublished = async (address: unknown): Promise<{ value: string }> => {
    const names = Object.keys(published).filter((name) => published[name] === address);
    // Given otherwise: the SSM parameter is not needed (nor, offline, reachable).
    if (names.length === 0 || names.every((name) => name in cli || params[stage]![name] !== undefined))
      return { value: '' };
    const record = (outcome: PublishedOutcome) => names.forEach((name) => (outcomes[name] = outcome));
    ssm ??= Promise.all([
      import('@aws-sdk/client-ssm'),
      serverless.getProvider('aws').getAwsSdkV3Config(),
    ]).then(([sdk, clientConfig]) => ({ client: new sdk.SSMClient(clientConfig), sdk }));
    try {
      const { client, sdk } = await ssm;
      const answer = await client.send(
        new sdk.GetParameterCommand({ Name: publishedParameter(stage, String(address)) }),
      );
      record({ read: 'found' });
      return { value: answer.Parameter?.Value ?? '' };
    } catch (error) {
      const { name, message } = error as Error;
      // osls's credentials error goes on with a link to its docs: its first sentence says it all.
      record(
        name === 'ParameterNotFound'
          ? { read: 'not found' }
          : { read: 'failed', error: message.split(/(?<=\.) /)[0]! },
      );
      return { value: '' };
    }
  };

  const checked =
    command === 'package' || (command === 'deploy' && subcommand === undefined && !options.package);
  if (checked) {
    const validate = serverless.service.validate.bind(serverless.service);
    serverless.service.validate = async () => {
      const resolvedDefaults = config.params?.default ?? {};
      const values: Record<string, { value: unknown; origin: Origin }> = {};
      for (const name of Object.keys(resolvedDefaults)) {
        if (name in cli) values[name] = { value: cli[name], origin: 'cli' };
        else if (fromFile.params[name] !== undefined)
          values[name] = {
            value: fromFile.params[name],
            origin: fromFile.offline.includes(name) ? 'offline' : 'stage file',
          };
        else
          values[name] = {
            value: resolvedDefaults[name],
            origin: outcomes[name]?.read === 'found' ? 'published' : 'default',
          };
      }
      const problems = [
        ...fromFile.problems,
        ...(file.content === undefined
          ? []
          : checkSettings({
              service,
              stage,
              file: file.path,
              command: offline ? 'package' : 'deploy',
              values,
              published,
              outcomes,
            })),
      ];
      if (problems.length > 0)
        throw new serverless.classes.Error(
          problems.length === 1
            ? problems[0]!
            : `${problems.length} problems with ${service}'s settings for stage '${stage}':\n  - ${problems.join('\n  - ')}`,
        );
      return validate();
    };
  }
  return { [PUBLISHED_SOURCE]: { resolve: ({ address }) => readPublished(address) } };
}
