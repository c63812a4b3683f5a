/**
 * Safe rollouts, on the finished template: every function gets an alias (`live`) on the version osls
 * published (`provider.versionFunctions: true`), and whatever invokes the function (event source
 * mappings, HTTP API integrations, permissions, S3 notifications, bus rule targets, SNS subscriptions,
 * asynchronous invocation settings) is pointed at that alias instead of the unqualified function.
 * So a release changes what runs only when the alias moves, and moving it back is a rollback.
 *
 * How the alias moves is the stage's deployment: `AllAtOnce` lets CloudFormation point it at the
 * new version as it updates the stack (no CodeDeploy at all: the local cloud and `dev`); any other
 * of CodeDeploy's predefined Lambda configurations (`Canary10Percent5Minutes`,
 * `Linear10PercentEvery1Minute`, ...) puts an `UpdatePolicy` (CodeDeployLambdaAliasUpdate) on the
 * alias, so CloudFormation hands the move to a CodeDeploy deployment group of that function, which
 * shifts traffic gradually and rolls back by itself when one of the function's alarms fires.
 *
 * Done here rather than with serverless-plugin-canary-deployments: that plugin attaches
 * AWSLambda_FullAccess to its CodeDeploy role, adds an alias only to the functions that declare
 * deployment settings (a new function would silently skip it) and none on a stage where gradual
 * deployment is off, so the local cloud would run templates of another shape than prod's.
 *
 * The alias's ARN is written `Fn::Join [":", [function ARN, alias]]` with a `DependsOn` on the alias
 * rather than `Ref` on it: the same ARN on AWS, and one the local cloud resolves to the function
 * (it drops the qualifier) where it knows nothing of aliases.
 */
import { getAtt, ref } from './cloudformation';
import type { Resource, Resources } from './cloudformation';

/** `custom.herald.rollout` */
export interface RolloutDeclaration {
  /** The alias every event source and route invokes; `live` unless given. */
  alias?: string;
  /**
   * CodeDeploy's predefined Lambda deployment configuration by stage (`default` for every other):
   * `AllAtOnce`, `Canary10Percent5Minutes`, `Linear10PercentEvery1Minute`, ...
   */
  deployment?: Record<string, string>;
  /** More alarms (logical ids) that stop and roll back every function's deployment, beside each function's own. */
  alarms?: string[];
}

/** CodeDeploy's predefined configurations for Lambda (`CodeDeployDefault.Lambda<name>`). */
export const DEPLOYMENT_CONFIGURATIONS = [
  'AllAtOnce',
  'Canary10Percent5Minutes',
  'Canary10Percent10Minutes',
  'Canary10Percent15Minutes',
  'Canary10Percent30Minutes',
  'Linear10PercentEvery1Minute',
  'Linear10PercentEvery2Minutes',
  'Linear10PercentEvery3Minutes',
  'Linear10PercentEvery10Minutes',
] as const;

export const DEFAULT_ALIAS = 'live';
export const CODE_DEPLOY_APPLICATION_ID = 'CodeDeployApplication';
export const CODE_DEPLOY_ROLE_ID = 'CodeDeployServiceRole';
/** CodeDeploy takes at most ten alarms per deployment group. */
export const MAX_ALARMS_PER_GROUP = 10;

export interface RolloutFunction {
  /** The function's key in serverless.yml: its deployment group's name. */
  name: string;
  /** `<Name>LambdaFunction` */
  functionId: string;
}

export interface RolloutInput {
  stage: string;
  /** `herald-<stage>-<service>`: names the CodeDeploy application. */
  applicationName: string;
  functions: RolloutFunction[];
  declaration: RolloutDeclaration;
}

/** The deployment configuration a stage uses: its own, else `default`, else AllAtOnce. */
export function deploymentFor(declaration: RolloutDeclaration, stage: string): string {
  const chosen = declaration.deployment?.[stage] ?? declaration.deployment?.default ?? 'AllAtOnce';
  if (!(DEPLOYMENT_CONFIGURATIONS as readonly string[]).includes(chosen))
    throw new Error(
      `rollout: deployment ${chosen} for stage ${stage} is not one of CodeDeploy's Lambda configurations ` +
        `(${DEPLOYMENT_CONFIGURATIONS.join(', ')})`,
    );
  return chosen;
}

const pascal = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const baseOf = (functionId: string) => functionId.replace(/LambdaFunction$/, '');

/** `ConsumeLambdaFunction` → `ConsumeLambdaLiveAlias` */
export const aliasIdOf = (functionId: string, alias = DEFAULT_ALIAS) =>
  `${baseOf(functionId)}Lambda${pascal(alias)}Alias`;
export const deploymentGroupIdOf = (functionId: string) => `${baseOf(functionId)}DeploymentGroup`;

/** The alias's ARN, as the local cloud can resolve it too (see above). */
export const aliasArn = (functionId: string, alias: string) => ({
  'Fn::Join': [':', [getAtt(functionId, 'Arn'), alias]],
});

/** `{ Ref: fn }` or `{ Fn::GetAtt: [fn, Arn] }`: the unqualified function, as osls and the services write it. */
function namesFunction(value: unknown, functionId: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (record.Ref === functionId) return true;
  const target = record['Fn::GetAtt'];
  if (Array.isArray(target)) return target[0] === functionId && target[1] === 'Arn';
  return typeof target === 'string' && target === `${functionId}.Arn`;
}

function dependOn(resource: Resource, id: string): void {
  const withDependsOn = resource as Resource & { DependsOn?: string | string[] };
  const current =
    withDependsOn.DependsOn === undefined
      ? []
      : Array.isArray(withDependsOn.DependsOn)
        ? withDependsOn.DependsOn
        : [withDependsOn.DependsOn];
  if (!current.includes(id)) withDependsOn.DependsOn = [...current, id];
}

const records = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter((item) => typeof item === 'object' && item !== null) : [];

/**
 * Points everything that invokes the function at its alias; returns the logical ids it changed.
 * Alarms and dashboards keep naming the function: its metrics (`FunctionName`) count every version.
 */
export function pointAtAlias(resources: Resources, functionId: string, alias: string): string[] {
  const aliasId = aliasIdOf(functionId, alias);
  const target = aliasArn(functionId, alias);
  const changed: string[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {};
    let touched = false;
    const swap = (holder: Record<string, unknown>, key: string) => {
      if (!namesFunction(holder[key], functionId)) return;
      holder[key] = target;
      touched = true;
    };
    switch (resource.Type) {
      case 'AWS::Lambda::EventSourceMapping':
      case 'AWS::Lambda::Permission':
        swap(props, 'FunctionName');
        break;
      case 'AWS::ApiGatewayV2::Integration':
        swap(props, 'IntegrationUri');
        break;
      case 'AWS::Lambda::EventInvokeConfig':
        if (namesFunction(props.FunctionName, functionId) && props.Qualifier !== alias) {
          // Retries and destinations of asynchronous invocations of the alias (S3's, the bus's).
          props.Qualifier = alias;
          touched = true;
        }
        break;
      case 'AWS::S3::Bucket': {
        const notifications = props.NotificationConfiguration as Record<string, unknown> | undefined;
        for (const configuration of records(notifications?.LambdaConfigurations))
          swap(configuration, 'Function');
        break;
      }
      case 'AWS::Events::Rule':
        for (const configuration of records(props.Targets)) swap(configuration, 'Arn');
        break;
      case 'AWS::SNS::Subscription':
        swap(props, 'Endpoint');
        break;
    }
    if (touched) {
      dependOn(resource, aliasId);
      changed.push(id);
    }
  }
  return changed;
}

interface AlarmResource extends Resource {
  Properties: { Dimensions?: Array<{ Name?: unknown; Value?: unknown }> } & Record<string, unknown>;
}

/**
 * The alarms that stop a function's deployment: those on its own metrics (a `FunctionName`
 * dimension naming it), the HTTP API's when the function serves a route, and the declared ones.
 */
export function alarmsFor(
  resources: Resources,
  functionId: string,
  servesRoutes: boolean,
  declared: readonly string[] = [],
): string[] {
  const found = new Set<string>();
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::CloudWatch::Alarm') continue;
    const dimensions = (resource as AlarmResource).Properties.Dimensions ?? [];
    const own = dimensions.some((d) => d.Name === 'FunctionName' && namesFunction(d.Value, functionId));
    const api =
      servesRoutes && dimensions.some((d) => d.Name === 'ApiId' && namesFunction(d.Value, 'HttpApi'));
    if (own || api) found.add(id);
  }
  for (const id of declared) {
    if (resources[id]?.Type !== 'AWS::CloudWatch::Alarm')
      throw new Error(`rollout: alarms names ${id}, which is not an AWS::CloudWatch::Alarm of this template`);
    found.add(id);
  }
  return [...found].sort();
}

const servesRoutes = (resources: Resources, functionId: string, alias: string) =>
  Object.values(resources).some(
    (r) =>
      r.Type === 'AWS::ApiGatewayV2::Integration' &&
      JSON.stringify(r.Properties.IntegrationUri) === JSON.stringify(aliasArn(functionId, alias)),
  );

function versionIdOf(resources: Resources, functionId: string): string {
  const versions = Object.entries(resources).filter(
    ([, r]) => r.Type === 'AWS::Lambda::Version' && namesFunction(r.Properties.FunctionName, functionId),
  );
  if (versions.length !== 1)
    throw new Error(
      `rollout: ${functionId} has ${versions.length} published versions in the template; set provider.versionFunctions: true`,
    );
  return versions[0]![0];
}

/** The CodeDeploy service role: move these aliases and read these alarms, nothing else. */
function codeDeployRole(
  applicationName: string,
  aliases: Array<{ functionId: string }>,
  alias: string,
  alarms: string[],
): Resource {
  const functionArns = aliases.map(({ functionId }) => getAtt(functionId, 'Arn'));
  const aliasArns = aliases.map(({ functionId }) => aliasArn(functionId, alias));
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      Description: `CodeDeploy shifts the ${alias} alias of ${applicationName}'s functions and rolls it back`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'codedeploy.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      Policies: [
        {
          PolicyName: 'shift-live-traffic',
          PolicyDocument: {
            Version: '2012-10-17',
            // What AWSCodeDeployRoleForLambdaLimited grants on "*", on this service's own resources.
            Statement: [
              {
                Sid: 'ShiftAliasTraffic',
                Effect: 'Allow',
                Action: ['lambda:GetAlias', 'lambda:UpdateAlias'],
                // Lambda authorizes alias actions on the function's ARN, qualified by the alias or not.
                Resource: [...functionArns, ...aliasArns],
              },
              {
                Sid: 'ReadProvisionedConcurrency',
                Effect: 'Allow',
                Action: ['lambda:GetProvisionedConcurrencyConfig'],
                Resource: aliasArns,
              },
              {
                Sid: 'WatchRollbackAlarms',
                Effect: 'Allow',
                Action: ['cloudwatch:DescribeAlarms'],
                Resource: alarms.map((id) => getAtt(id, 'Arn')),
              },
            ],
          },
        },
      ],
    },
  };
}

export interface RolloutResult {
  deployment: string;
  /** Logical ids of the resources pointed at an alias, by function. */
  pointed: Record<string, string[]>;
}

/** Adds the aliases (and, for a gradual deployment, CodeDeploy) to the finished template. */
export function addRollout(resources: Resources, input: RolloutInput): RolloutResult {
  const alias = input.declaration.alias ?? DEFAULT_ALIAS;
  if (!/^[A-Za-z][A-Za-z0-9-_]*$/.test(alias) || /^\d+$/.test(alias))
    throw new Error(`rollout: ${alias} cannot name an alias`);
  const deployment = deploymentFor(input.declaration, input.stage);
  const gradual = deployment !== 'AllAtOnce';
  const pointed: Record<string, string[]> = {};
  const groups: Array<{ functionId: string; alarms: string[] }> = [];

  for (const { name, functionId } of input.functions) {
    if (resources[functionId]?.Type !== 'AWS::Lambda::Function')
      throw new Error(`rollout: ${functionId} (${name}) is not a function of this template`);
    const aliasId = aliasIdOf(functionId, alias);
    if (aliasId in resources) throw new Error(`rollout: ${aliasId} is already in the template`);
    const aliasResource: Resource & { UpdatePolicy?: unknown } = {
      Type: 'AWS::Lambda::Alias',
      Properties: {
        FunctionName: ref(functionId),
        FunctionVersion: getAtt(versionIdOf(resources, functionId), 'Version'),
        Name: alias,
        Description: `What the ${name} function's event sources and routes invoke`,
      },
    };
    resources[aliasId] = aliasResource;
    pointed[name] = pointAtAlias(resources, functionId, alias);
    if (!gradual) continue;

    const alarms = alarmsFor(
      resources,
      functionId,
      servesRoutes(resources, functionId, alias),
      input.declaration.alarms,
    );
    if (alarms.length === 0)
      throw new Error(
        `rollout: no alarm watches ${name}, so a ${deployment} deployment could not roll back by itself; give it an errorsAlarm`,
      );
    if (alarms.length > MAX_ALARMS_PER_GROUP)
      throw new Error(
        `rollout: ${alarms.length} alarms would watch ${name}'s deployment, and CodeDeploy takes ${MAX_ALARMS_PER_GROUP}: ${alarms.join(', ')}`,
      );
    const groupId = deploymentGroupIdOf(functionId);
    resources[groupId] = {
      Type: 'AWS::CodeDeploy::DeploymentGroup',
      Properties: {
        ApplicationName: ref(CODE_DEPLOY_APPLICATION_ID),
        // The function's key: `npm run rollback` finds a function's deployments by it.
        DeploymentGroupName: name,
        DeploymentConfigName: `CodeDeployDefault.Lambda${deployment}`,
        DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
        ServiceRoleArn: getAtt(CODE_DEPLOY_ROLE_ID, 'Arn'),
        AlarmConfiguration: { Enabled: true, Alarms: alarms.map((id) => ({ Name: ref(id) })) },
        AutoRollbackConfiguration: {
          Enabled: true,
          Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'],
        },
      },
    };
    aliasResource.UpdatePolicy = {
      CodeDeployLambdaAliasUpdate: {
        ApplicationName: ref(CODE_DEPLOY_APPLICATION_ID),
        DeploymentGroupName: ref(groupId),
      },
    };
    groups.push({ functionId, alarms });
  }

  if (gradual && groups.length > 0) {
    for (const id of [CODE_DEPLOY_APPLICATION_ID, CODE_DEPLOY_ROLE_ID])
      if (id in resources) throw new Error(`rollout: ${id} is already in the template`);
    resources[CODE_DEPLOY_APPLICATION_ID] = {
      Type: 'AWS::CodeDeploy::Application',
      Properties: { ApplicationName: input.applicationName, ComputePlatform: 'Lambda' },
    };
    const alarms = [...new Set(groups.flatMap((group) => group.alarms))].sort();
    resources[CODE_DEPLOY_ROLE_ID] = codeDeployRole(input.applicationName, groups, alias, alarms);
  }
  return { deployment, pointed };
}
