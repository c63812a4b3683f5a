import { describe, expect, test } from '@jest/globals';
import {
  compileSchema,
  FORMATS,
  MAX_SCHEMA_BYTES,
  MAX_SCHEMA_DEPTH,
  schemaProblems,
  toRe2Syntax,
} from '../src/event-schemas';
import { ORDER_SCHEMA } from './support/schemas';

const valid = (schema: unknown) => {
  const compiled = compileSchema(schema);
  if (!compiled.ok) throw new Error(`expected a schema, got ${JSON.stringify(compiled.problems)}`);
  return compiled.validate;
};

describe('schemaProblems: a tenant schema is untrusted input', () => {
  test('a schema larger than 64 KiB serialised is refused as a whole', () => {
    const big = { description: 'x'.repeat(MAX_SCHEMA_BYTES) };
    expect(schemaProblems(big)).toEqual([{ pointer: '', message: expect.stringContaining('65536 bytes') }]);
    expect(schemaProblems({ description: 'x'.repeat(MAX_SCHEMA_BYTES - 100) })).toEqual([]);
  });

  test('a $ref outside the schema is refused, by pointer; a local one is fine', () => {
    expect(
      schemaProblems({
        properties: {
          a: { $ref: 'https://evil.example/schema.json' },
          b: { $ref: 'other.json#/x' },
          c: { $ref: '#/$defs/c' },
        },
        $defs: { c: { type: 'string' } },
      }),
    ).toEqual([
      { pointer: '/properties/a/$ref', message: expect.stringContaining('within the schema') },
      { pointer: '/properties/b/$ref', message: expect.stringContaining('within the schema') },
    ]);
  });

  test('$id, $anchor and dynamic references are refused', () => {
    const problems = schemaProblems({
      $id: 'https://evil.example/s',
      $defs: { a: { $anchor: 'a' }, b: { $dynamicRef: '#meta' }, c: { $dynamicAnchor: 'meta' } },
    });
    expect(problems.map((problem) => problem.pointer)).toEqual([
      '/$id',
      '/$defs/a/$anchor',
      '/$defs/b/$dynamicRef',
      '/$defs/c/$dynamicAnchor',
    ]);
  });

  test('a format outside the list is refused; every listed one compiles', () => {
    expect(schemaProblems({ properties: { card: { format: 'credit-card' } } })).toEqual([
      { pointer: '/properties/card/format', message: expect.stringContaining(FORMATS.join(', ')) },
    ]);
    for (const format of FORMATS) expect(compileSchema({ type: 'string', format }).ok).toBe(true);
  });

  test('backreferences and lookaround are refused (RE2 takes neither), in pattern and patternProperties', () => {
    const problems = schemaProblems({
      properties: {
        a: { pattern: '^(a+)\\1$' },
        b: { pattern: '^(?=x)' },
        c: { pattern: '(?<!x)y' },
      },
      patternProperties: { '(x)\\1': { type: 'string' } },
    });
    expect(problems.map((problem) => problem.pointer)).toEqual([
      '/properties/a/pattern',
      '/properties/b/pattern',
      '/properties/c/pattern',
      '/patternProperties/(x)\\1',
    ]);
    expect(problems[0]!.message).toContain('linear-time engine');
  });

  test('subschemas nested deeper than the limit are refused', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let level = 0; level <= MAX_SCHEMA_DEPTH; level += 1) deep = { properties: { a: deep } };
    const problems = schemaProblems(deep);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain(`deeper than ${MAX_SCHEMA_DEPTH}`);
    expect(problems[0]!.pointer).toBe(`${'/properties/a'.repeat(MAX_SCHEMA_DEPTH + 1)}`);
  });

  test('uniqueItems needs a small maxItems beside it (its cost is quadratic)', () => {
    expect(schemaProblems({ type: 'array', uniqueItems: true })).toEqual([
      { pointer: '/uniqueItems', message: expect.stringContaining('maxItems') },
    ]);
    expect(schemaProblems({ type: 'array', uniqueItems: true, maxItems: 5000 })).toHaveLength(1);
    expect(schemaProblems({ type: 'array', uniqueItems: true, maxItems: 50 })).toEqual([]);
  });

  test('unknown keywords are refused rather than ignored; property names are not keywords', () => {
    expect(schemaProblems({ minimun: 3 })).toEqual([
      { pointer: '/minimun', message: expect.stringContaining('not a keyword') },
    ]);
    expect(schemaProblems({ properties: { $ref: { type: 'string' }, 'a/b': { type: 'string' } } })).toEqual(
      [],
    );
  });

  test('a schema Ajv finds invalid is refused', () => {
    const compiled = compileSchema({ type: 'strnig' });
    expect(compiled.ok).toBe(false);
  });
});

describe('compiled validators', () => {
  test('name the failing value by pointer and the keyword', () => {
    const validate = valid(ORDER_SCHEMA);
    const order = {
      orderId: 'ord_abcdef12',
      total: 10,
      customer: { id: '3b241101-e2bb-4255-8caf-4136c566a962', email: 'a@example.org' },
      lines: [{ sku: 'A', quantity: 1 }],
    };
    expect(validate(order)).toBeUndefined();
    expect(validate({ ...order, total: -1 })).toEqual({
      pointer: '/total',
      keyword: 'minimum',
      message: 'must be >= 0 (minimum)',
    });
    expect(
      validate({
        ...order,
        lines: [
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 0 },
        ],
      }),
    ).toMatchObject({
      pointer: '/lines/1/quantity',
      keyword: 'minimum',
    });
    const { customer: _customer, ...noCustomer } = order;
    expect(validate(noCustomer)).toMatchObject({ pointer: '/customer', keyword: 'required' });
    expect(validate({ ...order, customer: { ...order.customer, email: 'not an address' } })).toMatchObject({
      pointer: '/customer/email',
      keyword: 'format',
    });
  });

  test('each pattern runs as itself (Ajv shares patterns by their text)', () => {
    const validate = valid({
      properties: { a: { pattern: '^a+$' }, b: { pattern: '^b+$' } },
      patternProperties: { '^x-': { type: 'number' } },
    });
    expect(validate({ a: 'aaa', b: 'bbb', 'x-1': 1 })).toBeUndefined();
    expect(validate({ a: 'aaa', b: 'aaa' })).toMatchObject({ pointer: '/b', keyword: 'pattern' });
    expect(validate({ 'x-1': 'one' })).toMatchObject({ pointer: '/x-1', keyword: 'type' });
  });

  test('a pattern that backtracks exponentially in JavaScript runs in linear time', () => {
    const validate = valid({ type: 'string', pattern: '^(a+)+$' });
    const started = performance.now();
    expect(validate(`${'a'.repeat(50_000)}!`)).toMatchObject({ keyword: 'pattern' });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test('ECMA-262 \\u escapes are given to RE2 as \\x{...}', () => {
    expect(toRe2Syntax('^\\u00e9\\\\u$')).toBe('^\\x{00e9}\\\\u$');
    expect(valid({ type: 'string', pattern: '^\\u00e9+$' })('ééé')).toBeUndefined();
  });

  test('a local recursive $ref validates nested data', () => {
    const validate = valid({
      $ref: '#/$defs/node',
      $defs: { node: { type: 'object', properties: { child: { $ref: '#/$defs/node' } } } },
    });
    expect(validate({ child: { child: { child: 3 } } })).toMatchObject({ pointer: '/child/child/child' });
  });
});
