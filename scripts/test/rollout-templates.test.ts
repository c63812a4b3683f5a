/**
 * The packaged templates of the three services with functions, for the local stage and prod: every
 * function runs behind its `live` alias (everything that invokes it names the alias), prod moves the
 * aliases gradually through CodeDeploy with the functions' alarms as rollback triggers, and the
 * local stage (and dev, by the shared settings) all at once without CodeDeploy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { load } from 'js-yaml';
import { deploymentFor, type RolloutDeclaration } from '@herald/serverless-plugin/rollout';
import { packageStage } from '../lib/package-stage';

type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string[];
  UpdatePolicy?: { CodeDeployLambdaAliasUpdate?: Record<string, unknown> };
};
type Resources = Record<string, Resource>;

const SERVICES = ['ingest', 'processing', 'notifications'] as const;
const STAGES = ['local', 'prod'] as const;
/** What invokes a function: each must name the alias. */
const INVOKERS = new Set([
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::Permission',
  'AWS::ApiGatewayV2::Integration',
  'AWS::S3::Bucket',
  'AWS::Events::Rule',
  'AWS::SNS::Subscription',
]);

const templates = new Map<string, Resources>();

beforeAll(async () => {
  // One after the other: packaging is CPU-bound.
  for (const stage of STAGES)
    for (const service of SERVICES) {
      const { update } = await packageStage(service, stage);
      templates.set(`${service} ${stage}`, (update as { Resources: Resources }).Resources);
    }
}, 600_000);

const aliasArn = (fn: string) => ({ 'Fn::Join': [':', [{ 'Fn::GetAtt': [fn, 'Arn'] }, 'live']] });

/** Every place `value` names the function unqualified (Ref, or GetAtt Arn outside the alias's ARN). */
function unqualifiedUses(value: unknown, fn: string): number {
  if (Array.isArray(value)) return value.reduce((n: number, item) => n + unqualifiedUses(item, fn), 0);
  if (typeof value !== 'object' || value === null) return 0;
  if (JSON.stringify(value) === JSON.stringify(aliasArn(fn))) return 0;
  const record = value as Record<string, unknown>;
  if (record.Ref === fn) return 1;
  const target = record['Fn::GetAtt'];
  if (Array.isArray(target) && target[0] === fn) return 1;
  return Object.values(record).reduce((n: number, item) => n + unqualifiedUses(item, fn), 0);
}

const byType = (resources: Resources, type: string) =>
  Object.entries(resources).filter(([, r]) => r.Type === type);

describe.each(SERVICES.flatMap((service) => STAGES.map((stage) => [service, stage] as const)))(
  '%s (%s)',
  (service, stage) => {
    const resources = () => templates.get(`${service} ${stage}`)!;

    test('every function has a live alias on its published version', () => {
      const functions = byType(resources(), 'AWS::Lambda::Function').map(([id]) => id);
      expect(functions.length).toBeGreaterThan(0);
      for (const fn of functions) {
        const aliases = byType(resources(), 'AWS::Lambda::Alias').filter(
          ([, a]) => (a.Properties.FunctionName as { Ref?: string }).Ref === fn,
        );
        expect(aliases.map(([, a]) => a.Properties.Name)).toEqual(['live']);
        const [versionId] = (aliases[0]![1].Properties.FunctionVersion as { 'Fn::GetAtt': [string, string] })[
          'Fn::GetAtt'
        ];
        expect(resources()[versionId]).toMatchObject({
          Type: 'AWS::Lambda::Version',
          Properties: { FunctionName: { Ref: fn } },
        });
      }
    });

    test("event sources, routes, permissions and notifications invoke the alias, never the function's $LATEST", () => {
      const functions = byType(resources(), 'AWS::Lambda::Function').map(([id]) => id);
      let pointed = 0;
      for (const [id, resource] of Object.entries(resources())) {
        if (!INVOKERS.has(resource.Type) && resource.Type !== 'AWS::Lambda::EventInvokeConfig') continue;
        for (const fn of functions) {
          const text = JSON.stringify(resource.Properties);
          if (!text.includes(`"${fn}"`)) continue;
          if (resource.Type === 'AWS::Lambda::EventInvokeConfig') {
            expect([id, resource.Properties.Qualifier]).toEqual([id, 'live']);
            continue;
          }
          expect([id, unqualifiedUses(resource.Properties, fn)]).toEqual([id, 0]);
          // CloudFormation makes the alias first: its ARN is written without a Ref to it.
          expect(resource.DependsOn).toContain(`${fn.replace(/LambdaFunction$/, '')}LambdaLiveAlias`);
          pointed++;
        }
      }
      expect(pointed).toBeGreaterThan(0);
      for (const [, mapping] of byType(resources(), 'AWS::Lambda::EventSourceMapping'))
        expect(functions.map(aliasArn)).toContainEqual(mapping.Properties.FunctionName);
      for (const [, integration] of byType(resources(), 'AWS::ApiGatewayV2::Integration'))
        expect(functions.map(aliasArn)).toContainEqual(integration.Properties.IntegrationUri);
    });

    if (stage === 'prod') {
      test("moves each alias gradually through CodeDeploy, rolled back by the function's alarms", () => {
        const aliases = byType(resources(), 'AWS::Lambda::Alias');
        for (const [id, alias] of aliases) {
          const update = alias.UpdatePolicy?.CodeDeployLambdaAliasUpdate;
          expect([id, update?.ApplicationName]).toEqual([id, { Ref: 'CodeDeployApplication' }]);
          const groupId = (update!.DeploymentGroupName as { Ref: string }).Ref;
          const group = resources()[groupId]!;
          expect(group.Type).toBe('AWS::CodeDeploy::DeploymentGroup');
          expect(group.Properties).toMatchObject({
            DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
            AutoRollbackConfiguration: {
              Enabled: true,
              Events: expect.arrayContaining(['DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_FAILURE']),
            },
            AlarmConfiguration: { Enabled: true },
          });
          const alarms = (
            group.Properties.AlarmConfiguration as { Alarms: Array<{ Name: { Ref: string } }> }
          ).Alarms.map((a) => a.Name.Ref);
          expect(alarms.length).toBeGreaterThan(0);
          expect(alarms.length).toBeLessThanOrEqual(10);
          // Among them the function's own errors alarm (its Errors metric).
          const fn = (alias.Properties.FunctionName as { Ref: string }).Ref;
          const own = alarms.filter((a) =>
            JSON.stringify(resources()[a]!.Properties.Dimensions).includes(`{"Ref":"${fn}"}`),
          );
          expect([id, own.length > 0]).toEqual([id, true]);
        }
        expect(resources().CodeDeployApplication).toMatchObject({
          Type: 'AWS::CodeDeploy::Application',
          Properties: { ApplicationName: `herald-prod-${service}`, ComputePlatform: 'Lambda' },
        });
        // Its role: the aliases and alarms of this service alone, no managed policy.
        const role = resources().CodeDeployServiceRole!;
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
        expect(JSON.stringify(role.Properties.Policies)).not.toContain('"*"');
      });
    } else {
      test('moves the aliases all at once, without CodeDeploy', () => {
        for (const [, alias] of byType(resources(), 'AWS::Lambda::Alias'))
          expect(alias.UpdatePolicy).toBeUndefined();
        expect(Object.values(resources()).filter((r) => r.Type.startsWith('AWS::CodeDeploy::'))).toEqual([]);
      });
    }
  },
);

test('the shared settings deploy dev and local all at once, prod 10% for 5 minutes first', () => {
  const shared = load(
    readFileSync(join(import.meta.dirname, '..', '..', 'serverless.shared.yml'), 'utf8'),
  ) as { rollout: RolloutDeclaration };
  expect(deploymentFor(shared.rollout, 'local')).toBe('AllAtOnce');
  expect(deploymentFor(shared.rollout, 'dev')).toBe('AllAtOnce');
  expect(deploymentFor(shared.rollout, 'prod')).toBe('Canary10Percent5Minutes');
  for (const service of SERVICES) {
    const yml = readFileSync(
      join(import.meta.dirname, '..', '..', 'services', service, 'serverless.yml'),
      'utf8',
    );
    expect(yml).toMatch(/^ {2}versionFunctions: true$/m);
    expect(yml).toContain('rollout: ${file(../../serverless.shared.yml):rollout}');
  }
});
