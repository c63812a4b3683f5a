// Condition blocks against request context keys: every operator Herald's templates use, and the rest of
// the families IAM documents, with values that match and values that do not.
import { describe, expect, test } from '@jest/globals';
import { contextLookup, evaluateConditions, PolicyError } from '../../src/iam/conditions';
import type { ConditionBlock, RequestContext } from '../../src/iam/types';

function holds(block: ConditionBlock, context: RequestContext, policyVariables = true): boolean {
  return evaluateConditions(block, contextLookup(context), policyVariables).matched;
}

type Case = [
  operator: string,
  policyValues: string | number | boolean | string[],
  context: RequestContext,
  expected: boolean,
];

function table(key: string, cases: Case[]): void {
  test.each(cases)(`%s %j with %j → %s`, (operator, values, context, expected) => {
    expect(holds({ [operator]: { [key]: values } }, context)).toBe(expected);
  });
}

// IAM User Guide, "IAM JSON policy elements: Condition operators", String condition operators. Also its
// "Important" note: a key absent from the request does not match, and a negated operator then holds.
describe('string operators', () => {
  const k = 'events:source';
  table(k, [
    ['StringEquals', 'herald.processing', { [k]: 'herald.processing' }, true],
    ['StringEquals', 'herald.processing', { [k]: 'herald.notifications' }, false],
    ['StringEquals', 'herald.processing', { [k]: 'Herald.Processing' }, false],
    ['StringEquals', ['herald.processing', 'herald.notifications'], { [k]: 'herald.notifications' }, true],
    ['StringEquals', 'herald.processing', {}, false],
    ['StringNotEquals', 'herald.processing', { [k]: 'herald.processing' }, false],
    ['StringNotEquals', 'herald.processing', { [k]: 'herald.notifications' }, true],
    ['StringNotEquals', 'herald.processing', {}, true],
    // "Conditions with multiple context keys or values": several values of a negated operator are a NOR.
    [
      'StringNotEquals',
      ['herald.processing', 'herald.notifications'],
      { [k]: 'herald.notifications' },
      false,
    ],
    ['StringNotEquals', ['herald.processing', 'herald.notifications'], { [k]: 'other' }, true],
    ['StringEqualsIgnoreCase', 'herald.processing', { [k]: 'Herald.Processing' }, true],
    ['StringEqualsIgnoreCase', 'herald.processing', { [k]: 'herald.process' }, false],
    ['StringNotEqualsIgnoreCase', 'herald.processing', { [k]: 'HERALD.PROCESSING' }, false],
    ['StringNotEqualsIgnoreCase', 'herald.processing', { [k]: 'other' }, true],
    ['StringLike', 'herald.*', { [k]: 'herald.processing' }, true],
    ['StringLike', 'herald.?', { [k]: 'herald.ab' }, false],
    ['StringLike', 'herald', { [k]: 'herald.processing' }, false],
    ['StringLike', 'herald.*', {}, false],
    ['StringNotLike', 'herald.*', { [k]: 'herald.processing' }, false],
    ['StringNotLike', 'herald.*', { [k]: 'aws.events' }, true],
    ['StringNotLike', 'herald.*', {}, true],
  ]);

  test('StringEquals compares literally: a `*` in its value is not a wildcard', () => {
    expect(holds({ StringEquals: { [k]: 'herald.*' } }, { [k]: 'herald.processing' })).toBe(false);
    expect(holds({ StringEquals: { [k]: 'herald.*' } }, { [k]: 'herald.*' })).toBe(true);
  });
});

// "Condition operators", Numeric condition operators (the documented `s3:max-keys` example).
describe('numeric operators', () => {
  const k = 's3:max-keys';
  table(k, [
    ['NumericLessThanEquals', '10', { [k]: '10' }, true],
    ['NumericLessThanEquals', '10', { [k]: '11' }, false],
    ['NumericLessThan', '10', { [k]: '9.5' }, true],
    ['NumericLessThan', '10', { [k]: '10' }, false],
    ['NumericGreaterThan', 10, { [k]: '11' }, true],
    ['NumericGreaterThan', 10, { [k]: '10' }, false],
    ['NumericGreaterThanEquals', '10', { [k]: '10' }, true],
    ['NumericGreaterThanEquals', '10', { [k]: '9' }, false],
    ['NumericEquals', '10', { [k]: '10.0' }, true],
    ['NumericEquals', '10', { [k]: '11' }, false],
    ['NumericEquals', '10', { [k]: 'ten' }, false],
    ['NumericEquals', '10', {}, false],
    ['NumericNotEquals', '10', { [k]: '11' }, true],
    ['NumericNotEquals', '10', { [k]: '10' }, false],
    ['NumericNotEquals', '10', {}, true],
  ]);
});

// "Condition operators", Date condition operators: ISO 8601 or epoch seconds.
describe('date operators', () => {
  const k = 'aws:CurrentTime';
  const at = { [k]: '2026-11-30T12:00:00Z' };
  table(k, [
    ['DateGreaterThan', '2020-01-01T00:00:01Z', at, true],
    ['DateGreaterThan', '2027-01-01T00:00:00Z', at, false],
    ['DateLessThan', '2027-01-01T00:00:00Z', at, true],
    ['DateLessThan', '2026-11-30T12:00:00Z', at, false],
    ['DateLessThanEquals', '2026-11-30T12:00:00Z', at, true],
    ['DateGreaterThanEquals', '2026-11-30T12:00:01Z', at, false],
    ['DateEquals', '2026-11-30T12:00:00Z', at, true],
    ['DateEquals', String(Date.parse('2026-11-30T12:00:00Z') / 1000), at, true],
    ['DateEquals', '2026-11-30T12:00:01Z', at, false],
    ['DateNotEquals', '2026-11-30T12:00:01Z', at, true],
    ['DateNotEquals', '2026-11-30T12:00:00Z', at, false],
    ['DateGreaterThan', '2020-01-01T00:00:01Z', {}, false],
  ]);
});

// "Condition operators", Boolean condition operators (the documented `aws:SecureTransport` example,
// which Herald's DenyNonTls statements use).
describe('Bool', () => {
  const k = 'aws:SecureTransport';
  table(k, [
    ['Bool', 'false', { [k]: 'false' }, true],
    ['Bool', 'false', { [k]: 'true' }, false],
    ['Bool', false, { [k]: 'false' }, true],
    ['Bool', 'true', { [k]: 'TRUE' }, true],
    ['Bool', 'false', {}, false],
  ]);
});

// "Condition operators", ARN condition operators: ArnEquals and ArnLike behave identically, as do their
// negations; Herald's queue and bus policies use ArnEquals, ArnLike and ArnNotLike on aws:SourceArn and
// aws:PrincipalArn.
describe('ARN operators', () => {
  const k = 'aws:PrincipalArn';
  const ingest = {
    [k]: 'arn:aws:iam::000000000000:role/herald-ingest-local-acceptEvents-us-east-1-lambdaRole',
  };
  const other = { [k]: 'arn:aws:iam::000000000000:role/someone-else' };
  const patterns = [
    'arn:aws:iam::000000000000:role/herald-ingest-local-*',
    'arn:aws:iam::000000000000:role/herald-processing-local-*',
  ];
  table(k, [
    ['ArnLike', patterns, ingest, true],
    ['ArnLike', patterns, other, false],
    ['ArnEquals', patterns, ingest, true],
    ['ArnEquals', ingest[k], ingest, true],
    ['ArnEquals', ingest[k], other, false],
    ['ArnNotLike', patterns, ingest, false],
    ['ArnNotLike', patterns, other, true],
    ['ArnNotEquals', patterns, other, true],
    ['ArnNotEquals', ingest[k], ingest, false],
    ['ArnLike', patterns, {}, false],
    ['ArnNotLike', patterns, {}, true],
    ['ArnLike', 'arn:aws:iam::*:role/herald-*', { [k]: 'arn:aws:iam::000000000000:role/herald-x' }, true],
    ['ArnLike', 'arn:aws:iam::*:role/herald-*', { [k]: 'not an arn' }, false],
  ]);
});

// "Condition operators", ...IfExists: absent key → true, whatever the operator (so a Deny with a negated
// IfExists operator still denies a request without the key); present key → as the operator says.
describe('...IfExists', () => {
  const k = 'dynamodb:ReturnValues';
  table(k, [
    ['StringEqualsIfExists', ['NONE', 'UPDATED_NEW'], {}, true],
    ['StringEqualsIfExists', ['NONE', 'UPDATED_NEW'], { [k]: 'NONE' }, true],
    ['StringEqualsIfExists', ['NONE', 'UPDATED_NEW'], { [k]: 'ALL_OLD' }, false],
    ['StringNotEqualsIfExists', 'NONE', {}, true],
    ['StringNotEqualsIfExists', 'NONE', { [k]: 'NONE' }, false],
    ['BoolIfExists', 'false', {}, true],
    ['BoolIfExists', 'false', { [k]: 'true' }, false],
    ['NumericLessThanIfExists', '5', {}, true],
    ['ArnLikeIfExists', 'arn:aws:sqs:*:*:q', { [k]: 'arn:aws:sqs:us-east-1:000000000000:other' }, false],
  ]);
});

// "Condition operators", Condition operator to check existence of condition keys: "true" = absent,
// "false" = present with a value.
describe('Null', () => {
  const k = 'aws:PrincipalArn';
  table(k, [
    ['Null', 'true', {}, true],
    ['Null', 'true', { [k]: 'arn:aws:iam::000000000000:role/r' }, false],
    ['Null', 'false', { [k]: 'arn:aws:iam::000000000000:role/r' }, true],
    ['Null', false, {}, false],
    ['Null', 'false', { [k]: [] }, false],
  ]);
});

// IAM User Guide, "Conditions with multiple context keys or values" (set operators) and its DynamoDB
// example with requested attributes: ForAllValues holds when every request value matches one policy
// value, and also for an absent key or an empty set; ForAnyValue when any does, never for an empty set.
describe('ForAllValues and ForAnyValue', () => {
  const k = 'dynamodb:Attributes';
  const allowed = ['PostDateTime', 'Message', 'Tags'];
  table(k, [
    ['ForAllValues:StringLike', allowed, { [k]: ['PostDateTime', 'Message'] }, true],
    ['ForAllValues:StringLike', allowed, { [k]: ['PostDateTime', 'UserName'] }, false],
    ['ForAllValues:StringEquals', allowed, { [k]: ['Tags'] }, true],
    ['ForAllValues:StringEquals', allowed, { [k]: 'Tags' }, true],
    ['ForAllValues:StringEquals', allowed, { [k]: 'ID' }, false],
    ['ForAllValues:StringEquals', allowed, {}, true],
    ['ForAllValues:StringEquals', allowed, { [k]: [] }, true],
    ['ForAllValues:StringEquals', allowed, { [k]: '' }, true],
    [
      'ForAnyValue:StringLike',
      ['ID', 'PostDateTime'],
      { [k]: ['UserName', 'Message', 'PostDateTime'] },
      true,
    ],
    ['ForAnyValue:StringLike', ['ID', 'PostDateTime'], { [k]: ['UserName'] }, false],
    ['ForAnyValue:StringEquals', ['ID'], {}, false],
    ['ForAnyValue:StringEquals', ['ID'], { [k]: [] }, false],
    ['ForAnyValue:StringEquals', ['ID'], { [k]: '' }, false],
    ['ForAnyValue:StringEqualsIfExists', ['ID'], {}, true],
    // The set qualifier applies the operator to each request value, negation included.
    ['ForAllValues:StringNotEquals', ['ID', 'UserName'], { [k]: ['Message', 'Tags'] }, true],
    ['ForAllValues:StringNotEquals', ['ID', 'UserName'], { [k]: ['Message', 'ID'] }, false],
    ['ForAnyValue:StringNotEquals', ['ID'], { [k]: ['ID', 'Message'] }, true],
    ['ForAnyValue:StringNotEquals', ['ID'], { [k]: ['ID'] }, false],
  ]);

  test("Herald's subscription-health statement: only its attributes may be written", () => {
    const block: ConditionBlock = {
      'ForAllValues:StringEquals': { [k]: ['pk', 'sk', 'status', 'updatedAt', 'consecutiveFailures'] },
      StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_NEW'] },
    };
    expect(holds(block, { [k]: ['pk', 'sk', 'consecutiveFailures'], 'dynamodb:ReturnValues': 'NONE' })).toBe(
      true,
    );
    expect(holds(block, { [k]: ['pk', 'sk', 'url'] })).toBe(false);
    expect(holds(block, { [k]: ['pk', 'sk'], 'dynamodb:ReturnValues': 'ALL_NEW' })).toBe(false);
  });
});

// "Conditions with multiple context keys or values": operators AND, keys under an operator AND.
describe('a block', () => {
  const block: ConditionBlock = {
    StringEquals: {
      'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com',
      'kms:EncryptionContext:SecretARN': 'arn:s',
    },
    Bool: { 'aws:SecureTransport': 'true' },
  };
  const all = {
    'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com',
    'kms:EncryptionContext:SecretARN': 'arn:s',
    'aws:SecureTransport': 'true',
  };

  test('holds only when every operator and every key holds, and names the first that does not', () => {
    expect(evaluateConditions(block, contextLookup(all), true)).toEqual({ matched: true });
    expect(
      evaluateConditions(block, contextLookup({ ...all, 'kms:EncryptionContext:SecretARN': 'arn:t' }), true),
    ).toEqual({
      matched: false,
      failed: 'StringEquals kms:EncryptionContext:SecretARN',
    });
    expect(
      evaluateConditions(block, contextLookup({ ...all, 'aws:SecureTransport': 'false' }), true),
    ).toEqual({
      matched: false,
      failed: 'Bool aws:SecureTransport',
    });
  });

  test('condition key names are case-insensitive, values are not (for StringEquals)', () => {
    expect(
      holds(
        { StringEquals: { 'KMS:viaservice': 'sqs.us-east-1.amazonaws.com' } },
        { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' },
      ),
    ).toBe(true);
    expect(
      holds(
        { StringEquals: { 'kms:ViaService': 'SQS.us-east-1.amazonaws.com' } },
        { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' },
      ),
    ).toBe(false);
  });

  test('no block holds', () => {
    expect(evaluateConditions(undefined, contextLookup({}), true)).toEqual({ matched: true });
  });
});

// IAM User Guide, "IAM policy elements: Variables and tags": String and ARN operators take variables,
// in policies of Version 2012-10-17 only.
describe('policy variables in conditions', () => {
  const block: ConditionBlock = { StringEquals: { 'aws:ResourceAccount': '${aws:PrincipalAccount}' } };
  const context = { 'aws:ResourceAccount': '000000000000', 'aws:PrincipalAccount': '000000000000' };

  test('substituted in a 2012-10-17 policy', () => {
    expect(holds(block, context, true)).toBe(true);
    expect(holds(block, { ...context, 'aws:ResourceAccount': '111111111111' }, true)).toBe(false);
  });

  test('literal text otherwise', () => {
    expect(holds(block, context, false)).toBe(false);
  });
});

describe('what the evaluator refuses rather than guesses', () => {
  test.each(['IpAddress', 'BinaryEquals', 'NullIfExists', 'StringEqualsAnyCase'])('%s', (operator) => {
    expect(() => holds({ [operator]: { 'aws:SourceIp': '10.0.0.0/8' } }, {})).toThrow(PolicyError);
  });

  test('a Null value other than true or false', () => {
    expect(() => holds({ Null: { 'aws:PrincipalArn': 'maybe' } }, {})).toThrow(PolicyError);
  });

  test('a numeric operator with a value that is not a number', () => {
    expect(() => holds({ NumericLessThan: { 's3:max-keys': 'ten' } }, { 's3:max-keys': '3' })).toThrow(
      PolicyError,
    );
  });
});
