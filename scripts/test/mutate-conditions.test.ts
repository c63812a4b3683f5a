// The pure half of `npm run mutate:conditions`: finding the conditions, reading them, the mutants they
// give, and the mutated and instrumented copies of an adapter.
import { describe, expect, test } from '@jest/globals';
import {
  conditionMutants,
  findConditionSites,
  instrumentedSource,
  mutatedSource,
  parseCondition,
  relativeImports,
} from '../lib/condition-mutants';

const ADAPTER = `import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { key } from './keys';
const ONLY_NEW = 'attribute_not_exists(pk)';
export async function put(db, item, conditions: string[]) {
  await db.send(new PutCommand({ Item: item, ConditionExpression: ONLY_NEW }));
  await db.send(new PutCommand({ Item: item, ConditionExpression: 'a = :a AND b < :b' }));
  await db.send(new PutCommand({ Item: item, ConditionExpression: conditions.join(' AND ') }));
}
interface NotASite { ConditionExpression: string }
`;

describe('findConditionSites', () => {
  test('finds every ConditionExpression property, with the text of literals and constants', () => {
    const sites = findConditionSites('a.ts', ADAPTER);
    expect(sites.map(({ line, literal }) => ({ line, literal }))).toEqual([
      { line: 5, literal: 'attribute_not_exists(pk)' },
      { line: 6, literal: 'a = :a AND b < :b' },
      { line: 7 },
    ]);
    expect(ADAPTER.slice(sites[2]!.start, sites[2]!.end)).toBe("conditions.join(' AND ')");
  });
});

describe('parseCondition', () => {
  test('NOT binds tighter than AND, AND than OR; BETWEEN and IN keep their own AND and commas', () => {
    const condition = 'attribute_not_exists(pk) OR NOT x = :x AND y BETWEEN :a AND :b AND #s IN (:p, :q)';
    const tree = parseCondition(condition);
    expect(tree.kind).toBe('or');
    if (tree.kind !== 'or') return;
    expect(tree.children.map((c) => condition.slice(c.start, c.end))).toEqual([
      'attribute_not_exists(pk)',
      'NOT x = :x AND y BETWEEN :a AND :b AND #s IN (:p, :q)',
    ]);
    const and = tree.children[1]!;
    expect(and.kind === 'and' && and.children.map((c) => c.kind)).toEqual(['not', 'atom', 'atom']);
  });

  test('reads groups, functions as operands, nested paths, and refuses what is not a condition', () => {
    expect(parseCondition('(size(#a.b[0]) > :n)').kind).toBe('group');
    expect(() => parseCondition('a = :a AND')).toThrow();
    expect(() => parseCondition('a = :a )')).toThrow();
  });
});

describe('conditionMutants', () => {
  test('drops the whole condition, keeping every placeholder in use', () => {
    expect(conditionMutants('attribute_exists(pk)')).toEqual([
      { description: 'drop the condition', mutated: '(attribute_exists(pk)) OR NOT (attribute_exists(pk))' },
    ]);
  });

  test('drops each clause of a conjunction (true) and each alternative of a disjunction (false)', () => {
    expect(conditionMutants('a = :a AND (b = :b OR c = :c)').map((m) => m.mutated)).toEqual([
      '(a = :a AND (b = :b OR c = :c)) OR NOT (a = :a AND (b = :b OR c = :c))',
      '((a = :a) OR NOT (a = :a)) AND (b = :b OR c = :c)',
      'a = :a AND (((b = :b OR c = :c)) OR NOT ((b = :b OR c = :c)))',
      'a = :a AND (((b = :b) AND NOT (b = :b)) OR c = :c)',
      'a = :a AND (b = :b OR ((c = :c) AND NOT (c = :c)))',
    ]);
  });

  test('moves ordering comparisons across their boundary', () => {
    const mutants = conditionMutants('attribute_not_exists(pk) OR expiresAt < :now');
    expect(mutants.map((m) => m.description)).toEqual([
      'drop the condition',
      'drop alternative attribute_not_exists(pk)',
      'drop alternative expiresAt < :now',
      'expiresAt < :now: < → <=',
    ]);
    expect(mutants.at(-1)!.mutated).toBe('attribute_not_exists(pk) OR expiresAt <= :now');
  });
});

describe('mutatedSource and instrumentedSource', () => {
  const [constant, literal, dynamic] = findConditionSites('a.ts', ADAPTER);

  test('a mutant changes one condition at one site when it is evaluated, and nothing else', () => {
    const source = mutatedSource(ADAPTER, { site: literal!, original: 'a = :a AND b < :b', mutated: 'M' });
    expect(source).toContain(
      `ConditionExpression: ((c: string): string => (c === "a = :a AND b < :b" ? "M" : c))('a = :a AND b < :b')`,
    );
    expect(source).toContain('ConditionExpression: ONLY_NEW }');
    const wholeSite = mutatedSource(ADAPTER, { site: dynamic! });
    expect(wholeSite).toContain("((c: string): string => `(${c}) OR NOT (${c})`)(conditions.join(' AND '))");
  });

  test('instrumenting logs each condition at its site and returns it unchanged', () => {
    const source = instrumentedSource(ADAPTER, [constant!, dynamic!]);
    expect(source).toContain('ConditionExpression: __heraldCondition("a.ts", 5, ONLY_NEW)');
    expect(source).toContain(`ConditionExpression: __heraldCondition("a.ts", 7, conditions.join(' AND '))`);
    expect(source).toContain("import { appendFileSync as __heraldAppend } from 'node:fs';");
  });
});

test('relativeImports names the relative modules a file imports or re-exports', () => {
  expect(relativeImports(`${ADAPTER}export { x } from '../x';\nimport './side-effect';`)).toEqual([
    './keys',
    '../x',
    './side-effect',
  ]);
});
