/**
 * What Herald takes as JSON beyond the grammar: I-JSON (RFC 7493), so that every value a producer
 * sends is the value that is signed, stored and delivered, and every receiver reads it the same way.
 *
 * - Numbers (RFC 7493 §2.2): an integer literal outside ±(2^53−1), or a number a double cannot hold
 *   at all (it overflows to ±Infinity, or a non-zero value underflows to 0), would be rounded or
 *   lost silently by JSON.parse, and the JCS form that is signed is made from the parsed double.
 *   They are found on the raw text, since JSON.parse has already lost them. A decimal fraction is
 *   kept as the nearest double, as every I-JSON receiver reads it: refusing extra digits would refuse
 *   producers that print doubles with 17 significant digits, which is how many languages do it.
 * - Strings and member names (RFC 7493 §2.1) must not hold a lone surrogate: it is no character,
 *   has no UTF-8 form, and would reach a receiver as U+FFFD or not at all. Nor the noncharacters
 *   U+FFFE and U+FFFF, which I-JSON excludes too and SQS refuses: Herald's own producers send them
 *   escaped (see aws/queue-body.ts), but events also travel from the bus to a queue through
 *   EventBridge, which serialises them itself. Other noncharacters SQS takes, and so does Herald.
 * - Nesting is bounded by the caller: signing is recursive, and receivers' parsers stop somewhere.
 */
import type { Violation } from './violations';

export type InexactNumberReason = 'beyond-safe-integer' | 'overflow' | 'underflow';

export interface InexactNumber {
  /** JSON Pointer into the document. */
  path: string;
  reason: InexactNumberReason;
}

const MESSAGES: Record<InexactNumberReason, string> = {
  'beyond-safe-integer':
    'is an integer beyond ±(2^53−1), which JSON numbers do not carry exactly: send it as a string (I-JSON, RFC 7493)',
  overflow:
    'is a number too large for a double (it would become Infinity): send it as a string (I-JSON, RFC 7493)',
  underflow: 'is a number too small for a double (it would become 0): send it as a string (I-JSON, RFC 7493)',
};

export const inexactNumberMessage = (reason: InexactNumberReason): string => MESSAGES[reason];

const INTEGER_LITERAL = /^-?\d+$/;
const NON_ZERO_DIGIT = /[1-9]/;

/** Why the number written as `source` (a JSON number token) cannot be taken exactly, if it cannot. */
export function inexactNumberReason(source: string): InexactNumberReason | undefined {
  const value = Number(source);
  if (!Number.isFinite(value)) return 'overflow';
  if (INTEGER_LITERAL.test(source)) return Number.isSafeInteger(value) ? undefined : 'beyond-safe-integer';
  if (value === 0 && NON_ZERO_DIGIT.test(source.split(/[eE]/)[0]!)) return 'underflow';
  return undefined;
}

/**
 * A number is only worth a closer look when it has 16 or more digits (15 always fit a double
 * exactly, as an integer below 2^53 or as a decimal) or an exponent of three digits. Text without
 * either, which is nearly all text, is passed after one native regular-expression scan.
 */
const SUSPECT = /\d(?:\.?\d){15}|[eE][+-]?\d{3}/;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

type Frame = { kind: 'array'; index: number } | { kind: 'object'; awaitingKey: boolean; key: string };

const escapeToken = (token: string) => token.replaceAll('~', '~0').replaceAll('/', '~1');
const pointerOf = (frames: readonly Frame[]) =>
  frames.map((f) => `/${f.kind === 'array' ? f.index : escapeToken(f.key)}`).join('');

/** Index just after the string that opens at `start` (a `"`). */
function stringEnd(text: string, start: number): number {
  let at = start + 1;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}

/**
 * The numbers of a JSON text that a double cannot hold exactly, with where they are, in document
 * order, at most `limit`. The text must already be known to be JSON (parse it first): a scan of the
 * tokens, iterative, so no nesting depth can exhaust the stack.
 */
export function findInexactNumbers(text: string, limit = 20): InexactNumber[] {
  if (!SUSPECT.test(text)) return [];
  const found: InexactNumber[] = [];
  const frames: Frame[] = [];
  let at = 0;
  while (at < text.length && found.length < limit) {
    const code = text.charCodeAt(at);
    const top = frames[frames.length - 1];
    if (code === 0x22 /* " */) {
      const end = stringEnd(text, at);
      if (top?.kind === 'object' && top.awaitingKey) {
        top.key = JSON.parse(text.slice(at, end)) as string;
        top.awaitingKey = false;
      }
      at = end;
    } else if (code === 0x2d /* - */ || (code >= 0x30 && code <= 0x39)) {
      NUMBER.lastIndex = at;
      const source = NUMBER.exec(text)?.[0] ?? text[at]!;
      const reason = inexactNumberReason(source);
      if (reason) found.push({ path: pointerOf(frames), reason });
      at += source.length;
    } else {
      if (code === 0x7b /* { */) frames.push({ kind: 'object', awaitingKey: true, key: '' });
      else if (code === 0x5b /* [ */) frames.push({ kind: 'array', index: 0 });
      else if (code === 0x7d /* } */ || code === 0x5d /* ] */) frames.pop();
      else if (code === 0x2c /* , */ && top) {
        if (top.kind === 'array') top.index += 1;
        else top.awaitingKey = true;
      }
      at += 1;
    }
  }
  return found;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const QUEUE_NONCHARACTER = /[\uFFFE\uFFFF]/;

/** True when `text` holds a surrogate code unit that is not half of a pair. */
export const hasLoneSurrogate = (text: string): boolean => LONE_SURROGATE.test(text);

const LONE_SURROGATE_PROBLEM =
  'a lone surrogate (an unpaired \\uD800-\\uDFFF escape), which is no character (I-JSON, RFC 7493)';
const NONCHARACTER_PROBLEM =
  'the noncharacter U+FFFE or U+FFFF, which I-JSON (RFC 7493) excludes and SQS refuses';

/** What is wrong with a string or member name Herald is to carry, if anything. */
export function stringProblem(text: string): string | undefined {
  if (hasLoneSurrogate(text)) return LONE_SURROGATE_PROBLEM;
  if (QUEUE_NONCHARACTER.test(text)) return NONCHARACTER_PROBLEM;
  return undefined;
}

export interface ShapeOptions {
  /** Objects and arrays may nest this deep, the value itself counting as level 1. */
  maxDepth: number;
  /** Pointer of `value` in the document its violations are reported in; default the root. */
  path?: string;
  /** Stop after this many violations; default 20. */
  limit?: number;
}

/**
 * Strings and member names that cannot be carried (stringProblem), and nesting deeper than
 * `maxDepth`, in a parsed JSON value. Iterative: the value may nest arbitrarily deep.
 */
export function jsonShapeViolations(value: unknown, options: ShapeOptions): Violation[] {
  const limit = options.limit ?? 20;
  const violations: Violation[] = [];
  const pending: Array<{ value: unknown; path: string; depth: number }> = [
    { value, path: options.path ?? '', depth: 1 },
  ];
  while (pending.length > 0 && violations.length < limit) {
    const { value: current, path, depth } = pending.pop()!;
    if (typeof current === 'string') {
      const problem = stringProblem(current);
      if (problem) violations.push({ path: path || '/', message: `holds ${problem}` });
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth > options.maxDepth) {
      violations.push({
        path: path || '/',
        message: `nests deeper than ${options.maxDepth} levels of objects and arrays`,
      });
      continue;
    }
    const entries: Array<[string, unknown]> = Array.isArray(current)
      ? current.map((item, index) => [String(index), item])
      : Object.entries(current);
    const nameProblem = Array.isArray(current)
      ? undefined
      : entries.map(([name]) => stringProblem(name)).find((problem) => problem !== undefined);
    if (nameProblem)
      violations.push({ path: path || '/', message: `has a member name holding ${nameProblem}` });
    // Pushed in reverse so violations come out in document order.
    for (let index = entries.length - 1; index >= 0; index--) {
      const [name, child] = entries[index]!;
      pending.push({ value: child, path: `${path}/${escapeToken(name)}`, depth: depth + 1 });
    }
  }
  return violations.slice(0, limit);
}
