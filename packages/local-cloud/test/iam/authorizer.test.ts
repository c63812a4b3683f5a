import { describe, expect, test } from '@jest/globals';
import { roleAuthorizer } from '../../src/iam/authorizer';
import { resourceFacts } from '../../src/iam/facts';
import type { IamModel } from '../../src/iam/roles';

const LOCAL = { accountId: '000000000000', region: 'us-east-1', partition: 'aws' };
const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/t';
const caller = {
  functionName: 'fn-a',
  roleArn: 'arn:aws:iam::000000000000:role/a',
  accountId: LOCAL.accountId,
};

const model: IamModel = {
  functions: new Map([
    [
      'fn-a',
      {
        caller,
        stackName: 's',
        functionLogicalId: 'A',
        roleLogicalId: 'ARole',
        policies: [
          {
            name: 'ARole/p',
            document: {
              Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE }],
            },
          },
        ],
      },
    ],
  ]),
  resourcePolicy: () => undefined,
  facts: resourceFacts([], LOCAL),
};

const dynamodbCall = (operation: string, body: object) => ({
  method: 'POST',
  path: '/',
  headers: { 'x-amz-target': `DynamoDB_20120810.${operation}`, 'content-type': 'application/x-amz-json-1.0' },
  body: Buffer.from(JSON.stringify(body)),
});
const as = (functionName: string) => ({ functionName, accessKeyId: `key-of-${functionName}` });

describe('the role authorizer', () => {
  test('allows what the role allows, naming the statement that did', async () => {
    const outcome = await roleAuthorizer(model).authorize(
      'dynamodb',
      as('fn-a'),
      dynamodbCall('GetItem', { TableName: 't', Key: { pk: { S: 'a' } } }),
    );
    expect(outcome?.denied).toBeUndefined();
    expect(outcome?.allowed).toEqual([
      {
        action: 'dynamodb:GetItem',
        resource: TABLE,
        allowedBy: [{ policy: 'ARole/p', index: 0, sid: 'Read' }],
      },
    ]);
  });

  test('denies what it does not, with the message that says so', async () => {
    const outcome = await roleAuthorizer(model).authorize(
      'dynamodb',
      as('fn-a'),
      dynamodbCall('DeleteItem', { TableName: 't', Key: { pk: { S: 'a' } } }),
    );
    expect(outcome?.denied).toMatchObject({ action: 'dynamodb:DeleteItem', resource: TABLE });
    expect(outcome?.denied?.message).toContain('fn-a');
    expect(outcome?.denied?.message).toContain('is not authorized to perform: dynamodb:DeleteItem');
  });

  test('remembers a decision for the same request only: another context is judged on its own', async () => {
    const leading: IamModel = {
      ...model,
      functions: new Map([
        [
          'fn-a',
          {
            ...model.functions.get('fn-a')!,
            policies: [
              {
                name: 'ARole/some-attributes',
                document: {
                  Statement: [
                    {
                      Effect: 'Allow',
                      Action: 'dynamodb:GetItem',
                      Resource: TABLE,
                      Condition: { StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' } },
                    },
                  ],
                },
              },
            ],
          },
        ],
      ]),
    };
    const authorizer = roleAuthorizer(leading);
    const get = (projection?: string) =>
      authorizer.authorize(
        'dynamodb',
        as('fn-a'),
        dynamodbCall('GetItem', {
          TableName: 't',
          Key: { pk: { S: 'a' } },
          ...(projection ? { ProjectionExpression: projection } : {}),
        }),
      );
    for (const round of [1, 2]) {
      expect([round, (await get('pk'))?.denied]).toEqual([round, undefined]);
      expect([round, (await get())?.denied?.action]).toEqual([round, 'dynamodb:GetItem']);
    }
  });

  test('refuses, rather than lets through, a call it cannot read or a function no template declares', async () => {
    const unknown = await roleAuthorizer(model).authorize(
      'dynamodb',
      as('fn-a'),
      dynamodbCall('RestoreTableFromBackup', { TargetTableName: 't' }),
    );
    expect(unknown?.denied?.message).toMatch(/RestoreTableFromBackup.*refuses it rather than guess/);
    const stranger = await roleAuthorizer(model).authorize(
      'dynamodb',
      as('fn-z'),
      dynamodbCall('GetItem', { TableName: 't', Key: { pk: { S: 'a' } } }),
    );
    expect(stranger?.denied?.message).toContain('no template declares a function of that name');
  });
});
