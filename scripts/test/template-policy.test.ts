import { describe, expect, test } from '@jest/globals';
import { checkTemplate, type Template } from '../lib/template-policy';

const fn = (role: string) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Runtime: 'nodejs22.x', Architectures: ['arm64'], Role: { 'Fn::GetAtt': [role, 'Arn'] } },
});
const role = (...Statement: unknown[]) => ({
  Type: 'AWS::IAM::Role',
  Properties: { Policies: [{ PolicyDocument: { Statement } }] },
});
const allow = (Action: unknown, Resource: unknown) => ({ Effect: 'Allow', Action, Resource });
const queueArn = { 'Fn::GetAtt': ['Queue', 'Arn'] };

describe('checkTemplate', () => {
  test('passes functions with their own narrowly scoped roles', () => {
    const template: Template = {
      Resources: {
        A: fn('ARole'),
        ARole: role(
          allow(['sqs:SendMessage'], queueArn),
          allow(['logs:PutLogEvents'], {
            'Fn::Sub':
              'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/a:*:*',
          }),
          allow(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], '*'),
        ),
      },
    };
    expect(checkTemplate(template)).toEqual([]);
  });

  test.each([
    ['Action "*"', allow('*', queueArn), /wildcard action "\*"/],
    ['a whole service', allow(['dynamodb:*'], queueArn), /wildcard action "dynamodb:\*"/],
    ['Resource "*"', allow(['sqs:SendMessage'], '*'), /wildcard resource/],
    ['any account', allow(['sqs:SendMessage'], 'arn:aws:sqs:us-east-1:*:queue'), /wildcard resource/],
    [
      'any region',
      allow(['sqs:SendMessage'], { 'Fn::Sub': 'arn:aws:sqs:*:${AWS::AccountId}:q' }),
      /wildcard resource/,
    ],
    [
      'a scoped action beside X-Ray',
      allow(['xray:PutTraceSegments', 's3:GetObject'], '*'),
      /wildcard resource/,
    ],
    ['an unset parameter', allow(['sqs:SendMessage'], ''), /empty resource/],
  ])('flags %s', (_name, statement, message) => {
    const problems = checkTemplate({ Resources: { A: fn('ARole'), ARole: role(statement) } });
    expect(problems).toEqual([expect.stringMatching(message)]);
  });

  test('allows assuming roles in any account under one fixed path prefix, and nothing wider', () => {
    const assume = (Resource: unknown, Action: unknown = ['sts:AssumeRole']) =>
      checkTemplate({ Resources: { A: fn('ARole'), ARole: role(allow(Action, Resource)) } });
    expect(assume({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/herald-destinations/*' })).toEqual([]);
    expect(assume('arn:aws:iam::*:role/herald/destinations/*')).toEqual([]);
    for (const wider of [
      'arn:aws:iam::*:role/*',
      'arn:aws:iam::*:role/herald-*/*',
      'arn:aws:iam::*:*',
      'arn:aws:iam::*:user/herald-destinations/*',
    ])
      expect(assume(wider)).toEqual([expect.stringMatching(/wildcard resource for sts:AssumeRole/)]);
    expect(assume('arn:aws:iam::*:role/herald-destinations/*', ['sts:AssumeRole', 'sts:TagSession'])).toEqual(
      [expect.stringMatching(/wildcard resource/)],
    );
  });

  test('ignores Deny statements, which only narrow access', () => {
    const deny = { Effect: 'Deny', Action: 'sqs:*', Resource: '*' };
    expect(checkTemplate({ Resources: { A: fn('ARole'), ARole: role(deny) } })).toEqual([]);
  });

  test('flags a role shared by two functions and the shared default role', () => {
    const problems = checkTemplate({
      Resources: { A: fn('Shared'), B: fn('Shared'), C: fn('IamRoleLambdaExecution'), Shared: role() },
    });
    expect(problems).toEqual([
      expect.stringMatching(/Shared: shared by A, B/),
      expect.stringMatching(/C: on the shared default role/),
    ]);
  });

  test('flags the wrong runtime or architecture', () => {
    const old = {
      ...fn('R'),
      Properties: { ...fn('R').Properties, Runtime: 'nodejs20.x', Architectures: ['x86_64'] },
    };
    expect(checkTemplate({ Resources: { A: old, R: role() } })).toEqual([
      expect.stringMatching(/runtime nodejs20.x/),
      expect.stringMatching(/not arm64/),
    ]);
  });

  test('flags unencrypted queues, tables, log groups and unrotated keys', () => {
    const problems = checkTemplate({
      Resources: {
        Q: { Type: 'AWS::SQS::Queue', Properties: {} },
        T: { Type: 'AWS::DynamoDB::Table', Properties: { SSESpecification: { SSEEnabled: true } } },
        L: { Type: 'AWS::Logs::LogGroup', Properties: {} },
        K: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: false } },
      },
    });
    expect(problems).toEqual([
      'Q: queue not encrypted with a KMS key',
      'Q: no queue policy refuses requests without TLS',
      'T: table not encrypted with a KMS key',
      'T: point-in-time recovery off',
      'L: log group not encrypted with a KMS key',
      'K: key rotation off',
    ]);
  });

  test('flags the shared default role deployed even when no function uses it', () => {
    const problems = checkTemplate({
      Resources: { A: fn('ARole'), ARole: role(), IamRoleLambdaExecution: role() },
    });
    expect(problems).toEqual([
      expect.stringMatching(/IamRoleLambdaExecution: the framework's shared default role/),
    ]);
  });

  test('every queue has a policy that refuses requests without TLS; topics are encrypted', () => {
    const queue = { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: { Ref: 'Key' } } };
    const policy = (Statement: unknown[], ...queues: string[]) => ({
      Type: 'AWS::SQS::QueuePolicy',
      Properties: { Queues: queues.map((Ref) => ({ Ref })), PolicyDocument: { Statement } },
    });
    const denyNonTls = {
      Effect: 'Deny',
      Action: 'sqs:*',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    };
    const problems = checkTemplate({
      Resources: {
        Covered: queue,
        AlsoCovered: queue,
        AllowOnly: queue,
        Bare: queue,
        TlsOnly: policy([denyNonTls], 'Covered', 'AlsoCovered'),
        Allows: policy([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }], 'AllowOnly'),
        Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
      },
    });
    expect(problems).toEqual([
      'AllowOnly: no queue policy refuses requests without TLS',
      'Bare: no queue policy refuses requests without TLS',
      'Topic: topic not encrypted with a KMS key',
    ]);
  });
});
