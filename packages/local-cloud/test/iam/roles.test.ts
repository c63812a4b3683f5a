// Each function's role, the resource policies and the resource facts, read from templates as the local
// cloud provisions them. First small hand-written templates, one rule at a time: a stack of data-only
// resources provisioned by the real provisionTemplate (no emulator is called for keys, secrets, buses,
// roles and functions), and a stack with queues, tables, buckets and topics planned by planStack. Then
// the services' real packaged templates (packaged first when missing, as the other template tests do).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '../../src/aws';
import { serviceStackName } from '../../src/cfn/load';
import { provisionTemplate, type ProvisionResult } from '../../src/cfn/provision';
import type { Template } from '../../src/cfn/template';
import { SERVICES, type ServiceName } from '../../src/config';
import {
  iamModel,
  IamModelError,
  planStack,
  type IamModel,
  type IamStack,
  type PlannedStack,
} from '../../src/iam/roles';
import type { Statement } from '../../src/iam/types';
import { packageMissingServices, planPackagedServices } from '../../src/iam/packaged-stacks';

const SCOPE = { accountId: '123456789012', region: 'eu-west-1', partition: 'aws' };
const arn = (service: string, resource: string) => `arn:aws:${service}:eu-west-1:123456789012:${resource}`;

const statementsOf = (model: IamModel, functionName: string): Statement[] =>
  (model.functions.get(functionName)?.policies ?? []).flatMap((policy) =>
    Array.isArray(policy.document.Statement) ? policy.document.Statement : [policy.document.Statement],
  );

// ---------------------------------------------------------------------------------------------------
// Keys, aliases, secrets, a bus, roles and functions: resources provisioning keeps as data.

const ROLE_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

const dataTemplate = (): Template => ({
  Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } },
  Resources: {
    SharedKey: {
      Type: 'AWS::KMS::Key',
      Properties: {
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AccountAdministers',
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
              Action: 'kms:*',
              Resource: '*',
            },
          ],
        },
      },
    },
    DefaultPolicyKey: { Type: 'AWS::KMS::Key', Properties: {} },
    SharedKeyAlias: {
      Type: 'AWS::KMS::Alias',
      Properties: { AliasName: 'alias/shared', TargetKeyId: { Ref: 'SharedKey' } },
    },
    ApiSecret: {
      Type: 'AWS::SecretsManager::Secret',
      Properties: { Name: 'shop/api-key', KmsKeyId: { Ref: 'SharedKeyAlias' } },
    },
    ApiSecretPolicy: {
      Type: 'AWS::SecretsManager::ResourcePolicy',
      Properties: {
        SecretId: { Ref: 'ApiSecret' },
        ResourcePolicy: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Deny', Principal: '*', Action: 'secretsmanager:DeleteSecret', Resource: '*' },
          ],
        },
      },
    },
    Bus: {
      Type: 'AWS::Events::EventBus',
      Properties: {
        Name: 'shop',
        KmsKeyIdentifier: { 'Fn::GetAtt': ['SharedKey', 'Arn'] },
        // CloudFormation takes a Json property as an object or as its JSON text.
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Sid: 'OwnAccount', Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: '*' },
          ],
        }),
      },
    },
    PartnerPuts: {
      Type: 'AWS::Events::EventBusPolicy',
      Properties: { EventBusName: { Ref: 'Bus' }, StatementId: 'Partner', Principal: '111122223333' },
    },
    OrgPuts: {
      Type: 'AWS::Events::EventBusPolicy',
      Properties: {
        EventBusName: { Ref: 'Bus' },
        StatementId: 'Org',
        Statement: {
          Effect: 'Allow',
          Principal: '*',
          Action: 'events:PutEvents',
          Resource: { 'Fn::GetAtt': ['Bus', 'Arn'] },
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1234567890' } },
        },
      },
    },
    PublishRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Path: '/service/',
        AssumeRolePolicyDocument: ROLE_TRUST,
        Policies: [
          {
            PolicyName: { 'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, 'lambda']] },
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Sid: 'Publish',
                  Effect: 'Allow',
                  Action: 'events:PutEvents',
                  Resource: { 'Fn::GetAtt': ['Bus', 'Arn'] },
                  Condition: { StringEquals: { 'events:source': 'shop.orders' } },
                },
                {
                  Sid: 'ReadKey',
                  Effect: 'Allow',
                  Action: 'secretsmanager:GetSecretValue',
                  Resource: { Ref: 'ApiSecret' },
                },
                {
                  Sid: 'UseKey',
                  Effect: 'Allow',
                  Action: ['kms:Decrypt'],
                  Resource: { 'Fn::Sub': '${SharedKey.Arn}' },
                },
              ],
            },
          },
        ],
        ManagedPolicyArns: [],
      },
    },
    ExtraGrant: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'extra',
        Roles: [{ Ref: 'PublishRole' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: {
            Effect: 'Deny',
            Action: 'kms:Encrypt',
            Resource: { 'Fn::GetAtt': ['SharedKey', 'Arn'] },
          },
        },
      },
    },
    PublishFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: 'shop-publish',
        Handler: 'publish.handler',
        Runtime: 'nodejs22.x',
        Role: { 'Fn::GetAtt': ['PublishRole', 'Arn'] },
      },
    },
    NeverFunction: {
      Type: 'AWS::Lambda::Function',
      Condition: 'Never',
      Properties: { FunctionName: 'never', Role: { 'Fn::GetAtt': ['PublishRole', 'Arn'] } },
    },
  },
});

// A client per emulator provisioning might call; none is called for these resource types.
const idle = {
  sqs: new SQSClient(clientConfig('http://127.0.0.1:9')),
  dynamodb: new DynamoDBClient(clientConfig('http://127.0.0.1:9')),
  s3: new S3Client({ ...clientConfig('http://127.0.0.1:9'), forcePathStyle: true }),
};
afterAll(() => Object.values(idle).forEach((client) => client.destroy()));

const provision = (template: Template, stackName = 'shop-test') =>
  provisionTemplate(template, {
    stackName,
    clients: idle,
    accountId: SCOPE.accountId,
    region: SCOPE.region,
    log: { info: () => undefined, warn: () => undefined },
  });

describe('names as AWS gives them', () => {
  test('a stream DynamoDB Local names in its own region is judged under the name AWS gives it', () => {
    const template: Template = {
      Resources: {
        Items: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            TableName: 'items',
            BillingMode: 'PAY_PER_REQUEST',
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
          },
        },
        ReadRole: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: ROLE_TRUST,
            Policies: [
              {
                PolicyName: 'read',
                PolicyDocument: {
                  Version: '2012-10-17',
                  Statement: [
                    {
                      Effect: 'Allow',
                      Action: 'dynamodb:GetRecords',
                      Resource: { 'Fn::GetAtt': ['Items', 'StreamArn'] },
                    },
                  ],
                },
              },
            ],
          },
        },
        ReadFunction: {
          Type: 'AWS::Lambda::Function',
          Properties: { FunctionName: 'shop-read', Role: { 'Fn::GetAtt': ['ReadRole', 'Arn'] } },
        },
      },
    };
    const planned = planStack(template, 'shop-test', SCOPE);
    const label = '2026-11-30T22:58:48.806';
    const items = planned.provisioned.resources.Items!;
    const local = {
      ...items,
      attributes: {
        ...items.attributes,
        StreamArn: `arn:aws:dynamodb:ddblocal:123456789012:table/items/stream/${label}`,
      },
    };
    const model = iamModel(
      [{ ...planned, provisioned: { resources: { ...planned.provisioned.resources, Items: local } } }],
      SCOPE,
    );
    expect(statementsOf(model, 'shop-read')[0]!.Resource).toBe(
      arn('dynamodb', `table/items/stream/${label}`),
    );
  });
});

describe('roles and resource policies of provisioned data-only resources', () => {
  let provisioned: ProvisionResult;
  let model: IamModel;
  beforeAll(async () => {
    provisioned = await provision(dataTemplate());
    model = iamModel([{ stackName: 'shop-test', template: dataTemplate(), provisioned }], SCOPE);
  });

  test('planStack gives every resource the Ref and attributes provisioning gave it', () => {
    expect(planStack(dataTemplate(), 'shop-test', SCOPE).provisioned.resources).toEqual(
      provisioned.resources,
    );
  });

  test('a function acts as its role, with the role’s inline policies and then the policies attached to it', () => {
    expect([...model.functions.keys()]).toEqual(['shop-publish']);
    const publish = model.functions.get('shop-publish')!;
    expect(publish.caller).toEqual({
      functionName: 'shop-publish',
      // The role's path is part of its ARN ("IAM identifiers").
      roleArn: provisioned.resources.PublishRole!.attributes.Arn,
      accountId: SCOPE.accountId,
    });
    expect(publish.caller.roleArn).toMatch(
      /^arn:aws:iam::123456789012:role\/service\/shop-test-PublishRole-/,
    );
    expect(publish).toMatchObject({
      stackName: 'shop-test',
      functionLogicalId: 'PublishFunction',
      roleLogicalId: 'PublishRole',
    });
    expect(publish.policies.map((policy) => policy.name)).toEqual([
      'PublishRole/shop-test-lambda',
      'ExtraGrant/extra',
    ]);
  });

  test('every intrinsic in the policies is resolved to what provisioning made', () => {
    const keyArn = provisioned.resources.SharedKey!.attributes.Arn;
    expect(statementsOf(model, 'shop-publish')).toEqual([
      {
        Sid: 'Publish',
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: arn('events', 'event-bus/shop'),
        Condition: { StringEquals: { 'events:source': 'shop.orders' } },
      },
      {
        Sid: 'ReadKey',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: provisioned.resources.ApiSecret!.ref,
      },
      { Sid: 'UseKey', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: keyArn },
      { Effect: 'Deny', Action: 'kms:Encrypt', Resource: keyArn },
    ]);
  });

  test('a key policy is found by key ARN and alias ARN, and is marked as one; a key without one has none', () => {
    const keyArn = provisioned.resources.SharedKey!.attributes.Arn!;
    const found = model.resourcePolicy(keyArn);
    expect(found?.isKeyPolicy).toBe(true);
    expect(found?.policy.name).toBe('SharedKey/KeyPolicy');
    expect(found?.policy.document.Statement).toEqual([
      expect.objectContaining({ Principal: { AWS: 'arn:aws:iam::123456789012:root' } }),
    ]);
    expect(model.resourcePolicy(arn('kms', 'alias/shared'))).toEqual(found);
    expect(model.resourcePolicy(provisioned.resources.DefaultPolicyKey!.attributes.Arn!)).toBeUndefined();
  });

  test('the bus’s own policy and each AWS::Events::EventBusPolicy add up to one policy of the bus', () => {
    const found = model.resourcePolicy(arn('events', 'event-bus/shop'));
    expect(found?.isKeyPolicy).toBe(false);
    expect(found?.policy.name).toBe('Bus/Policy+PartnerPuts+OrgPuts');
    expect(found?.policy.document.Statement).toEqual([
      { Sid: 'OwnAccount', Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: '*' },
      {
        Sid: 'Partner',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: 'events:PutEvents',
        Resource: arn('events', 'event-bus/shop'),
      },
      {
        Sid: 'Org',
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: arn('events', 'event-bus/shop'),
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1234567890' } },
      },
    ]);
    expect(model.resourcePolicy(arn('events', 'event-bus/default'))).toBeUndefined();
  });

  test('a secret is known by name, partial ARN and full ARN, whatever suffix the emulator gave it', () => {
    const secretArn = provisioned.resources.ApiSecret!.ref;
    expect(secretArn).toMatch(
      /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop\/api-key-[A-Za-z0-9]{6}$/,
    );
    const { facts } = model;
    expect(facts.secretArn('shop/api-key')).toBe(secretArn);
    expect(facts.secretArn(arn('secretsmanager', 'secret:shop/api-key'))).toBe(secretArn);
    expect(facts.secretArn(secretArn)).toBe(secretArn);
    expect(facts.secretArn(arn('secretsmanager', 'secret:shop/api-key-Zz9Zz9'))).toBe(secretArn);
    expect(facts.secretArn('shop/other')).toBeUndefined();
    expect(model.resourcePolicy('shop/api-key')?.policy.name).toBe('ApiSecretPolicy');
    expect(model.resourcePolicy(secretArn)?.policy.name).toBe('ApiSecretPolicy');
  });

  test('keys are known by id, ARN, alias name and alias ARN; the secret and bus are encrypted with theirs', () => {
    const key = provisioned.resources.SharedKey!;
    const { facts } = model;
    for (const name of [key.ref, key.attributes.Arn!, 'alias/shared', arn('kms', 'alias/shared')])
      expect(facts.keyArn(name)).toBe(key.attributes.Arn);
    expect(facts.keyArn('alias/unknown')).toBeUndefined();
    expect(facts.keyArn(arn('kms', 'key/00000000-0000-0000-0000-000000000000'))).toBeUndefined();
    expect(facts.encryptionKey(provisioned.resources.ApiSecret!.ref)).toBe(key.attributes.Arn);
    expect(facts.encryptionKey(arn('events', 'event-bus/shop'))).toBe(key.attributes.Arn);
    expect(facts).toMatchObject(SCOPE);
  });
});

// ---------------------------------------------------------------------------------------------------
// Queues, tables, buckets and topics (which provisioning creates in the emulators): planned.

const storageTemplate = (): Template => ({
  Parameters: { KeyArn: { Type: 'String' }, KeyAlias: { Type: 'String', Default: 'alias/shared' } },
  Resources: {
    Orders: {
      Type: 'AWS::SQS::Queue',
      Properties: { QueueName: 'orders', KmsMasterKeyId: { Ref: 'KeyAlias' } },
    },
    Plain: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'plain', KmsMasterKeyId: 'alias/aws/sqs' } },
    OrdersPolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: 'Orders' }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Deny',
              Principal: '*',
              Action: 'sqs:*',
              Resource: { 'Fn::GetAtt': ['Orders', 'Arn'] },
            },
          ],
        },
      },
    },
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: 'items',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          { IndexName: 'byOwner', KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }] },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'byTime',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'at', KeyType: 'RANGE' },
            ],
          },
        ],
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { Ref: 'KeyArn' } },
        StreamSpecification: {
          StreamViewType: 'NEW_IMAGE',
          ResourcePolicy: {
            PolicyDocument: { Statement: [{ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }] },
          },
        },
        ResourcePolicy: {
          PolicyDocument: {
            Statement: [{ Effect: 'Deny', Principal: '*', Action: 'dynamodb:Scan', Resource: '*' }],
          },
        },
      },
    },
    AwsOwnedTable: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: 'cheap',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        SSESpecification: { SSEEnabled: true },
      },
    },
    Uploads: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketName: 'shop-uploads',
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { Ref: 'KeyArn' } } },
          ],
        },
      },
    },
    UploadsPolicy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'Uploads' },
        PolicyDocument: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }] },
      },
    },
    Alarms: {
      Type: 'AWS::SNS::Topic',
      Properties: { TopicName: 'alarms', KmsMasterKeyId: { Ref: 'KeyAlias' } },
    },
    AlarmsPolicy: {
      Type: 'AWS::SNS::TopicPolicy',
      Properties: {
        Topics: [{ Ref: 'Alarms' }],
        PolicyDocument: {
          Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Resource: '*' }],
        },
      },
    },
  },
});

describe('resource policies and facts of queues, tables, buckets and topics, across stacks', () => {
  let shared: PlannedStack;
  let model: IamModel;
  let keyArn: string;
  beforeAll(async () => {
    const sharedStack = await provision(dataTemplate(), 'shared');
    shared = {
      stackName: 'shared',
      template: dataTemplate(),
      provisioned: sharedStack,
      outputs: {},
      exported: {},
    };
    keyArn = sharedStack.resources.SharedKey!.attributes.Arn!;
    // The second stack names the first stack's key by ARN and by alias, as a parameter.
    const storage = planStack(storageTemplate(), 'storage', { ...SCOPE, parameters: { KeyArn: keyArn } });
    model = iamModel([shared, storage], SCOPE);
  });

  test('a queue policy is found by the queue’s ARN (its template names the queue by URL)', () => {
    expect(model.resourcePolicy(arn('sqs', 'orders'))?.policy.name).toBe('OrdersPolicy');
    expect(model.resourcePolicy(arn('sqs', 'plain'))).toBeUndefined();
  });

  test('a bucket policy is found by the bucket’s ARN and by any of its objects’', () => {
    expect(model.resourcePolicy('arn:aws:s3:::shop-uploads')?.policy.name).toBe('UploadsPolicy');
    expect(model.resourcePolicy('arn:aws:s3:::shop-uploads/uploads/a/b.ndjson')?.policy.name).toBe(
      'UploadsPolicy',
    );
    expect(model.resourcePolicy('arn:aws:s3:::shop-uploads-2/x')).toBeUndefined();
  });

  test('a table’s policy covers its indexes; its stream has its own; a topic’s is found by ARN', () => {
    expect(model.resourcePolicy(arn('dynamodb', 'table/items'))?.policy.name).toBe('Table/ResourcePolicy');
    expect(model.resourcePolicy(arn('dynamodb', 'table/items/index/byOwner'))?.policy.name).toBe(
      'Table/ResourcePolicy',
    );
    expect(
      model.resourcePolicy(arn('dynamodb', 'table/items/stream/1970-01-01T00:00:00.000'))?.policy.name,
    ).toBe('Table/StreamSpecification.ResourcePolicy');
    expect(model.resourcePolicy(arn('sns', 'alarms'))?.policy.name).toBe('AlarmsPolicy');
  });

  test('table and index keys, by name, by `table/index` and by ARN', () => {
    const { facts } = model;
    expect(facts.keySchema('items')).toEqual({ partitionKey: 'pk', sortKey: 'sk' });
    expect(facts.keySchema('items', 'byOwner')).toEqual({ partitionKey: 'owner' });
    expect(facts.keySchema('items/byTime')).toEqual({ partitionKey: 'pk', sortKey: 'at' });
    expect(facts.keySchema(arn('dynamodb', 'table/items/index/byTime'))).toEqual({
      partitionKey: 'pk',
      sortKey: 'at',
    });
    expect(facts.keySchema(arn('dynamodb', 'table/items'))).toEqual({ partitionKey: 'pk', sortKey: 'sk' });
    expect(facts.keySchema('cheap')).toEqual({ partitionKey: 'id' });
    expect(facts.keySchema('items', 'nothing')).toBeUndefined();
    expect(facts.keySchema('nothing')).toBeUndefined();
  });

  test('each resource’s customer managed key, whether named by alias or by another stack’s key ARN', () => {
    const { facts } = model;
    expect(facts.encryptionKey(arn('sqs', 'orders'))).toBe(keyArn);
    expect(facts.encryptionKey(arn('dynamodb', 'table/items'))).toBe(keyArn);
    expect(facts.encryptionKey(arn('dynamodb', 'table/items/index/byOwner'))).toBe(keyArn);
    expect(facts.encryptionKey('arn:aws:s3:::shop-uploads/uploads/x')).toBe(keyArn);
    expect(facts.encryptionKey(arn('sns', 'alarms'))).toBe(keyArn);
    // AWS managed keys (alias/aws/sqs, a table's default encryption) need no permission of the caller.
    expect(facts.encryptionKey(arn('sqs', 'plain'))).toBeUndefined();
    expect(facts.encryptionKey(arn('dynamodb', 'table/cheap'))).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------
// What cannot be enforced locally fails loudly, naming the place in the template.

describe('templates the model refuses', () => {
  const withRole = (change: (template: Template) => void): Template => {
    const template = dataTemplate();
    change(template);
    return template;
  };
  const modelOf = async (template: Template) =>
    iamModel([{ stackName: 'shop-test', template, provisioned: await provision(template) }], SCOPE);
  const roleProperties = (template: Template) => template.Resources.PublishRole!.Properties!;

  test('a managed policy no template declares', async () => {
    const template = withRole((t) => {
      roleProperties(t).ManagedPolicyArns = [
        'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      ];
    });
    await expect(modelOf(template)).rejects.toThrow(
      new IamModelError(
        'shop-test: Resources.PublishRole.Properties.ManagedPolicyArns[0]: arn:aws:iam::aws:policy/service-role/' +
          'AWSLambdaBasicExecutionRole is a managed policy no template declares, so the local cloud cannot know ' +
          'what it grants; declare the permissions in the role instead',
      ),
    );
  });

  test('but a managed policy a template declares is attached, by ManagedPolicyArns or by its Roles', async () => {
    const template = withRole((t) => {
      t.Resources.Managed = {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }] },
        },
      };
      t.Resources.ManagedByRoles = {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          Roles: [{ Ref: 'PublishRole' }],
          PolicyDocument: JSON.stringify({
            Statement: [{ Effect: 'Allow', Action: 'sqs:ReceiveMessage', Resource: '*' }],
          }),
        },
      };
      roleProperties(t).ManagedPolicyArns = [{ Ref: 'Managed' }];
    });
    const model = await modelOf(template);
    expect(model.functions.get('shop-publish')?.policies.map((policy) => policy.name)).toEqual([
      'PublishRole/shop-test-lambda',
      'Managed',
      'ExtraGrant/extra',
      'ManagedByRoles',
    ]);
    expect(statementsOf(model, 'shop-publish').map((statement) => statement.Action)).toContain(
      'sqs:ReceiveMessage',
    );
  });

  test('a permissions boundary', async () => {
    const template = withRole((t) => {
      roleProperties(t).PermissionsBoundary = 'arn:aws:iam::123456789012:policy/boundary';
    });
    await expect(modelOf(template)).rejects.toThrow(
      'shop-test: Resources.PublishRole.Properties.PermissionsBoundary: permissions boundaries are not evaluated',
    );
  });

  test('a function whose role no template declares', async () => {
    const template = withRole((t) => {
      t.Resources.PublishFunction!.Properties!.Role = 'arn:aws:iam::123456789012:role/elsewhere';
    });
    await expect(modelOf(template)).rejects.toThrow(
      'shop-test: Resources.PublishFunction.Properties.Role: arn:aws:iam::123456789012:role/elsewhere is not a ' +
        'role the templates declare',
    );
  });

  test('a statement that neither allows nor denies, and a policy document that is not JSON', async () => {
    const badEffect = withRole((t) => {
      (
        roleProperties(t).Policies as Array<{ PolicyDocument: { Statement: Array<{ Effect: string }> } }>
      )[0]!.PolicyDocument.Statement[1]!.Effect = 'allow';
    });
    await expect(modelOf(badEffect)).rejects.toThrow(
      "shop-test: Resources.PublishRole.Properties.Policies[0].Statement[1]: a statement's Effect must be Allow or Deny",
    );
    const notJson = withRole((t) => {
      t.Resources.Bus!.Properties!.Policy = '{"Statement": [';
    });
    await expect(modelOf(notJson)).rejects.toThrow(
      'shop-test: Resources.Bus.Properties.Policy: a string that is not JSON',
    );
  });

  test('two policies for one queue (AWS keeps whichever it applied last)', () => {
    const template = storageTemplate();
    template.Resources.AgainPolicy = { ...template.Resources.OrdersPolicy! };
    const stack = planStack(template, 'storage', { ...SCOPE, parameters: { KeyArn: 'x' } });
    expect(() => iamModel([stack], SCOPE)).toThrow(
      `storage: Resources.AgainPolicy: ${arn('sqs', 'orders')} already has the policy OrdersPolicy; a resource has only one`,
    );
  });

  test('a resource the stack says was not provisioned', async () => {
    const template = dataTemplate();
    const provisioned = await provision(template);
    delete provisioned.resources.PublishRole;
    expect(() => iamModel([{ stackName: 'shop-test', template, provisioned }], SCOPE)).toThrow(
      'shop-test: Resources.PublishRole (AWS::IAM::Role) was not provisioned',
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// THE SERVICES' REAL PACKAGED TEMPLATES (stage local), planned as the local cloud provisions them.

describe('the packaged templates', () => {
  const LOCAL = { accountId: '000000000000', region: 'us-east-1', partition: 'aws' };
  const templates = {} as Record<ServiceName, Template>;
  const stacks = {} as Record<ServiceName, PlannedStack>;
  let model: IamModel;

  beforeAll(async () => {
    await packageMissingServices();
    const planned = await planPackagedServices(LOCAL);
    for (const service of SERVICES) {
      templates[service] = planned[service].template;
      stacks[service] = planned[service].stack;
    }
    model = iamModel(Object.values(stacks) as IamStack[], LOCAL);
  }, 600_000);

  const resource = (service: ServiceName, logicalId: string) =>
    stacks[service].provisioned.resources[logicalId]!;
  const statement = (functionName: string, sid: string) =>
    statementsOf(model, functionName).find((candidate) => candidate.Sid === sid);

  test('every function has a role whose policies have no intrinsic and no ${...} left', () => {
    const declared = SERVICES.flatMap((service) =>
      Object.values(templates[service].Resources)
        .filter((r) => r.Type === 'AWS::Lambda::Function')
        .map((r) => String(r.Properties!.FunctionName)),
    );
    expect(declared.length).toBeGreaterThan(20);
    expect([...model.functions.keys()].sort()).toEqual(declared.sort());
    for (const [name, { caller, policies, stackName, roleLogicalId }] of model.functions) {
      const service = SERVICES.find((candidate) => serviceStackName(candidate) === stackName)!;
      expect(caller.roleArn).toBe(resource(service, roleLogicalId).attributes.Arn);
      expect(caller.roleArn).toMatch(/^arn:aws:iam::000000000000:role\/herald-[a-z]+-local-/);
      expect(policies.length).toBeGreaterThan(0);
      const text = JSON.stringify(policies);
      expect({ name, intrinsics: text.match(/"(Ref|Fn::[A-Za-z]+)"|\$\{[^}]*\}/g) }).toEqual({
        name,
        intrinsics: null,
      });
    }
  });

  test('acceptEvents, onUpload and raiseOperationalEvents send to processing’s inbound queue and encrypts with processing’s key, by their real ARNs', () => {
    // A stale package (`npm run package` not run since services/ingest/serverless.yml changed) fails here.
    const queueArn = resource('processing', 'InboundQueue').attributes.Arn;
    const keyArn = resource('processing', 'ProcessingKey').attributes.Arn;
    for (const fn of [
      'herald-ingest-local-acceptEvents',
      'herald-ingest-local-onUpload',
      'herald-ingest-local-raiseOperationalEvents',
    ]) {
      expect(statement(fn, 'SendToProcessingInbound')).toMatchObject({
        Action: ['sqs:SendMessage'],
        Resource: queueArn,
      });
      expect(statement(fn, 'EncryptForProcessingInbound')).toMatchObject({ Resource: keyArn });
    }
    expect(model.facts.encryptionKey(queueArn!)).toBe(keyArn);
    expect(model.facts.keyArn('alias/herald-local-processing')).toBe(keyArn);
  });

  test('deliver publishes to processing’s bus by its real ARN, with its source as the condition', () => {
    expect(statement('herald-notifications-local-deliver', 'PublishDeliveryEvents')).toEqual({
      Sid: 'PublishDeliveryEvents',
      Effect: 'Allow',
      Action: ['events:PutEvents'],
      Resource: resource('processing', 'EventBus').attributes.Arn,
      Condition: { StringEquals: { 'events:source': 'herald.notifications' } },
    });
  });

  test('the queue, bucket, bus and key policies Herald declares are found', () => {
    const inbound = model.resourcePolicy(resource('processing', 'InboundQueue').attributes.Arn!);
    expect(inbound?.policy.name).toBe('InboundQueuePolicy');
    expect(JSON.stringify(inbound?.policy.document)).toContain(
      'arn:aws:iam::000000000000:role/herald-ingest-local-*',
    );
    const uploads = resource('ingest', 'UploadsBucket').ref;
    expect(model.resourcePolicy(`arn:aws:s3:::${uploads}/uploads/tenant/file.ndjson`)?.policy.name).toBe(
      'UploadsBucketPolicy',
    );
    expect(model.resourcePolicy(resource('processing', 'EventBus').attributes.Arn!)?.policy.name).toBe(
      'EventBus/Policy',
    );
    for (const [service, key] of [
      ['processing', 'ProcessingKey'],
      ['ingest', 'IngestKey'],
      ['notifications', 'NotificationsKey'],
    ] as const)
      expect(model.resourcePolicy(resource(service, key).attributes.Arn!)).toMatchObject({
        policy: { name: `${key}/KeyPolicy` },
        isKeyPolicy: true,
      });
    expect(
      model.resourcePolicy(resource('notifications', 'DeliveryQueue').attributes.Arn!)?.policy.name,
    ).toBe('DeliveryQueuesPolicy');
  });

  test('the facts: tables’ keys, secrets’ ARNs, and what each resource is encrypted with', () => {
    const { facts } = model;
    expect(facts.keySchema('herald-local-processing-events')).toEqual({ partitionKey: 'pk', sortKey: 'sk' });
    expect(facts.keySchema('herald-local-processing-events', 'byType')).toEqual({
      partitionKey: 'gsi2pk',
      sortKey: 'gsi1sk',
    });
    expect(facts.keySchema('herald-local-notifications-subscriptions')).toEqual({
      partitionKey: 'pk',
      sortKey: 'sk',
    });
    expect(facts.secretArn('herald/local/ingest/envelope-signing-key')).toBe(
      resource('ingest', 'EnvelopeSigningKeySecret').ref,
    );
    const notificationsKey = resource('notifications', 'NotificationsKey').attributes.Arn;
    expect(facts.encryptionKey(resource('notifications', 'SubscriptionsTable').attributes.Arn!)).toBe(
      notificationsKey,
    );
    expect(facts.encryptionKey(facts.secretArn('herald-local-notifications-email-link-key')!)).toBe(
      notificationsKey,
    );
    expect(facts.encryptionKey(resource('processing', 'EventBus').attributes.Arn!)).toBe(
      resource('processing', 'ProcessingKey').attributes.Arn,
    );
    expect(facts.encryptionKey(`arn:aws:s3:::${resource('ingest', 'UploadsBucket').ref}/uploads/x`)).toBe(
      resource('ingest', 'IngestKey').attributes.Arn,
    );
  });
});
