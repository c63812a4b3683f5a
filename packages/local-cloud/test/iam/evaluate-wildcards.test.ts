// Matching of actions, resources and ARNs with IAM's wildcards and policy variables.
import { describe, expect, test } from '@jest/globals';
import { matchAction, matchArn, matchString } from '../../src/iam/wildcards';

// IAM User Guide, "IAM JSON policy elements: Action": service prefix and action name are
// case-insensitive; `*` and `?` are wildcards; the whole name must match.
describe('actions', () => {
  test.each([
    ['s3:*', 's3:GetObject', true],
    ['*', 'dynamodb:PutItem', true],
    ['S3:getobject', 's3:GetObject', true],
    ['sqs:SendMessage', 'SQS:SENDMESSAGE', true],
    ['kms:Encrypt*', 'kms:Encrypt', true],
    ['kms:Encrypt*', 'kms:Decrypt', false],
    ['kms:GenerateDataKey*', 'kms:GenerateDataKeyWithoutPlaintext', true],
    ['kms:Describe?ey', 'kms:DescribeKey', true],
    ['kms:Describe?ey', 'kms:DescribeKkey', false],
    ['sqs:Send', 'sqs:SendMessage', false],
    ['sqs:*', 'sns:Publish', false],
    ['dynamodb:Get*', 'dynamodb:BatchGetItem', false],
  ])('%s against %s → %s', (pattern, action, expected) => {
    expect(matchAction(pattern, action)).toBe(expected);
  });
});

// IAM User Guide, "IAM JSON policy elements: Resource" (case-sensitive; wildcards within segments) and
// "IAM JSON policy elements: Condition operators", ARN operators: each of the six colon-delimited
// components is checked separately, so a `*` in one component cannot swallow the next one.
describe('resources and ARNs', () => {
  test.each([
    ['*', 'arn:aws:sqs:us-east-1:000000000000:inbound', true],
    ['*', '*', true],
    ['arn:aws:sqs:us-east-1:000000000000:inbound', 'arn:aws:sqs:us-east-1:000000000000:inbound', true],
    ['arn:aws:sqs:us-east-1:000000000000:inbound', 'arn:aws:sqs:us-east-1:000000000000:inbound-dlq', false],
    ['arn:aws:s3:::Uploads', 'arn:aws:s3:::uploads', false],
    ['arn:aws:s3:::uploads/*', 'arn:aws:s3:::uploads/tenant/a:b.json', true],
    ['arn:aws:s3:::uploads/*', 'arn:aws:s3:::uploads', false],
    ['arn:aws:sqs:*:000000000000:inbound', 'arn:aws:sqs:eu-west-1:000000000000:inbound', true],
    ['arn:aws:sqs:us-east-?:000000000000:inbound', 'arn:aws:sqs:us-east-2:000000000000:inbound', true],
    [
      'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/herald-ingest-local-acceptEvents:*:*',
      'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/herald-ingest-local-acceptEvents:log-stream:2026/11/30/x',
      true,
    ],
    [
      'arn:aws:dynamodb:us-east-1:000000000000:table/events/index/*',
      'arn:aws:dynamodb:us-east-1:000000000000:table/events',
      false,
    ],
    // The documented example: StringLike would match (its `*` spans colons), ArnLike does not.
    [
      'arn:aws:someservice:*:111122223333:finance/*',
      'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt',
      false,
    ],
  ])('%s against %s → %s', (pattern, arn, expected) => {
    expect(matchArn(pattern, arn)).toBe(expected);
  });

  test('the same documented example matches as a string, which is why ARN operators exist', () => {
    expect(
      matchString(
        'arn:aws:someservice:*:111122223333:finance/*',
        'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt',
        { wildcards: true },
      ),
    ).toBe(true);
  });
});

// IAM User Guide, "IAM policy elements: Variables and tags": `${key}` takes the request's value,
// `${key, 'default'}` a default when absent, `${*}` `${?}` `${$}` are the literal characters, and a
// variable with no value makes the string match nothing.
describe('policy variables', () => {
  const context: Record<string, string> = { 'aws:username': 'ana', 'aws:principalaccount': '000000000000' };
  const resolve = (key: string): string | undefined => context[key.toLowerCase()];

  test.each([
    ['arn:aws:s3:::home/${aws:username}/*', 'arn:aws:s3:::home/ana/notes.txt', true],
    ['arn:aws:s3:::home/${aws:username}/*', 'arn:aws:s3:::home/bob/notes.txt', false],
    ['arn:aws:s3:::home/${aws:userid}/*', 'arn:aws:s3:::home/ana/notes.txt', false],
    ["arn:aws:s3:::home/${aws:userid, 'ana'}/*", 'arn:aws:s3:::home/ana/notes.txt', true],
    [
      'arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:inbound',
      'arn:aws:sqs:us-east-1:000000000000:inbound',
      true,
    ],
    [
      'arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:inbound',
      'arn:aws:sqs:us-east-1:111111111111:inbound',
      false,
    ],
    ['arn:aws:s3:::literal/${*}', 'arn:aws:s3:::literal/*', true],
    ['arn:aws:s3:::literal/${*}', 'arn:aws:s3:::literal/anything', false],
  ])('%s against %s → %s', (pattern, arn, expected) => {
    expect(matchArn(pattern, arn, resolve)).toBe(expected);
  });

  test('without a resolver (a policy of Version 2008-10-17) `${...}` is literal text', () => {
    expect(matchArn('arn:aws:s3:::home/${aws:username}', 'arn:aws:s3:::home/${aws:username}')).toBe(true);
    expect(matchArn('arn:aws:s3:::home/${aws:username}', 'arn:aws:s3:::home/ana')).toBe(false);
  });

  test('a variable whose value holds a wildcard character matches it literally', () => {
    const starry = (): string => 'a*';
    expect(matchString('${x}', 'a*', { wildcards: true, resolve: starry })).toBe(true);
    expect(matchString('${x}', 'abc', { wildcards: true, resolve: starry })).toBe(false);
  });
});
