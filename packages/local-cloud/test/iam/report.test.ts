import { describe, expect, test } from '@jest/globals';
import { explanationsIn, grantsOf, unusedGrants } from '../../src/iam/report';
import type { IamModel } from '../../src/iam/roles';
import type { IamUsageRecord } from '../../src/iam/usage';

const caller = {
  functionName: 'fn-a',
  roleArn: 'arn:aws:iam::000000000000:role/a',
  accountId: '000000000000',
};
const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/t';
const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:q';
const OTHER_QUEUE = 'arn:aws:sqs:us-east-1:000000000000:other';

const model = {
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
              Statement: [
                {
                  Sid: 'ReadAndWrite',
                  Effect: 'Allow',
                  Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
                  Resource: TABLE,
                },
                {
                  Sid: 'Poll',
                  Effect: 'Allow',
                  Action: 'sqs:ReceiveMessage',
                  Resource: [QUEUE, OTHER_QUEUE],
                },
                { Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' },
                { Sid: 'Rare', Effect: 'Allow', Action: 'dynamodb:DeleteItem', Resource: TABLE },
                { Sid: 'Guard', Effect: 'Deny', Action: 'dynamodb:Scan', Resource: TABLE },
              ],
            },
          },
        ],
      },
    ],
  ]),
} as unknown as IamModel;

const record = (uses: Array<[number, string, string]>): IamUsageRecord => ({
  mode: 'enforce',
  denials: [],
  uninterpreted: {},
  unattributed: {},
  usage: {
    'fn-a': uses.map(([index, action, resource]) => ({
      statement: { policy: 'ARole/p', index },
      uses: [{ action, resource, count: 1 }],
    })),
  },
});

describe('the unused-grants report', () => {
  test('each Allow statement grants each of its actions on each of its resources; Deny grants nothing', () => {
    expect(
      grantsOf(model).map((g) => `${g.statement.sid ?? g.statement.index} ${g.action} ${g.resource}`),
    ).toEqual([
      `ReadAndWrite dynamodb:GetItem ${TABLE}`,
      `ReadAndWrite dynamodb:PutItem ${TABLE}`,
      `Poll sqs:ReceiveMessage ${QUEUE}`,
      `Poll sqs:ReceiveMessage ${OTHER_QUEUE}`,
      '2 logs:PutLogEvents *',
      `Rare dynamodb:DeleteItem ${TABLE}`,
    ]);
  });

  test('a grant is used when its statement allowed a call of that action on a matching resource, in any run', () => {
    const unused = unusedGrants(
      model,
      [record([[0, 'dynamodb:GetItem', TABLE]]), record([[0, 'dynamodb:PutItem', TABLE]])],
      { explanations: new Map() },
    );
    expect(unused.map((g) => g.action)).not.toContain('dynamodb:GetItem');
    expect(unused.map((g) => g.action)).not.toContain('dynamodb:PutItem');
    // The same action used through another statement does not use this one.
    const other = unusedGrants(model, [record([[3, 'dynamodb:GetItem', TABLE]])], {
      explanations: new Map(),
    });
    expect(other.map((g) => g.action)).toContain('dynamodb:GetItem');
  });

  test('a stream granted under its planned label is used by a call on the stream a local cloud made', () => {
    // Each local cloud makes its tables' streams anew, with a label of its own.
    const planned = `${TABLE}/stream/1970-01-01T00:00:00.000`;
    const streamModel = {
      functions: new Map([
        [
          'fn-a',
          {
            ...model.functions.get('fn-a')!,
            policies: [
              {
                name: 'ARole/p',
                document: {
                  Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetRecords', Resource: planned }],
                },
              },
            ],
          },
        ],
      ]),
    } as unknown as IamModel;
    const unusedAfter = (resource: string) =>
      unusedGrants(streamModel, [record([[0, 'dynamodb:GetRecords', resource]])], {
        explanations: new Map(),
      });
    expect(unusedAfter(`${TABLE}/stream/2026-11-30T23:50:00.000`)).toEqual([]);
    expect(unusedAfter(`${TABLE}-other/stream/2026-11-30T23:50:00.000`)).toHaveLength(1);
  });

  test('unused grants are explained by serverless.yml, or by AWS using them for the function', () => {
    const yml = [
      '    rare:',
      '      # Only an operator deletes, by hand.',
      '      # unused locally: deletions happen only in the disaster runbook',
      '      Sid: Rare',
      '      Effect: Allow',
    ].join('\n');
    const explanations = explanationsIn(yml);
    expect([...explanations]).toEqual([['Rare', 'deletions happen only in the disaster runbook']]);
    const unused = unusedGrants(model, [record([])], { explanations });
    const byWhat = Object.fromEntries(unused.map((g) => [`${g.action} ${g.resource}`, g.explanation]));
    expect(byWhat[`dynamodb:DeleteItem ${TABLE}`]).toBe('deletions happen only in the disaster runbook');
    expect(byWhat['logs:PutLogEvents *']).toMatch(/Lambda writes the function’s logs/);
    // A poller's grants are used when the local cloud judges it (gateway.ts judgePollers), never explained.
    expect(byWhat[`sqs:ReceiveMessage ${QUEUE}`]).toBeUndefined();
    expect(byWhat[`dynamodb:GetItem ${TABLE}`]).toBeUndefined();
  });
});
