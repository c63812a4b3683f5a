/**
 * The plugin inside osls: a small service (test/fixture) packaged as the real services are, so the
 * hook's place in osls's lifecycle is tested too (log groups exist by then, roles and `resources`
 * come after).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

type Resource = { Type: string; Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
const root = join(import.meta.dirname, '..', '..', '..');
const fixture = join(import.meta.dirname, 'fixture');
const dirs: string[] = [];

function packageFixture(config: string) {
  const dir = mkdtempSync(join(tmpdir(), 'serverless-plugin-'));
  dirs.push(dir);
  const run = spawnSync(
    join(root, 'node_modules', '.bin', 'serverless'),
    ['package', '--config', config, '--stage', 'test', '--package', dir],
    { cwd: fixture, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } },
  );
  return { run, dir };
}

let resources: Record<string, Resource>;
let coreResources: Record<string, Resource>;

beforeAll(() => {
  const { run, dir } = packageFixture('serverless.yml');
  if (run.status !== 0) throw new Error(`serverless package failed:\n${run.stdout}\n${run.stderr}`);
  const template = JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'));
  resources = template.Resources;
  // The core template: what a stack's first deploy creates.
  const core = join(dir, 'cloudformation-template-create-stack.json');
  coreResources = JSON.parse(readFileSync(core, 'utf8')).Resources;
}, 60_000);
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const getAtt = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });

describe('the plugin in osls', () => {
  test('adds the queue, its dead-letter queue and alarm, and the function’s error alarm', () => {
    expect(resources.WorkQueue!.Properties).toMatchObject({
      QueueName: 'fixture-test-work',
      KmsMasterKeyId: { Ref: 'FixtureKey' },
      RedrivePolicy: { deadLetterTargetArn: getAtt('WorkDeadLetterQueue', 'Arn'), maxReceiveCount: 3 },
    });
    expect(resources.WorkDeadLetterQueue!.Properties.QueueName).toBe('fixture-test-work-dlq');
    expect(resources.WorkDeadLetterQueueAlarm!.Properties.AlarmName).toBe('fixture-test-work-dlq-not-empty');
    expect(resources.WorkErrorsAlarm!.Properties).toMatchObject({
      AlarmName: 'fixture-test-work-errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'WorkLambdaFunction' } }],
    });
  });

  test('`resources.extensions` still extends what the plugin added', () => {
    expect(resources.WorkQueue!.Properties.DelaySeconds).toBe(5);
  });

  test('encrypts every log group with the service key', () => {
    expect(resources.WorkLogGroup!.Properties.KmsKeyId).toEqual(getAtt('FixtureKey', 'Arn'));
    expect(resources.QuietLogGroup).toBeUndefined();
  });

  test('the traced function’s own role may write traces, after its own statements', () => {
    const statements = resources.WorkIamRoleLambdaExecution!.Properties.Policies[0].PolicyDocument.Statement;
    expect(statements.map((s: { Sid?: string }) => s.Sid).slice(-2)).toEqual(['SendMore', 'WriteTraces']);
    expect(statements.at(-1)).toEqual({
      Sid: 'WriteTraces',
      Effect: 'Allow',
      Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      Resource: '*',
    });
  });

  test('every alarm, the plugin’s and those written by hand, notifies the encrypted alarm topic', () => {
    expect(resources.AlarmTopic!.Properties).toMatchObject({
      TopicName: 'fixture-test-alarms',
      KmsMasterKeyId: { Ref: 'FixtureKey' },
    });
    const alarms = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.map(([id]) => id).sort()).toEqual([
      'ApiErrorsAlarm',
      'ApiThrottlesAlarm',
      'HandWrittenAlarm',
      'HttpApiServerErrorsAlarm',
      'QuietErrorsAlarm',
      'QuietThrottlesAlarm',
      'WorkDeadLetterQueueAlarm',
      'WorkErrorsAlarm',
      'WorkThrottlesAlarm',
    ]);
    for (const [, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: 'AlarmTopic' }]);
    }
    const subscriptions = Object.values(resources).filter((r) => r.Type === 'AWS::SNS::Subscription');
    expect(subscriptions.map((r) => r.Properties.Protocol).sort()).toEqual(['email', 'https']);
  });

  test('a function’s own errorsAlarm wins over the default one; the API alarms above its threshold', () => {
    expect(resources.WorkErrorsAlarm!.Properties.AlarmName).toBe('fixture-test-work-errors');
    expect(resources.ApiErrorsAlarm!.Properties.AlarmName).toBe('fixture-test-api-errors');
    expect(resources.ApiThrottlesAlarm!.Properties).toMatchObject({ MetricName: 'Throttles', Threshold: 0 });
    expect(resources.HttpApiServerErrorsAlarm!.Properties).toMatchObject({
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: 'HttpApi' } }],
      Threshold: 5,
    });
  });

  test('API Gateway may invoke a function for this account only; access logs are encrypted', () => {
    expect(resources.ApiLambdaPermissionHttpApi!.Properties.SourceAccount).toEqual({ Ref: 'AWS::AccountId' });
    expect(resources.HttpApiLogGroup!.Properties.KmsKeyId).toEqual(getAtt('FixtureKey', 'Arn'));
  });

  test('a dashboard named after the alarm prefix', () => {
    expect(resources.Dashboard!.Properties.DashboardName).toBe('fixture-test');
    expect(JSON.stringify(resources.Dashboard!.Properties.DashboardBody)).toContain('Work done');
  });

  test('the default role stays while a function (quiet, without statements) uses it', () => {
    expect(resources.QuietLambdaFunction!.Properties.Role).toEqual(getAtt('IamRoleLambdaExecution', 'Arn'));
    expect(resources.IamRoleLambdaExecution).toBeDefined();
  });

  test('the deployment bucket is hardened in the full template and in the core one', () => {
    for (const template of [resources, coreResources]) {
      expect(template.ServerlessDeploymentBucket!.Properties).toMatchObject({
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
        },
      });
      expect(
        template.ServerlessDeploymentBucketPolicy!.Properties.PolicyDocument.Statement[0].Condition,
      ).toEqual({
        Bool: { 'aws:SecureTransport': 'false' },
      });
    }
  });

  test('osls refuses a declaration the schema does not know', () => {
    const { run } = packageFixture('serverless.invalid.yml');
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(
      /custom\.herald\.queues\.WorkQueue\.deadLetterQueue.*notEmptyAlarms/s,
    );
  });
});
