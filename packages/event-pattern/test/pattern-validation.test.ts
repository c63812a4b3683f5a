// What PutRule / TestEventPattern refuse, with the reason and the place in the pattern.
import { describe, expect, test } from '@jest/globals';
import { InvalidEventPatternError, matchesPattern, validatePattern } from '../src';

function rejection(pattern: unknown): InvalidEventPatternError {
  try {
    validatePattern(pattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(pattern)} to be rejected`);
}

const field = (value: unknown): Record<string, unknown> => ({ detail: { x: [value] } });

describe('validatePattern rejects', () => {
  test.each<[string, unknown, string]>([
    ['a string', 'aws.ec2', 'Filter is not an object'],
    ['an array', [{ source: ['aws.ec2'] }], 'Filter is not an object'],
    ['null', null, 'Filter is not an object'],
    ['an empty pattern', {}, 'Empty objects are not allowed'],
    ['an empty nested object', { detail: {} }, 'Empty objects are not allowed'],
    ['a leaf that is not an array', { source: 'aws.ec2' }, '"source" must be an object or an array'],
    ['a number leaf', { detail: { count: 5 } }, '"count" must be an object or an array'],
    ['an empty array', { source: [] }, 'Empty arrays are not allowed'],
    ['a nested array', { source: [['aws.ec2']] }, 'Match value must be String, number, true, false, or null'],
    ['an empty match expression', field({}), 'Match expression name not found'],
    [
      'two operators in one object',
      field({ prefix: 'a', suffix: 'b' }),
      'Only one key allowed in match expression',
    ],
    ['an unknown operator', field({ contains: 'a' }), 'Unrecognized match type contains'],
    ['a numeric prefix', field({ prefix: 5 }), 'prefix match pattern must be a string'],
    [
      'an unknown prefix option',
      field({ prefix: { 'ignore-case': 'a' } }),
      'Unsupported prefix pattern: ignore-case',
    ],
    [
      'an unknown suffix option',
      field({ suffix: { wildcard: 'a' } }),
      'Unsupported suffix pattern: wildcard',
    ],
    [
      'equals-ignore-case on a number',
      field({ 'equals-ignore-case': 5 }),
      'equals-ignore-case match pattern must be a string',
    ],
    ['numeric that is not an array', field({ numeric: '>5' }), 'Value of numeric must be an array.'],
    ['an empty numeric', field({ numeric: [] }), 'Invalid member in numeric match'],
    ['an unknown numeric operator', field({ numeric: ['!=', 5] }), 'Unrecognized numeric range operator: !='],
    ['a numeric string bound', field({ numeric: ['>', '5'] }), 'Value of > must be numeric'],
    ['a missing numeric bound', field({ numeric: ['='] }), 'Value of equals must be numeric'],
    ['an upper bound first', field({ numeric: ['<', 5, '>', 0] }), 'Too many elements in numeric expression'],
    ['two lower bounds', field({ numeric: ['>', 0, '>=', 5] }), 'Bad numeric range operator: >='],
    [
      'a range with an extra term',
      field({ numeric: ['>', 0, '<', 5, 6] }),
      'Too many terms in numeric range expression',
    ],
    ['an empty range', field({ numeric: ['>', 5, '<', 1] }), 'Bottom must be less than top'],
    ['a range of one point', field({ numeric: ['>=', 5, '<=', 5] }), 'Bottom must be less than top'],
    [
      'a bound beyond 5e9',
      field({ numeric: ['<', 6e9] }),
      'Value must be between -5000000000 and 5000000000',
    ],
    [
      'a bound with seven decimals',
      field({ numeric: ['=', 0.1234567] }),
      'Only values upto 6 decimals are supported',
    ],
    [
      'anything-but null',
      field({ 'anything-but': null }),
      'Value of anything-but must be an array or single',
    ],
    [
      'anything-but true',
      field({ 'anything-but': true }),
      'Value of anything-but must be an array or single',
    ],
    [
      'anything-but of an empty list',
      field({ 'anything-but': [] }),
      'either all values are number or string',
    ],
    ['anything-but of a mixed list', field({ 'anything-but': ['a', 1] }), 'mixed type is not supported'],
    [
      'anything-but list with null',
      field({ 'anything-but': ['a', null] }),
      'only strings or numbers are supported',
    ],
    [
      'anything-but of an empty prefix',
      field({ 'anything-but': { prefix: '' } }),
      'Null prefix/suffix not allowed',
    ],
    [
      'anything-but numeric',
      field({ 'anything-but': { numeric: ['>', 1] } }),
      'Unsupported anything-but pattern: numeric',
    ],
    [
      'anything-but of an empty object',
      field({ 'anything-but': {} }),
      'Anything-But expression name not found',
    ],
    [
      'anything-but prefix number',
      field({ 'anything-but': { prefix: 5 } }),
      'prefix/suffix match pattern must be a string',
    ],
    [
      'anything-but bad wildcard',
      field({ 'anything-but': { wildcard: 'a**' } }),
      'Consecutive wildcard characters',
    ],
    ['exists "true"', field({ exists: 'true' }), 'exists match pattern must be either true or false.'],
    ['a CIDR without a mask', field({ cidr: '10.0.0.1' }), "Malformed CIDR, one '/' required"],
    [
      'a CIDR with a word mask',
      field({ cidr: '10.0.0.0/x' }),
      'Malformed CIDR, mask bits must be an integer',
    ],
    ['an IPv4 mask over 32', field({ cidr: '10.0.0.0/33' }), 'IPv4 mask bits must be <= 32'],
    ['an IPv6 mask over 128', field({ cidr: '2001:db8::/129' }), 'IPv6 mask bits must be <= 128'],
    ['a CIDR of a hostname', field({ cidr: 'example.com/8' }), 'Invalid IP address: example.com'],
    ['consecutive wildcards', field({ wildcard: 'a**b' }), 'Consecutive wildcard characters at pos 1'],
    ['an escape of an ordinary character', field({ wildcard: 'a\\b' }), 'Invalid escape character at pos 1'],
    ['a trailing escape', field({ wildcard: 'ab\\' }), 'Invalid escape character at pos 2'],
    ['$or that is an object', { $or: { a: ['b'] } }, 'It must be an Array followed with $or.'],
    [
      '$or with one alternative',
      { $or: [{ a: ['b'] }] },
      'There must have at least 2 Objects in $or relationship.',
    ],
    [
      '$or with a non-object',
      { $or: [{ a: ['b'] }, 'c'] },
      'Only JSON object is allowed in array of $or relationship.',
    ],
    ['$or with an empty alternative', { $or: [{ a: ['b'] }, {}] }, 'Empty objects are not allowed'],
    [
      'an operator name as a field in $or',
      { $or: [{ prefix: ['a'] }, { b: ['c'] }] },
      'prefix is a reserved name',
    ],
    [
      'an operator name deeper in $or',
      { $or: [{ a: { numeric: [1] } }, { b: ['c'] }] },
      'numeric is a reserved name',
    ],
  ])('%s', (_name, pattern, reason) => {
    const error = rejection(pattern);
    expect(error.reason).toContain(reason);
    expect(error.message).toContain('Event pattern is not valid. Reason: ');
  });
});

describe('InvalidEventPatternError', () => {
  test('names the exception the way AWS does and says where the problem is', () => {
    const error = rejection({ detail: { state: ['running', { prefix: 5 }] } });
    expect(error.name).toBe('InvalidEventPatternException');
    expect(error.location).toBe('detail.state[1]');
    expect(error.message).toBe(
      'Event pattern is not valid. Reason: prefix match pattern must be a string at detail.state[1]',
    );
  });

  test('locates problems inside $or alternatives', () => {
    expect(rejection({ detail: { $or: [{ a: ['b'] }, { c: [] }] } }).location).toBe('detail.$or[1].c');
  });

  test('matchesPattern refuses an invalid pattern instead of matching nothing', () => {
    expect(() => matchesPattern({ source: 'aws.ec2' }, { source: 'aws.ec2' })).toThrow(
      InvalidEventPatternError,
    );
  });
});

describe('validatePattern accepts', () => {
  test.each<[string, unknown]>([
    ['operator names as ordinary field names outside $or', { detail: { prefix: ['a'], numeric: [1] } }],
    ['every operator together', { detail: everyOperator() }],
    ['nested $or', { $or: [{ a: ['1'] }, { $or: [{ b: ['2'] }, { c: ['3'] }] }] }],
    ['null, booleans and numbers as values', { a: [null, true, false, 0, -1.5, ''] }],
    ['bounds at the limits', { a: [{ numeric: ['>=', -5e9, '<=', 5e9] }] }],
  ])('%s', (_name, pattern) => {
    expect(() => validatePattern(pattern)).not.toThrow();
  });
});

function everyOperator(): Record<string, unknown> {
  return {
    a: [{ prefix: 'x' }, { prefix: { 'equals-ignore-case': 'x' } }],
    b: [{ suffix: 'x' }, { suffix: { 'equals-ignore-case': 'x' } }],
    c: [{ 'equals-ignore-case': 'x' }, { wildcard: 'x*\\*' }],
    d: [
      { 'anything-but': 'x' },
      { 'anything-but': 1 },
      { 'anything-but': ['x', 'y'] },
      { 'anything-but': [1, 2] },
    ],
    e: [{ 'anything-but': { prefix: 'x' } }, { 'anything-but': { suffix: ['x', 'y'] } }],
    f: [{ 'anything-but': { 'equals-ignore-case': 'x' } }, { 'anything-but': { wildcard: ['*x', 'y*'] } }],
    g: [
      { numeric: ['=', 1] },
      { numeric: ['>', 0, '<', 1] },
      { numeric: ['>=', 0, '<=', 1] },
      { numeric: ['<', 0] },
    ],
    h: [{ exists: true }, { exists: false }, { cidr: '10.0.0.0/8' }, { cidr: '2001:db8::/32' }],
  };
}
