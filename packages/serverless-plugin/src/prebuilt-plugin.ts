/**
 * The bundler's stand-in under the local cloud (see prebuilt-code.ts): an osls plugin that takes
 * serverless-esbuild's place in a service's `plugins` when HERALD_BUNDLER names it. It bundles
 * nothing. In `serverless offline start` it points serverless-offline at the build `serverless
 * package` left (as serverless-esbuild's own `before:offline:start:init` would) and names any handler
 * module that is not there, rather than failing on the first request. Packaging with it would ship
 * unbundled sources, so it refuses. And osls validates the configuration in a process of its own, so that
 * serverless-offline does not keep the validator for as long as it runs, and a valid outcome is kept
 * in the service's .serverless/ for the next start with the same configuration (config-validation.ts).
 */
import { join } from 'node:path';
import { validateApart, type ConfigSchemaHandler } from './config-validation';
import { buildLocation, missingHandlerModules, type EsbuildSettings } from './prebuilt-code';

/** Beside the package in .serverless/, which `serverless package` empties. */
const VALIDATED_CONFIG_FILE = 'herald-validated-config.bin';

interface Osls {
  serviceDir: string;
  classes: { Error: new (message: string) => Error };
  config: { serverlessPath: string };
  configSchemaHandler: ConfigSchemaHandler;
  service: {
    custom?: { esbuild?: EsbuildSettings; 'serverless-offline'?: { location?: string } };
    getAllFunctions(): string[];
    getFunction(name: string): { handler?: string };
  };
}

export default class PrebuiltCodePlugin {
  readonly hooks: Record<string, () => void>;

  constructor(
    private readonly serverless: Osls,
    private readonly options: { location?: string } = {},
    private readonly utils?: { log: { notice(message: string): void } },
  ) {
    // osls validates after it has loaded every plugin, before the command's hooks.
    validateApart(
      serverless.configSchemaHandler,
      serverless.config.serverlessPath,
      join(serverless.serviceDir, '.serverless', VALIDATED_CONFIG_FILE),
    );
    this.hooks = {
      'before:offline:start:init': () => this.pointAtBuild(),
      'before:package:createDeploymentArtifacts': () => {
        throw new serverless.classes.Error(
          'HERALD_BUNDLER names @herald/serverless-plugin/prebuilt, which only runs a build that exists: ' +
            'unset HERALD_BUNDLER to package or deploy (serverless-esbuild bundles).',
        );
      },
    };
  }

  private pointAtBuild(): void {
    const { service, serviceDir } = this.serverless;
    const custom = (service.custom ??= {});
    const offline = (custom['serverless-offline'] ??= {});
    // serverless-offline's own precedence: the command line, then custom, then this default.
    offline.location ??= buildLocation(custom.esbuild);
    const location = this.options.location ?? offline.location;
    const functions = service.getAllFunctions().map((name) => service.getFunction(name));
    const missing = missingHandlerModules(
      serviceDir,
      location,
      functions,
      custom.esbuild?.outputFileExtension ?? '.js',
    );
    if (missing.length > 0)
      throw new this.serverless.classes.Error(
        `@herald/serverless-plugin/prebuilt runs the code \`serverless package\` built, and ${missing.length} ` +
          `handler module(s) are not there (first: ${missing[0]}): package the service first (npm run package).`,
      );
    // One line in the service's log, so a reader (and a test) can tell which code runs.
    this.utils?.log.notice(
      `@herald/serverless-plugin: runs the package's build in ${location}; nothing is bundled again`,
    );
  }
}
