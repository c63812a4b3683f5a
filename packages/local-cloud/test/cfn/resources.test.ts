// The names, Ref values and attributes each resource type gets, in the forms the CloudFormation
// resource reference gives as each type's return values.
import { describe, expect, test } from '@jest/globals';
import { generatedName, physicalName, resourceIdentity } from '../../src/cfn/resources';
import type { NamingContext } from '../../src/cfn/resources';

const ctx: NamingContext = {
  stackName: 'herald-processing-local',
  accountId: '000000000000',
  region: 'us-east-1',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
};
const identity = (type: string, properties: Record<string, unknown> = {}, logicalId = 'Thing') =>
  resourceIdentity(type, logicalId, properties, ctx);

describe('generated names', () => {
  test('<stack>-<LogicalId>-<SUFFIX>, the same every time, different per logical id', () => {
    const name = physicalName('AWS::SQS::Queue', 'WorkQueue', {}, ctx);
    expect(name).toMatch(/^herald-processing-local-WorkQueue-[A-Z0-9]{12}$/);
    expect(physicalName('AWS::SQS::Queue', 'WorkQueue', {}, ctx)).toBe(name);
    expect(physicalName('AWS::SQS::Queue', 'OtherQueue', {}, ctx)).not.toBe(
      name.replace('WorkQueue', 'OtherQueue'),
    );
  });

  test('a name the template gives is used as it is', () => {
    expect(physicalName('AWS::SQS::Queue', 'Q', { QueueName: 'given' }, ctx)).toBe('given');
  });

  test('buckets get lower-case names of at most 63 characters', () => {
    const name = physicalName(
      'AWS::S3::Bucket',
      'ServerlessDeploymentBucket',
      {},
      { ...ctx, stackName: 'herald-notifications-local' },
    );
    expect(name).toMatch(/^[a-z0-9-]+$/);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^herald-notifications-loc.*-serverlessdeploymentbuck.*-[a-z0-9]{12}$/);
  });

  test('long stack names and logical ids are both shortened to the limit', () => {
    const name = generatedName({ ...ctx, stackName: 's'.repeat(70) }, 'L'.repeat(70), { maxLength: 64 });
    expect(name).toHaveLength(64);
    expect(name).toMatch(/^s+-L+-[A-Z0-9]{12}$/);
  });

  test('a FIFO queue gets a name ending in .fifo', () => {
    const name = physicalName('AWS::SQS::Queue', 'Orders', { FifoQueue: true }, ctx);
    expect(name).toMatch(/^herald-processing-local-Orders-[A-Z0-9]{12}\.fifo$/);
    expect(name.length).toBeLessThanOrEqual(80);
  });

  test('secrets are named <LogicalId>-<suffix>, without the stack', () => {
    expect(physicalName('AWS::SecretsManager::Secret', 'ApiKey', {}, ctx)).toMatch(
      /^ApiKey-[A-Za-z0-9]{12}$/,
    );
  });

  test('a type that needs a name says so', () => {
    expect(() => physicalName('AWS::Events::EventBus', 'Bus', {}, ctx)).toThrow(
      'Resources.Bus.Properties: AWS::Events::EventBus needs Name',
    );
  });
});

describe('Ref and attributes', () => {
  test('SQS queue: Ref is the URL', () => {
    expect(identity('AWS::SQS::Queue', { QueueName: 'q' })).toEqual({
      ref: 'https://sqs.us-east-1.amazonaws.com/000000000000/q',
      attributes: {
        Arn: 'arn:aws:sqs:us-east-1:000000000000:q',
        QueueName: 'q',
        QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/q',
      },
    });
  });

  test('DynamoDB table: Ref is the name; StreamArn is the one the table was created with', () => {
    expect(identity('AWS::DynamoDB::Table', { TableName: 't' })).toEqual({
      ref: 't',
      attributes: { Arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t' },
    });
    const streamArn = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-01-01T00:00:00.000';
    expect(
      resourceIdentity('AWS::DynamoDB::Table', 'T', { TableName: 't' }, ctx, { StreamArn: streamArn })
        .attributes.StreamArn,
    ).toBe(streamArn);
  });

  test('S3 bucket: Ref is the name, with ARN and domain names', () => {
    expect(identity('AWS::S3::Bucket', { BucketName: 'b' })).toEqual({
      ref: 'b',
      attributes: {
        Arn: 'arn:aws:s3:::b',
        DomainName: 'b.s3.amazonaws.com',
        RegionalDomainName: 'b.s3.us-east-1.amazonaws.com',
        DualStackDomainName: 'b.s3.dualstack.us-east-1.amazonaws.com',
        WebsiteURL: 'http://b.s3-website-us-east-1.amazonaws.com',
      },
    });
  });

  test('EventBridge: a bus by name; a rule is <bus>|<name> on a custom bus and its name on the default one', () => {
    expect(identity('AWS::Events::EventBus', { Name: 'herald-local' })).toEqual({
      ref: 'herald-local',
      attributes: {
        Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/herald-local',
        Name: 'herald-local',
      },
    });
    expect(identity('AWS::Events::Rule', { Name: 'r', EventBusName: 'herald-local' })).toEqual({
      ref: 'herald-local|r',
      attributes: { Arn: 'arn:aws:events:us-east-1:000000000000:rule/herald-local/r' },
    });
    expect(identity('AWS::Events::Rule', { Name: 'r' })).toEqual({
      ref: 'r',
      attributes: { Arn: 'arn:aws:events:us-east-1:000000000000:rule/r' },
    });
    const byArn = identity('AWS::Events::Rule', {
      Name: 'r',
      EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/b',
    });
    expect(byArn.ref).toBe('b|r');
  });

  test('Secrets Manager: Ref is the ARN, which ends in a hyphen and six characters', () => {
    const secret = identity('AWS::SecretsManager::Secret', { Name: 'herald/local/key' });
    expect(secret.ref).toMatch(
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:herald\/local\/key-[A-Za-z0-9]{6}$/,
    );
    expect(secret.attributes.Id).toBe(secret.ref);
  });

  test('KMS key: Ref is the key id (a UUID), stable per stack and logical id', () => {
    const key = identity('AWS::KMS::Key', {}, 'ProcessingKey');
    expect(key.ref).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(key.attributes).toEqual({
      Arn: `arn:aws:kms:us-east-1:000000000000:key/${key.ref}`,
      KeyId: key.ref,
    });
    expect(identity('AWS::KMS::Key', {}, 'ProcessingKey')).toEqual(key);
    expect(identity('AWS::KMS::Key', {}, 'OtherKey').ref).not.toBe(key.ref);
  });

  test('Lambda function, IAM role (with its path), log group, alarm', () => {
    expect(identity('AWS::Lambda::Function', { FunctionName: 'f' })).toEqual({
      ref: 'f',
      attributes: { Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' },
    });
    const role = identity('AWS::IAM::Role', { RoleName: 'r', Path: '/service/' });
    expect(role.ref).toBe('r');
    expect(role.attributes.Arn).toBe('arn:aws:iam::000000000000:role/service/r');
    expect(role.attributes.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(identity('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/f' }).attributes.Arn).toBe(
      'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/f:*',
    );
    expect(identity('AWS::CloudWatch::Alarm', { AlarmName: 'a' })).toEqual({
      ref: 'a',
      attributes: { Arn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:a' },
    });
  });

  test("Lambda version and alias: Refs are the function's ARN qualified by version (1) or alias name", () => {
    const fn = 'arn:aws:lambda:us-east-1:000000000000:function:f';
    expect(identity('AWS::Lambda::Version', { FunctionName: 'f' })).toEqual({
      ref: `${fn}:1`,
      attributes: { Version: '1', FunctionArn: fn },
    });
    expect(identity('AWS::Lambda::Alias', { FunctionName: 'f', FunctionVersion: '1', Name: 'live' })).toEqual(
      {
        ref: `${fn}:live`,
        attributes: { AliasArn: `${fn}:live` },
      },
    );
    expect(identity('AWS::Lambda::Alias', { FunctionName: fn, Name: 'live' }).ref).toBe(`${fn}:live`);
  });

  test('event source mapping: Ref is a UUID; HTTP API: a 10-character id and its endpoint', () => {
    const mapping = identity('AWS::Lambda::EventSourceMapping');
    expect(mapping.attributes.EventSourceMappingArn).toBe(
      `arn:aws:lambda:us-east-1:000000000000:event-source-mapping:${mapping.ref}`,
    );
    const api = identity('AWS::ApiGatewayV2::Api');
    expect(api.ref).toMatch(/^[a-z0-9]{10}$/);
    expect(api.attributes.ApiEndpoint).toBe(`https://${api.ref}.execute-api.us-east-1.amazonaws.com`);
  });

  test('a type the local cloud does not know gets a generated Ref and no attributes', () => {
    expect(identity('AWS::Foo::Bar', {}, 'Odd')).toEqual({
      ref: expect.stringMatching(/^herald-processing-local-Odd-[A-Z0-9]{12}$/),
      attributes: {},
    });
  });
});
