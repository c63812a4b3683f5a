/** The Control Tower check runs the real cfn-guard binary and rules, as npm run check:templates does. */
import { describe, expect, test } from '@jest/globals';
import { controlCatalogue, guardBinary, runControls, type CheckedTemplate } from '../lib/control-tower';
import { resolvePseudoParameters } from '../lib/pseudo-parameters';

const key = { Type: 'AWS::KMS::Key', Properties: {} };
const queue = (properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::SQS::Queue',
  Properties: { KmsMasterKeyId: { Ref: 'Key' }, ...properties },
});
const workAndDlq = {
  Key: key,
  WorkQueue: queue({
    RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['WorkDlq', 'Arn'] }, maxReceiveCount: 5 },
  }),
  WorkDlq: queue({
    RedriveAllowPolicy: { redrivePermission: 'byQueue', sourceQueueArns: ['arn:aws:sqs:us-east-1:1:w'] },
  }),
};
const checked = (name: string, stage: string, Resources: Record<string, unknown>): CheckedTemplate => ({
  name,
  stage,
  template: { Resources } as CheckedTemplate['template'],
});
const finding = (report: Awaited<ReturnType<typeof runControls>>, control: string, template: string) =>
  report.findings.find((f) => f.control === control && f.template === template);

describe('the Control Tower controls', () => {
  test('the catalogue names each control with the resource types it evaluates, and the binary exists here', async () => {
    const catalogue = await controlCatalogue();
    expect(catalogue.length).toBeGreaterThan(200);
    expect(catalogue.find((c) => c.id === 'CT.SQS.PR.1')).toMatchObject({
      resourceTypes: ['AWS::SQS::Queue'],
      rules: ['sqs_dlq_check'],
    });
    expect(guardBinary()).toMatch(/cfn-guard$/);
    expect(() => guardBinary('win32', 'x64')).toThrow(/not shipped for win32\/x64/);
  });

  test('a template that breaks a control fails it, with the control id and the resource', async () => {
    const report = await runControls([checked('bad', 'prod', { Key: key, Lonely: queue() })], {
      excluded: [],
    });
    expect(finding(report, 'CT.SQS.PR.1', 'bad')).toEqual({
      control: 'CT.SQS.PR.1',
      template: 'bad',
      outcome: 'fail',
      resources: ['Lonely'],
      reasons: [],
    });
    // Only the controls of the template's resource types ran.
    expect(new Set(report.controls.flatMap((c) => c.resourceTypes))).toEqual(
      new Set(['AWS::SQS::Queue', 'AWS::KMS::Key']),
    );
    expect(report.uncovered).toEqual([]);
  });

  test('a queue with its dead-letter queue passes', async () => {
    const report = await runControls([checked('good', 'prod', workAndDlq)], { excluded: [] });
    expect(finding(report, 'CT.SQS.PR.1', 'good')?.outcome).toBe('pass');
  });

  test('an exclusion excuses the stages and resources it names, and no others; one that excuses nothing is stale', async () => {
    const excluded = [
      { control: 'CT.SQS.PR.1', resources: ['Lonely'], stages: ['local'], reason: 'it is alone locally' },
      { control: 'CT.SQS.PR.2', reason: 'never needed' },
      { control: 'CT.KMS.PR.1', stages: ['dev'], reason: 'not a checked stage' },
    ];
    const report = await runControls(
      [
        checked('local one', 'local', { Key: key, Lonely: queue() }),
        checked('prod one', 'prod', { Key: key, Lonely: queue() }),
        checked('other', 'local', { Key: key, Other: queue() }),
      ],
      { excluded },
    );
    expect(finding(report, 'CT.SQS.PR.1', 'local one')).toMatchObject({
      outcome: 'excluded',
      reasons: ['it is alone locally'],
    });
    expect(finding(report, 'CT.SQS.PR.1', 'prod one')?.outcome).toBe('fail');
    expect(finding(report, 'CT.SQS.PR.1', 'other')?.outcome).toBe('fail');
    expect(report.stale).toEqual([excluded[1]]);
  });

  test('resource types that no control evaluates are named', async () => {
    const report = await runControls(
      [checked('t', 'prod', { Topic: { Type: 'AWS::SNS::Topic', Properties: {} } })],
      {
        excluded: [],
      },
    );
    expect(report.controls).toEqual([]);
    expect(report.uncovered).toEqual(['AWS::SNS::Topic']);
  });
});

describe('resolvePseudoParameters', () => {
  test('pseudo parameters, and the Sub and Join made of them alone, become what a hook sees', () => {
    expect(
      resolvePseudoParameters({
        account: { Ref: 'AWS::AccountId' },
        sub: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::b-${AWS::Region} ${!Literal}' },
        join: { 'Fn::Join': [':', ['a', { Ref: 'AWS::Region' }]] },
      }),
    ).toEqual({ account: '123456789012', sub: 'arn:aws:s3:::b-us-east-1 ${Literal}', join: 'a:us-east-1' });
  });

  test('references to resources and parameters stay', () => {
    const value = {
      ref: { Ref: 'Bucket' },
      sub: { 'Fn::Sub': '${Bucket.Arn}/*' },
      join: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/*']] },
    };
    expect(resolvePseudoParameters(value)).toEqual(value);
  });
});
