import { describe, expect, test } from '@jest/globals';
import {
  findInexactNumbers,
  hasLoneSurrogate,
  inexactNumberReason,
  jsonShapeViolations,
  stringProblem,
} from '../../src/contracts/i-json';

describe('inexactNumberReason: numbers a double cannot hold exactly (RFC 7493 §2.2)', () => {
  test('the range RFC 7493 gives for exact integers, [-(2^53)+1, (2^53)-1], is taken', () => {
    expect(inexactNumberReason('9007199254740991')).toBeUndefined();
    expect(inexactNumberReason('-9007199254740991')).toBeUndefined();
    expect(inexactNumberReason('0')).toBeUndefined();
    expect(inexactNumberReason('-0')).toBeUndefined();
  });

  test('an integer outside it is refused, even one a double happens to hold (2^53)', () => {
    expect(inexactNumberReason('9007199254740992')).toBe('beyond-safe-integer');
    expect(inexactNumberReason('-9007199254740992')).toBe('beyond-safe-integer');
    expect(inexactNumberReason('12345678901234567890')).toBe('beyond-safe-integer');
    expect(inexactNumberReason(`1${'0'.repeat(400)}`)).toBe('overflow');
  });

  test('RFC 7493’s example of greater magnitude, 1E400, and its kin overflow', () => {
    expect(inexactNumberReason('1E400')).toBe('overflow');
    expect(inexactNumberReason('-1e400')).toBe('overflow');
    expect(inexactNumberReason('1.8e308')).toBe('overflow');
    expect(inexactNumberReason('1.7976931348623157e308')).toBeUndefined();
  });

  test('a non-zero number that would become 0 underflows; zero written any way is zero', () => {
    expect(inexactNumberReason('1e-400')).toBe('underflow');
    expect(inexactNumberReason('-0.0000001e-330')).toBe('underflow');
    expect(inexactNumberReason('0e-400')).toBeUndefined();
    expect(inexactNumberReason('0.000')).toBeUndefined();
    expect(inexactNumberReason('5e-324')).toBeUndefined();
  });

  test('numbers DynamoDB cannot hold but a double can are fine: the event log keeps text', () => {
    expect(inexactNumberReason('1.5e-300')).toBeUndefined();
    expect(inexactNumberReason('1.5e300')).toBeUndefined();
    expect(inexactNumberReason('1e20')).toBeUndefined();
  });

  test('a decimal fraction with more digits than a double keeps is read as the nearest double', () => {
    // RFC 7493's example of greater precision: rounding it is what every receiver does too.
    expect(inexactNumberReason('3.141592653589793238462643383279')).toBeUndefined();
    // Doubles printed with 17 significant digits (printf %.17g) are exact and must pass.
    expect(inexactNumberReason('0.10000000000000001')).toBeUndefined();
  });

  test('every double as JavaScript prints it is exact (2,000 random doubles)', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const buffer = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 2000; i++) {
      buffer.setUint32(0, Math.floor(random() * 2 ** 32));
      buffer.setUint32(4, Math.floor(random() * 2 ** 32));
      const value = buffer.getFloat64(0);
      if (!Number.isFinite(value)) continue;
      const text = JSON.stringify(value);
      // An integral double beyond 2^53 prints as digits alone: an integer literal, refused by rule.
      const expected =
        /^-?\d+$/.test(text) && !Number.isSafeInteger(value) ? 'beyond-safe-integer' : undefined;
      expect([text, inexactNumberReason(text)]).toEqual([text, expected]);
    }
  });
});

describe('findInexactNumbers: where in the raw text', () => {
  test('text without a long number is passed without a scan', () => {
    expect(findInexactNumbers('{"a":[1,2.5,-3e10,"12345678901234567890"]}')).toEqual([]);
  });

  test('names each with a JSON pointer, in document order, skipping digits inside strings', () => {
    const text = JSON.stringify({
      id: '12345678901234567890',
      data: { amount: 1, list: [1, 2, 'x'], 'a/b~c': 'n' },
    })
      .replace('"list":[1,2', '"list":[1,12345678901234567890')
      .replace('"n"', '1e400');
    expect(findInexactNumbers(text)).toEqual([
      { path: '/data/list/1', reason: 'beyond-safe-integer' },
      { path: '/data/a~1b~0c', reason: 'overflow' },
    ]);
  });

  test('keys with escapes and quotes, nested arrays, whitespace and a number at the root', () => {
    const text = '{ "k\\"\\\\": [ [ ], [ 0, { "x\\u00e9" : 9007199254740993 } ] ] }';
    expect(JSON.parse(text)).toBeDefined();
    expect(findInexactNumbers(text)).toEqual([{ path: '/k"\\/1/1/xé', reason: 'beyond-safe-integer' }]);
    expect(findInexactNumbers('-12345678901234567890')).toEqual([
      { path: '', reason: 'beyond-safe-integer' },
    ]);
  });

  test('the pointer of every number agrees with the parsed document', () => {
    const value = { a: [{ b: 1 }, [2, { 'c d': 3 }]], e: { f: [4] } };
    const text = JSON.stringify(value).replace(/\d/g, (d) => `${d}00000000000000000000`);
    const found = findInexactNumbers(text);
    expect(found.map((f) => f.path)).toEqual(['/a/0/b', '/a/1/0', '/a/1/1/c d', '/e/f/0']);
  });

  test('nesting 100,000 deep is scanned without recursion; at most `limit` are reported', () => {
    const deep = `${'['.repeat(100_000)}12345678901234567890${']'.repeat(100_000)}`;
    const [found, ...more] = findInexactNumbers(deep);
    expect(more).toEqual([]);
    expect(found!.reason).toBe('beyond-safe-integer');
    expect(found!.path === '/0'.repeat(100_000)).toBe(true);
    const many = `[${Array.from({ length: 50 }, () => '1e999').join(',')}]`;
    expect(findInexactNumbers(many, 3)).toHaveLength(3);
  });
});

describe('jsonShapeViolations: strings and nesting (RFC 7493 §2.1)', () => {
  test('a lone surrogate in a string or a member name is named; pairs (emoji) are fine', () => {
    expect(hasLoneSurrogate('😀 ok \uFFFF')).toBe(false);
    expect(hasLoneSurrogate('\uD83D')).toBe(true);
    expect(hasLoneSurrogate('a\uDE00')).toBe(true);
    const value = JSON.parse('{"ok":"😀","bad":["x","\\ud800"],"\\udc00":1}');
    expect(jsonShapeViolations(value, { maxDepth: 10, path: '/data' })).toEqual([
      { path: '/data', message: expect.stringContaining('member name') },
      { path: '/data/bad/1', message: expect.stringContaining('lone surrogate') },
    ]);
  });

  test('U+FFFE and U+FFFF are named too; other noncharacters, which SQS takes, are not', () => {
    expect(stringProblem('a\uFFFEb')).toMatch(/U\+FFFE or U\+FFFF/);
    expect(stringProblem('\uFFFF')).toMatch(/SQS refuses/);
    expect(stringProblem('\uFDD0 \u{1FFFE} \u{10FFFF} 😀')).toBeUndefined();
    expect(jsonShapeViolations({ 'k\uFFFF': ['\uFFFE'] }, { maxDepth: 3 })).toEqual([
      { path: '/', message: expect.stringContaining('member name') },
      { path: '/k\uFFFF/0', message: expect.stringContaining('U+FFFE or U+FFFF') },
    ]);
  });

  test('nesting is counted from the value itself; the deepest allowed passes', () => {
    let value: unknown = 'leaf';
    for (let level = 0; level < 40; level++) value = { level: value };
    expect(jsonShapeViolations(value, { maxDepth: 40 })).toEqual([]);
    expect(jsonShapeViolations(value, { maxDepth: 39 })).toEqual([
      { path: `${'/level'.repeat(39)}`, message: 'nests deeper than 39 levels of objects and arrays' },
    ]);
  });

  test('5,000 levels are judged without recursion; a `__proto__` member is just a member', () => {
    let value: unknown = 1;
    for (let level = 0; level < 5000; level++) value = [value];
    expect(jsonShapeViolations(value, { maxDepth: 64 })).toHaveLength(1);
    expect(jsonShapeViolations(JSON.parse('{"__proto__":{"x":"\\ud800"}}'), { maxDepth: 4 })).toEqual([
      { path: '/__proto__/x', message: expect.stringContaining('lone surrogate') },
    ]);
  });
});
