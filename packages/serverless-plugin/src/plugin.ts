/**
 * The osls plugin: validates the declarations with osls's schema, then, while the functions' events
 * compile (`package:compileEvents`), adds what they stand for to the template osls is building.
 *
 * That step comes after osls has written the functions and their log groups, and before
 * `package:finalize`, where serverless-iam-roles-per-function builds each function's role from its
 * `iamRoleStatements` and osls merges `resources` (which can still extend anything added here).
 */
import type { Resources } from './cloudformation';
import { customSchema, functionSchema } from './declarations';
import type { AlarmDeclaration, HeraldDeclaration } from './declarations';
import { addResources, encryptLogGroups, expand } from './expand';
import type { FunctionFacts } from './expand';
import { isTraced, withWriteTraces } from './tracing';

/** The parts of osls's `serverless` object the plugin uses. */
interface FunctionConfig {
  disableLogs?: boolean;
  tracing?: unknown;
  iamRoleStatements?: unknown[];
  errorsAlarm?: AlarmDeclaration;
}
interface Serverless {
  service: {
    custom?: { herald?: HeraldDeclaration };
    provider: { tracing?: { lambda?: unknown }; compiledCloudFormationTemplate: { Resources: Resources } };
    resources?: { Resources?: Record<string, unknown> };
    getAllFunctions(): string[];
    getFunction(name: string): FunctionConfig;
  };
  getProvider(name: 'aws'): {
    naming: { getLambdaLogicalId(name: string): string; getLogGroupLogicalId(name: string): string };
  };
  configSchemaHandler: {
    defineCustomProperties(schema: object): void;
    defineFunctionProperties(provider: string, schema: object): void;
  };
  classes: { Error: new (message: string) => Error };
}

export default class HeraldServerlessPlugin {
  readonly hooks: Record<string, () => void>;

  constructor(private readonly serverless: Serverless) {
    serverless.configSchemaHandler.defineCustomProperties(customSchema);
    serverless.configSchemaHandler.defineFunctionProperties('aws', functionSchema);
    this.hooks = { 'package:compileEvents': () => this.compile() };
  }

  private compile(): void {
    const { service } = this.serverless;
    const herald = service.custom?.herald;
    try {
      this.addWriteTraces();
      if (!herald) return;
      const functions = this.functions();
      const template = service.provider.compiledCloudFormationTemplate.Resources;
      addResources(template, expand(herald, functions), service.resources?.Resources);
      encryptLogGroups(template, functions, herald.key);
    } catch (error) {
      throw new this.serverless.classes.Error(`@herald/serverless-plugin: ${(error as Error).message}`);
    }
  }

  private functions(): FunctionFacts[] {
    const { naming } = this.serverless.getProvider('aws');
    return this.serverless.service.getAllFunctions().map((name) => {
      const config = this.serverless.service.getFunction(name);
      return {
        functionId: naming.getLambdaLogicalId(name),
        logGroupId: config.disableLogs ? undefined : naming.getLogGroupLogicalId(name),
        errorsAlarm: config.errorsAlarm,
      };
    });
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
