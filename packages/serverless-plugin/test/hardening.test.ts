import { describe, expect, test } from '@jest/globals';
import type { Resources } from '../src/cloudformation';
import { hardenDeploymentBucket } from '../src/deployment-bucket';
import {
  dropRequestAuthorizerScopes,
  encryptHttpApiLogGroup,
  removeDefaultRole,
  scopeServicePermissions,
} from '../src/hardening';

const fn = (role: string) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Role: { 'Fn::GetAtt': [role, 'Arn'] } },
});
const role = { Type: 'AWS::IAM::Role', Properties: {} };

describe('removeDefaultRole', () => {
  test('removes the default role when no function uses it, and the DependsOn entries that name it', () => {
    const resources: Resources = {
      IamRoleLambdaExecution: role,
      WorkIamRoleLambdaExecution: role,
      WorkLambdaFunction: fn('WorkIamRoleLambdaExecution'),
      Mapping: { Type: 'AWS::Lambda::EventSourceMapping', Properties: {} },
    };
    Object.assign(resources.Mapping!, { DependsOn: ['IamRoleLambdaExecution'] });
    Object.assign(resources.WorkLambdaFunction!, { DependsOn: ['IamRoleLambdaExecution', 'WorkLogGroup'] });
    removeDefaultRole(resources);
    expect(Object.keys(resources)).toEqual(['WorkIamRoleLambdaExecution', 'WorkLambdaFunction', 'Mapping']);
    expect(resources.Mapping).not.toHaveProperty('DependsOn');
    expect(resources.WorkLambdaFunction).toHaveProperty('DependsOn', ['WorkLogGroup']);
  });

  test.each([
    ['a function on it', fn('IamRoleLambdaExecution')],
    ['a Sub naming it', { Type: 'X', Properties: { Arn: { 'Fn::Sub': '${IamRoleLambdaExecution.Arn}' } } }],
  ])('keeps it while %s uses it (the template check names the function)', (_, user) => {
    const resources: Resources = { IamRoleLambdaExecution: role, User: user };
    removeDefaultRole(resources);
    expect(resources).toHaveProperty('IamRoleLambdaExecution');
  });
});

describe('scopeServicePermissions', () => {
  test('a service principal’s permission names the account; others and given ones are left alone', () => {
    const permission = (properties: Record<string, unknown>) => ({
      Type: 'AWS::Lambda::Permission',
      Properties: properties,
    });
    const resources: Resources = {
      Api: permission({ Principal: 'apigateway.amazonaws.com', SourceArn: 'arn:x' }),
      Given: permission({ Principal: 's3.amazonaws.com', SourceAccount: '123456789012' }),
      Account: permission({ Principal: '123456789012' }),
    };
    scopeServicePermissions(resources);
    expect(resources.Api!.Properties.SourceAccount).toEqual({ Ref: 'AWS::AccountId' });
    expect(resources.Given!.Properties.SourceAccount).toBe('123456789012');
    expect(resources.Account!.Properties).not.toHaveProperty('SourceAccount');
  });
});

describe('dropRequestAuthorizerScopes', () => {
  test("a Lambda authorizer's route loses its scopes (AWS refuses them there); a JWT authorizer's keeps them", () => {
    const route = (properties: Record<string, unknown>) => ({
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: properties,
    });
    const resources: Resources = {
      Custom: route({ AuthorizationType: 'CUSTOM', AuthorizerId: 'a', AuthorizationScopes: ['events:read'] }),
      Jwt: route({ AuthorizationType: 'JWT', AuthorizerId: 'b', AuthorizationScopes: ['events:read'] }),
    };
    dropRequestAuthorizerScopes(resources);
    expect(resources.Custom!.Properties).toEqual({ AuthorizationType: 'CUSTOM', AuthorizerId: 'a' });
    expect(resources.Jwt!.Properties.AuthorizationScopes).toEqual(['events:read']);
  });
});

describe('encryptHttpApiLogGroup', () => {
  test('the HTTP API’s access logs are encrypted with the service key', () => {
    const resources: Resources = { HttpApiLogGroup: { Type: 'AWS::Logs::LogGroup', Properties: {} } };
    encryptHttpApiLogGroup(resources, 'ServiceKey');
    expect(resources.HttpApiLogGroup!.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': ['ServiceKey', 'Arn'] });
  });
});

describe('hardenDeploymentBucket', () => {
  test('blocks public access, encrypts with KMS, keeps versions, expires old ones, and refuses non-TLS', () => {
    const resources: Resources = {
      ServerlessDeploymentBucket: { Type: 'AWS::S3::Bucket', Properties: {} },
      ServerlessDeploymentBucketPolicy: { Type: 'AWS::S3::BucketPolicy', Properties: { PolicyDocument: {} } },
    };
    hardenDeploymentBucket(resources);
    expect(resources.ServerlessDeploymentBucket!.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [{ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } }],
      },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
    const arn = { 'Fn::GetAtt': ['ServerlessDeploymentBucket', 'Arn'] };
    const policy = resources.ServerlessDeploymentBucketPolicy!.Properties.PolicyDocument as {
      Statement: unknown;
    };
    expect(policy.Statement).toEqual([
      {
        Sid: 'DenyNonTls',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [arn, { 'Fn::Join': ['', [arn, '/*']] }],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });

  test('leaves a template without the framework’s bucket (a bucket of one’s own) alone', () => {
    const resources: Resources = {};
    hardenDeploymentBucket(resources);
    expect(resources).toEqual({});
  });
});
