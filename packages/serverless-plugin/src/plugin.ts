/**
 * The osls plugin: validates the declarations with osls's schema, then adds what they stand for to
 * the template osls is building, at three points of its lifecycle:
 *
 * - `package:initialize`, after osls wrote its core template (the deployment bucket alone, which a
 *   stack's first deploy creates): the deployment bucket is hardened, there and in the full template;
 * - `package:compileEvents`, after osls has written the functions and their log groups and before
 *   `package:finalize`, where serverless-iam-roles-per-function builds each function's role from its
 *   `iamRoleStatements` and osls merges `resources` (which can still extend anything added here):
 *   queues, alarms, the alarm topic, log group encryption;
 * - after osls merged `resources`, on the finished template: the default role goes, service
 *   permissions name the account, every alarm notifies the alarm topic, the dashboard is drawn.
 *
 * After `serverless deploy` (`after:deploy:deploy`), with `custom.herald.site`: the built static site
 * goes to the stack's bucket, config.json is written, the distribution is invalidated (site.ts).
 *
 * And in `serverless offline start` only, at `offline:start:init`, after the bundler pointed
 * serverless-offline at the code (its `before:` hook; under the local cloud the stand-in of
 * prebuilt-plugin.ts, which runs what `serverless package` built) and before serverless-offline,
 * listed after this plugin, starts its servers: when HERALD_FUNCTION_CREDENTIALS is set, each function's own AWS credentials in its
 * environment (see function-credentials.ts; serverless-offline builds a handler's environment from
 * the process's AWS_* variables, then the provider's and the function's `environment`, so the
 * function's own win), and when HERALD_FUNCTION_MANIFEST names a file, the function manifest the
 * local cloud runs the functions from (see function-manifest.ts).
 */
import { writeFileSync } from 'node:fs';
import type { CloudFrontClientConfig } from '@aws-sdk/client-cloudfront';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import type { Resources } from './cloudformation';
import { notifyAlarmTopic } from './alarm-topic';
import { dashboardFacts, dashboardResource, dashboardWidgets, DASHBOARD_ID } from './dashboard';
import { customSchema, functionSchema } from './declarations';
import type { AlarmDeclaration, HeraldDeclaration } from './declarations';
import { hardenDeploymentBucket } from './deployment-bucket';
import { installStageSettings, type OslsForSettings } from './stage-settings-osls';
import { addResources, deadLetterQueueIds, encryptLogGroups, expand } from './expand';
import {
  FUNCTION_CREDENTIALS_VARIABLE,
  functionCredentials,
  parseFunctionCredentials,
} from './function-credentials';
import { functionManifest } from './function-manifest';
import type { FunctionFacts } from './expand';
import {
  dropRequestAuthorizerScopes,
  encryptHttpApiLogGroup,
  removeDefaultRole,
  scopeServicePermissions,
} from './hardening';
import { isTraced, withWriteTraces } from './tracing';
import { addRollout } from './rollout';
import { deploySite } from './site';
import { awsSitePort } from './site-aws';

/** The parts of osls's `serverless` object the plugin uses. */
interface FunctionConfig {
  name: string;
  handler?: string;
  timeout?: number;
  memorySize?: number;
  environment?: Record<string, unknown>;
  disableLogs?: boolean;
  tracing?: unknown;
  iamRoleStatements?: unknown[];
  errorsAlarm?: AlarmDeclaration;
}
interface Template {
  Resources: Resources;
}
interface Serverless {
  serviceDir: string;
  service: {
    service: string;
    custom?: {
      herald?: HeraldDeclaration;
      'serverless-offline'?: { location?: string };
    };
    provider: {
      region?: string;
      timeout?: number;
      memorySize?: number;
      environment?: Record<string, unknown>;
      tracing?: { lambda?: unknown };
      compiledCloudFormationTemplate: Template;
      coreCloudFormationTemplate?: Template;
    };
    resources?: { Resources?: Record<string, unknown> };
    getAllFunctions(): string[];
    getFunction(name: string): FunctionConfig;
  };
  getProvider(name: 'aws'): {
    naming: {
      getLambdaLogicalId(name: string): string;
      getLogGroupLogicalId(name: string): string;
      getCoreTemplateFileName(): string;
    };
    getStage(): string;
    getStackResources(): Promise<Array<{ LogicalResourceId?: string; PhysicalResourceId?: string }>>;
    getAwsSdkV3Config(): Promise<S3ClientConfig & CloudFrontClientConfig>;
  };
  utils: { writeFileSync(path: string, contents: unknown): void };
  configSchemaHandler: {
    defineCustomProperties(schema: object): void;
    defineFunctionProperties(provider: string, schema: object): void;
  };
  classes: { Error: new (message: string) => Error };
  processedInput?: { commands: string[] };
}

export default class HeraldServerlessPlugin {
  readonly hooks: Record<string, () => void | Promise<void>>;
  /** `${heraldPublished:<owner>/<name>}`: a value another service published (stage-settings-osls.ts). */
  readonly configurationVariablesSources: ReturnType<typeof installStageSettings>;

  constructor(
    private readonly serverless: Serverless,
    private readonly options: { location?: string } = {},
    /** osls's plugin utilities (its logger). */
    private readonly utils?: { log: { notice(message: string): void } },
  ) {
    serverless.configSchemaHandler.defineCustomProperties(customSchema);
    serverless.configSchemaHandler.defineFunctionProperties('aws', functionSchema);
    // A deployed stage's settings from its stage file, before osls resolves `${param:...}`, and
    // their check before osls validates the configuration (stage-settings.ts).
    this.configurationVariablesSources = installStageSettings(
      serverless as unknown as OslsForSettings,
      options as Record<string, unknown>,
    );
    this.hooks = {
      'after:package:initialize': () => this.guarded(() => this.hardenCoreTemplate()),
      'package:compileEvents': () => this.guarded(() => this.compile()),
      // After the stack is up: its bucket and distribution exist, under their physical names.
      'after:deploy:deploy': () => this.deploySite(),
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.guarded(() => this.finish()),
      'offline:start:init': () =>
        this.guarded(() => {
          this.giveFunctionsCredentials();
          this.writeFunctionManifest();
        }),
    };
  }

  private guarded(step: () => void): void {
    try {
      step();
    } catch (error) {
      throw new this.serverless.classes.Error(`@herald/serverless-plugin: ${(error as Error).message}`);
    }
  }

  /** `custom.herald.site`: the built site to the stack's bucket, config.json, invalidation (site.ts). */
  private async deploySite(): Promise<void> {
    const site = this.serverless.service.custom?.herald?.site;
    if (!site) return;
    try {
      const provider = this.serverless.getProvider('aws');
      const resources = await provider.getStackResources();
      const physical = (logicalId: string) => {
        const id = resources.find((r) => r.LogicalResourceId === logicalId)?.PhysicalResourceId;
        if (!id) throw new Error(`site: the stack has no ${logicalId}`);
        return id;
      };
      const port = awsSitePort({
        bucket: physical(site.bucket),
        distributionId: physical(site.distribution),
        clientConfig: await provider.getAwsSdkV3Config(),
      });
      const plan = await deploySite(join(this.serverless.serviceDir, site.dist), site, port);
      this.utils?.log.notice(
        `@herald/serverless-plugin: ${plan.objects.length} file(s) of ${site.dist} uploaded, ` +
          `${plan.invalidate.join(' ')} invalidated`,
      );
    } catch (error) {
      throw new this.serverless.classes.Error(`@herald/serverless-plugin: ${(error as Error).message}`);
    }
  }

  /** The core template is what a stack's first deploy creates: it must pass the same checks. */
  private hardenCoreTemplate(): void {
    const { provider } = this.serverless.service;
    hardenDeploymentBucket(provider.compiledCloudFormationTemplate.Resources);
    const core = provider.coreCloudFormationTemplate;
    if (!core) return;
    hardenDeploymentBucket(core.Resources);
    const fileName = this.serverless.getProvider('aws').naming.getCoreTemplateFileName();
    this.serverless.utils.writeFileSync(join(this.serverless.serviceDir, '.serverless', fileName), core);
  }

  private compile(): void {
    const { service } = this.serverless;
    const herald = service.custom?.herald;
    this.addWriteTraces();
    if (!herald) return;
    const functions = this.functions();
    const template = service.provider.compiledCloudFormationTemplate.Resources;
    addResources(template, expand(herald, functions), service.resources?.Resources);
    encryptLogGroups(template, functions, herald.key);
  }

  private finish(): void {
    const template = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    removeDefaultRole(template);
    scopeServicePermissions(template);
    dropRequestAuthorizerScopes(template);
    const herald = this.serverless.service.custom?.herald;
    if (!herald) return;
    encryptHttpApiLogGroup(template, herald.key);
    // Before the alarm actions and the dashboard: they keep naming the functions, not the aliases.
    if (herald.rollout) this.addRollout(template, herald);
    notifyAlarmTopic(template);
    if (herald.dashboard) {
      if (!herald.alarmPrefix) throw new Error('dashboard: set custom.herald.alarmPrefix, which names it');
      const widgets = dashboardWidgets(
        dashboardFacts(template, deadLetterQueueIds(herald)),
        herald.dashboard.widgets ?? [],
      );
      addResources(template, { [DASHBOARD_ID]: dashboardResource(herald.alarmPrefix, widgets) });
    }
  }

  /** Every function's alias, and the stage's deployment of it (rollout.ts). */
  private addRollout(template: Resources, herald: HeraldDeclaration): void {
    if (!herald.alarmPrefix)
      throw new Error('rollout: set custom.herald.alarmPrefix, which names the CodeDeploy application');
    const result = addRollout(template, {
      stage: this.serverless.getProvider('aws').getStage(),
      applicationName: herald.alarmPrefix,
      functions: this.functions().map(({ name, functionId }) => ({ name, functionId })),
      declaration: herald.rollout ?? {},
    });
    this.utils?.log.notice(
      `@herald/serverless-plugin: ${Object.keys(result.pointed).length} function(s) invoked through their ` +
        `${herald.rollout?.alias ?? 'live'} alias, deployed ${result.deployment}`,
    );
  }

  private functions(): FunctionFacts[] {
    const { naming } = this.serverless.getProvider('aws');
    return this.serverless.service.getAllFunctions().map((name) => {
      const config = this.serverless.service.getFunction(name);
      return {
        name,
        functionId: naming.getLambdaLogicalId(name),
        logGroupId: config.disableLogs ? undefined : naming.getLogGroupLogicalId(name),
        errorsAlarm: config.errorsAlarm,
      };
    });
  }

  /**
   * Each function signs its AWS calls with its own access key, which the local cloud's IAM gateway
   * reads to check the call against that function's role. Before the manifest, which then holds the
   * environment serverless-offline passes.
   */
  private giveFunctionsCredentials(): void {
    const credentials = parseFunctionCredentials(process.env[FUNCTION_CREDENTIALS_VARIABLE]);
    if (!credentials) return;
    const { service } = this.serverless;
    for (const key of service.getAllFunctions()) {
      const config = service.getFunction(key);
      const own = functionCredentials(config.name, credentials.secretAccessKey);
      config.environment = {
        ...config.environment,
        AWS_ACCESS_KEY_ID: own.accessKeyId,
        AWS_SECRET_ACCESS_KEY: own.secretAccessKey,
      };
    }
  }

  private writeFunctionManifest(): void {
    const path = process.env.HERALD_FUNCTION_MANIFEST;
    if (!path) return;
    const { service } = this.serverless;
    const manifest = functionManifest({
      serviceDir: this.serverless.serviceDir,
      service: service.service,
      provider: service.provider,
      // serverless-offline's own precedence: the command line, then custom (set by the bundler).
      location: this.options.location ?? service.custom?.['serverless-offline']?.location,
      functions: service.getAllFunctions().map((key) => ({ key, ...service.getFunction(key) })),
    });
    writeFileSync(path, JSON.stringify(manifest, null, 2));
  }

  /** Before serverless-iam-roles-per-function turns the statements into roles. */
  private addWriteTraces(): void {
    const { service } = this.serverless;
    for (const name of service.getAllFunctions()) {
      const config = service.getFunction(name);
      if (config.iamRoleStatements && isTraced(config.tracing, service.provider.tracing?.lambda)) {
        config.iamRoleStatements = withWriteTraces(config.iamRoleStatements);
      }
    }
  }
}
