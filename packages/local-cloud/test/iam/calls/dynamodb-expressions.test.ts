import { describe, expect, test } from '@jest/globals';
import { expressionAttributes, partitionKeyValues } from '../../../src/iam/calls/dynamodb-expressions';

// The top-level attributes an expression names are what dynamodb:Attributes counts (DynamoDB Developer
// Guide, "Using IAM policy conditions for fine-grained access control"; expression syntax from
// "Update expressions", "Condition and filter expressions", "Projection expressions").
describe('expressionAttributes', () => {
  test.each([
    ['SET a = :v', {}, ['a']],
    ['SET #n = :v', { '#n': 'status' }, ['status']],
    ['SET a.b.c = :v, d[2] = :w', {}, ['a', 'd']],
    ['SET #m.#k = :v', { '#m': 'map', '#k': 'key' }, ['map']],
    ['SET a = if_not_exists(a, :zero) + :one', {}, ['a', 'a']],
    [
      'SET l = list_append(l, :x) REMOVE r1, r2 ADD counter :one DELETE tags :t',
      {},
      ['l', 'l', 'r1', 'r2', 'counter', 'tags'],
    ],
    [
      'attribute_exists(pk) AND NOT contains(#s, :x) OR size(items) > :n',
      { '#s': 'status' },
      ['pk', 'status', 'items'],
    ],
    ['a BETWEEN :lo AND :hi AND b IN (:x, :y)', {}, ['a', 'b']],
    ['title, #p, reviews[0].stars', { '#p': 'price' }, ['title', 'price', 'reviews']],
    ['SET a = b - :v', {}, ['a', 'b']],
  ])('%s names %j', (expression, names, expected) => {
    expect(expressionAttributes(expression, names)).toEqual(expected);
  });

  test('an undefined placeholder is an error, not a silently missing attribute', () => {
    expect(() => expressionAttributes('SET #x = :v', {})).toThrow(/#x/);
  });
});

describe('partitionKeyValues', () => {
  const values = { ':p': { S: 'TENANT#acme' }, ':n': { N: '7' }, ':s': { S: 'x' } };
  test.each([
    ['pk = :p', 'pk', ['TENANT#acme']],
    [':p = pk AND sk > :s', 'pk', ['TENANT#acme']],
    ['#k = :n', 'id', ['7']],
    ['sk = :s AND pk = :p', 'pk', ['TENANT#acme']],
    ['begins_with(pk, :p)', 'pk', []],
  ])('%s on %s gives %j', (expression, key, expected) => {
    expect(partitionKeyValues(expression, key, { '#k': 'id' }, values)).toEqual(expected);
  });
});
