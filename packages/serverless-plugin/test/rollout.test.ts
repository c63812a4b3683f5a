import { describe, expect, test } from '@jest/globals';
import type { Resources } from '../src/cloudformation';
import { addRollout, aliasArn, deploymentFor, pointAtAlias } from '../src/rollout';

const fnArn = { 'Fn::GetAtt': ['WorkLambdaFunction', 'Arn'] };

/** One function with a published version, an errors alarm and what osls or a service writes to invoke it. */
function template(): Resources {
  return {
    WorkLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: {} },
    WorkLambdaVersionAbc: {
      Type: 'AWS::Lambda::Version',
      Properties: { FunctionName: { Ref: 'WorkLambdaFunction' } },
    },
    WorkErrorsAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'WorkLambdaFunction' } }] },
    },
    Mapping: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: fnArn } },
    Permission: { Type: 'AWS::Lambda::Permission', Properties: { FunctionName: fnArn } },
    Integration: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { IntegrationUri: fnArn } },
    Bucket: {
      Type: 'AWS::S3::Bucket',
      Properties: { NotificationConfiguration: { LambdaConfigurations: [{ Function: fnArn }] } },
    },
    Rule: { Type: 'AWS::Events::Rule', Properties: { Targets: [{ Id: 'work', Arn: fnArn }] } },
    Retries: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: { FunctionName: { Ref: 'WorkLambdaFunction' }, Qualifier: '$LATEST' },
    },
  };
}
const input = (stage: string, extra: object = {}) => ({
  stage,
  applicationName: 'herald-prod-demo',
  functions: [{ name: 'work', functionId: 'WorkLambdaFunction' }],
  declaration: { deployment: { default: 'AllAtOnce', prod: 'Linear10PercentEvery1Minute' }, ...extra },
});

describe('rollout', () => {
  test('points every invoker at the live alias, and leaves alarms on the function', () => {
    const resources = template();
    const changed = pointAtAlias(resources, 'WorkLambdaFunction', 'live');
    expect(changed.sort()).toEqual(['Bucket', 'Integration', 'Mapping', 'Permission', 'Retries', 'Rule']);
    const live = aliasArn('WorkLambdaFunction', 'live');
    expect(resources.Mapping!.Properties.FunctionName).toEqual(live);
    expect(resources.Rule!.Properties.Targets).toEqual([{ Id: 'work', Arn: live }]);
    expect(resources.Retries!.Properties.Qualifier).toBe('live');
    expect(resources.WorkErrorsAlarm!.Properties.Dimensions).toEqual([
      { Name: 'FunctionName', Value: { Ref: 'WorkLambdaFunction' } },
    ]);
  });

  test('all at once: an alias and no CodeDeploy', () => {
    const resources = template();
    expect(addRollout(resources, input('dev')).deployment).toBe('AllAtOnce');
    expect(resources.WorkLambdaLiveAlias).toMatchObject({
      Type: 'AWS::Lambda::Alias',
      Properties: { Name: 'live', FunctionVersion: { 'Fn::GetAtt': ['WorkLambdaVersionAbc', 'Version'] } },
    });
    expect(Object.values(resources).some((r) => r.Type.startsWith('AWS::CodeDeploy::'))).toBe(false);
  });

  test("gradually: a deployment group per function, its alarms, and a role scoped to the service's aliases", () => {
    const resources = template();
    addRollout(resources, input('prod'));
    expect(resources.WorkLambdaLiveAlias).toMatchObject({
      UpdatePolicy: { CodeDeployLambdaAliasUpdate: { DeploymentGroupName: { Ref: 'WorkDeploymentGroup' } } },
    });
    expect(resources.WorkDeploymentGroup!.Properties).toMatchObject({
      DeploymentGroupName: 'work',
      DeploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      AlarmConfiguration: { Enabled: true, Alarms: [{ Name: { Ref: 'WorkErrorsAlarm' } }] },
    });
    const policy = JSON.stringify(resources.CodeDeployServiceRole!.Properties.Policies);
    expect(policy).not.toContain('"*"');
    expect(policy).toContain('WorkErrorsAlarm');
  });

  test.each([
    [
      'an unknown deployment configuration',
      (r: Resources) => addRollout(r, input('qa', { deployment: { qa: 'Canary50Percent' } })),
      /not one of CodeDeploy/,
    ],
    [
      'a function without a published version',
      (r: Resources) => {
        delete r.WorkLambdaVersionAbc;
        addRollout(r, input('dev'));
      },
      /versionFunctions: true/,
    ],
    [
      'a gradual deployment no alarm watches',
      (r: Resources) => {
        delete r.WorkErrorsAlarm;
        addRollout(r, input('prod'));
      },
      /no alarm watches work/,
    ],
    [
      'a declared alarm that is not one',
      (r: Resources) => addRollout(r, input('prod', { alarms: ['Mapping'] })),
      /not an AWS::CloudWatch::Alarm/,
    ],
    [
      'more alarms than CodeDeploy takes',
      (r: Resources) => {
        const alarms = Array.from({ length: 10 }, (_, i) => `Extra${i}Alarm`);
        for (const id of alarms) r[id] = { Type: 'AWS::CloudWatch::Alarm', Properties: {} };
        addRollout(r, input('prod', { alarms }));
      },
      /11 alarms would watch work/,
    ],
  ])('refuses %s', (_name, act, message) => {
    expect(() => act(template())).toThrow(message);
  });

  test('a stage without its own deployment takes the default, and AllAtOnce without one', () => {
    expect(deploymentFor({ deployment: { default: 'Canary10Percent5Minutes' } }, 'dev')).toBe(
      'Canary10Percent5Minutes',
    );
    expect(deploymentFor({}, 'prod')).toBe('AllAtOnce');
  });
});
