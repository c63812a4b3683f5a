// One entry of a pattern array ("value" in `"state": ["running", {"prefix": "stop"}]`) compiled into a test on a
// single event leaf. Validation happens here too, so the accepted syntax and the matching semantics cannot
// drift apart; the error texts follow event-ruler's JsonRuleCompiler, which backs EventBridge patterns.
import type { Leaf } from './event-fields';
import { isPlainObject } from './event-fields';
import type { CidrRange } from './ip';
import { ipInCidr, parseCidr, parseIpAddress, sameIpAddress } from './ip';
import { isComparableNumber, NUMERIC_LIMIT, numericProblem, scaled } from './numbers';
import type { WildcardSegments } from './wildcard';
import { matchWildcard, parseWildcard, WildcardSyntaxError } from './wildcard';

export type LeafTest = (value: Leaf) => boolean;

/** `{"exists": false}` is not a test on a value: it is satisfied by the absence of the field. */
export type CompiledMatch = { readonly kind: 'value'; readonly test: LeafTest } | { readonly kind: 'absent' };

/** Thrown with the reason only; the pattern compiler adds where in the pattern it happened. */
export class MatchSyntaxError extends Error {
  override name = 'MatchSyntaxError';
}

/** Names that cannot be field names inside `$or`, where they would be ambiguous with operators. */
export const OPERATOR_NAMES: ReadonlySet<string> = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
]);

function fail(reason: string): never {
  throw new MatchSyntaxError(reason);
}

const isString = (value: Leaf): value is string => typeof value === 'string';
const lower = (text: string): string => text.toLowerCase();

export function compileMatch(raw: unknown): CompiledMatch {
  if (isPlainObject(raw)) return compileOperator(raw);
  if (typeof raw === 'string') return value(exactString(raw));
  if (typeof raw === 'number' && Number.isFinite(raw)) return value((v) => v === raw);
  if (raw === null || typeof raw === 'boolean') return value((v) => v === raw);
  return fail('Match value must be String, number, true, false, or null');
}

function value(test: LeafTest): CompiledMatch {
  return { kind: 'value', test };
}

/** A pattern string that is an IP address matches the same address written differently, as in event-ruler. */
function exactString(expected: string): LeafTest {
  const address = parseIpAddress(expected);
  if (!address) return (v) => v === expected;
  return (v) => v === expected || (isString(v) && sameIpAddress(v, address));
}

function onlyKey(expression: Record<string, unknown>, missing: string): [string, unknown] {
  const entries = Object.entries(expression);
  if (entries.length === 0) fail(missing);
  if (entries.length > 1) fail('Only one key allowed in match expression');
  return entries[0] as [string, unknown];
}

function compileOperator(expression: Record<string, unknown>): CompiledMatch {
  const [operator, operand] = onlyKey(expression, 'Match expression name not found');
  switch (operator) {
    case 'prefix':
      return value(compileAffix(operand, 'prefix'));
    case 'suffix':
      return value(compileAffix(operand, 'suffix'));
    case 'equals-ignore-case': {
      const expected = lower(requireString(operand, 'equals-ignore-case match pattern must be a string'));
      return value((v) => isString(v) && lower(v) === expected);
    }
    case 'wildcard': {
      const segments = compileWildcard(requireString(operand, 'wildcard match pattern must be a string'));
      return value((v) => isString(v) && matchWildcard(segments, v));
    }
    case 'numeric':
      return value(compileNumeric(operand));
    case 'anything-but':
      return value(compileAnythingBut(operand));
    case 'exists':
      if (operand === true) return value(() => true);
      if (operand === false) return { kind: 'absent' };
      return fail('exists match pattern must be either true or false.');
    case 'cidr': {
      const range = compileCidr(operand);
      return value((v) => isString(v) && ipInCidr(v, range));
    }
    default:
      return fail(`Unrecognized match type ${operator}`);
  }
}

function requireString(operand: unknown, reason: string): string {
  return typeof operand === 'string' ? operand : fail(reason);
}

/** `{"prefix": "x"}` or `{"prefix": {"equals-ignore-case": "x"}}`, and the same for suffix. */
function compileAffix(operand: unknown, kind: 'prefix' | 'suffix'): LeafTest {
  const has = (text: string, affix: string): boolean =>
    kind === 'prefix' ? text.startsWith(affix) : text.endsWith(affix);
  if (isPlainObject(operand)) {
    const label = kind === 'prefix' ? 'Prefix' : 'Suffix';
    const [option, inner] = onlyKey(operand, `${label} expression name not found`);
    if (option !== 'equals-ignore-case') fail(`Unsupported ${kind} pattern: ${option}`);
    const affix = lower(requireString(inner, 'equals-ignore-case match pattern must be a string'));
    return (v) => isString(v) && has(lower(v), affix);
  }
  const affix = requireString(operand, `${kind} match pattern must be a string`);
  return (v) => isString(v) && has(v, affix);
}

function compileWildcard(pattern: string): WildcardSegments {
  try {
    return parseWildcard(pattern);
  } catch (error) {
    if (error instanceof WildcardSyntaxError) fail(error.message);
    throw error;
  }
}

function compileCidr(operand: unknown): CidrRange {
  const range = parseCidr(requireString(operand, 'cidr match pattern must be a string'));
  return typeof range === 'string' ? fail(range) : range;
}

function requireComparable(operand: unknown, reason: string): number {
  if (typeof operand !== 'number') fail(reason);
  const problem = numericProblem(operand);
  return problem === undefined ? operand : fail(problem);
}

/**
 * `[op, n]` with op one of = < <= > >=, or a range `[">" | ">=", low, "<" | "<=", high]` (lower bound first).
 * Only JSON numbers in the comparable window match; the strings "5" or "5.0" never do.
 */
function compileNumeric(operand: unknown): LeafTest {
  if (!Array.isArray(operand)) fail('Value of numeric must be an array.');
  const [operator, first, ...rest] = operand as unknown[];
  if (typeof operator !== 'string') {
    fail(
      `Invalid member in numeric match: ${operator === undefined ? '(empty array)' : JSON.stringify(operator)}`,
    );
  }
  if (!['=', '<', '<=', '>', '>='].includes(operator))
    fail(`Unrecognized numeric range operator: ${operator}`);
  const bound = requireComparable(
    first,
    `Value of ${operator === '=' ? 'equals' : operator} must be numeric`,
  );
  const single = (): void => {
    if (rest.length > 0) fail('Too many elements in numeric expression');
  };
  switch (operator) {
    case '=':
      single();
      return comparing((n) => n === scaled(bound));
    case '<':
    case '<=':
      single();
      if (bound <= -NUMERIC_LIMIT) fail('Bottom must be less than top');
      return comparing(upperTest(operator, scaled(bound)));
    case '>':
    case '>=': {
      if (rest.length === 0) {
        if (bound >= NUMERIC_LIMIT) fail('Bottom must be less than top');
        return comparing(lowerTest(operator, scaled(bound)));
      }
      const [topOperator, top, ...extra] = rest;
      if (typeof topOperator !== 'string') fail(`Bad value in numeric range: ${JSON.stringify(topOperator)}`);
      if (topOperator !== '<' && topOperator !== '<=') fail(`Bad numeric range operator: ${topOperator}`);
      const upper = requireComparable(top, `Value of ${topOperator} must be numeric`);
      if (extra.length > 0) fail('Too many terms in numeric range expression');
      if (bound >= upper) fail('Bottom must be less than top');
      const low = lowerTest(operator, scaled(bound));
      const high = upperTest(topOperator, scaled(upper));
      return comparing((n) => low(n) && high(n));
    }
    default:
      return fail(`Unrecognized numeric range operator: ${operator}`);
  }
}

function comparing(test: (scaledValue: number) => boolean): LeafTest {
  return (v) => isComparableNumber(v) && test(scaled(v));
}

function lowerTest(operator: '>' | '>=', bound: number): (n: number) => boolean {
  return operator === '>' ? (n) => n > bound : (n) => n >= bound;
}

function upperTest(operator: '<' | '<=', bound: number): (n: number) => boolean {
  return operator === '<' ? (n) => n < bound : (n) => n <= bound;
}

/**
 * anything-but matches every value that is present and not excluded, whatever its type: `{"anything-but":
 * "x"}` matches 5 and null. A missing field never matches (only `{"exists": false}` does).
 */
function compileAnythingBut(operand: unknown): LeafTest {
  if (isPlainObject(operand)) return negate(compileAnythingButOf(operand));
  if (typeof operand === 'string') return negate((v) => v === operand);
  if (typeof operand === 'number') {
    const excluded = scaled(requireComparable(operand, 'anything-but value must be a string or a number'));
    return negate((v) => isComparableNumber(v) && scaled(v) === excluded);
  }
  if (Array.isArray(operand)) return negate(compileAnythingButList(operand));
  return fail('Value of anything-but must be an array or single string/number value.');
}

function negate(excluded: LeafTest): LeafTest {
  return (v) => !excluded(v);
}

function compileAnythingButList(values: readonly unknown[]): LeafTest {
  if (values.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
    fail('Inside anything but list, only strings or numbers are supported.');
  }
  const strings = values.filter((v): v is string => typeof v === 'string');
  if (values.length === 0 || (strings.length > 0 && strings.length < values.length)) {
    fail('Inside anything but list, either all values are number or string, mixed type is not supported');
  }
  if (strings.length > 0) {
    const excluded = new Set(strings);
    return (v) => isString(v) && excluded.has(v);
  }
  const excluded = new Set(
    values.map((v) => scaled(requireComparable(v, 'anything-but value must be a number'))),
  );
  return (v) => isComparableNumber(v) && excluded.has(scaled(v));
}

/** `{"anything-but": {"prefix" | "suffix" | "equals-ignore-case" | "wildcard": "x" | ["x", ...]}}`. */
function compileAnythingButOf(expression: Record<string, unknown>): LeafTest {
  const [option, operand] = onlyKey(expression, 'Anything-But expression name not found');
  const texts = (reason: string): string[] => {
    const list = Array.isArray(operand) ? operand : [operand];
    if (list.length === 0) fail('Empty arrays are not allowed');
    return list.map((item) => requireString(item, reason));
  };
  switch (option) {
    case 'prefix':
    case 'suffix': {
      const affixes = texts('prefix/suffix match pattern must be a string');
      if (affixes.includes('')) fail('Null prefix/suffix not allowed');
      return (v) =>
        isString(v) && affixes.some((a) => (option === 'prefix' ? v.startsWith(a) : v.endsWith(a)));
    }
    case 'equals-ignore-case': {
      const excluded = new Set(
        texts('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.').map(
          lower,
        ),
      );
      return (v) => isString(v) && excluded.has(lower(v));
    }
    case 'wildcard': {
      const patterns = texts('wildcard match pattern must be a string').map(compileWildcard);
      return (v) => isString(v) && patterns.some((segments) => matchWildcard(segments, v));
    }
    default:
      return fail(`Unsupported anything-but pattern: ${option}`);
  }
}
