/**
 * A statement's `Condition` block against a request's context keys, as the IAM User Guide describes it:
 * "IAM JSON policy elements: Condition operators", "Conditions with multiple context keys or values" and
 * "Single-valued vs. multivalued context keys".
 *
 * - Every operator of a block must hold (AND), every key under an operator (AND); a key's policy values
 *   are alternatives (OR), except for a negated operator (`StringNotEquals`, `ArnNotLike`...), where the
 *   request value must differ from all of them (NOR).
 * - A key absent from the request: the condition is false, true for a negated operator; `...IfExists`
 *   makes it true whatever the operator; `Null` tests presence itself.
 * - `ForAllValues:` holds when every request value satisfies the operator, and also when the key is
 *   absent or empty; `ForAnyValue:` when at least one does, so never for an absent or empty key.
 * - Condition key names are case-insensitive; values compare as each operator says.
 */
import type { ConditionBlock, OneOrMany, RequestContext } from './types';
import { matchArn, matchString } from './wildcards';
import type { VariableResolver } from './wildcards';

/** A policy the evaluator cannot evaluate faithfully (unknown operator, malformed value). */
export class PolicyError extends Error {
  override name = 'PolicyError';
}

/** The request's context keys, looked up case-insensitively. */
export interface ContextLookup {
  get(key: string): string | readonly string[] | undefined;
}

export function contextLookup(context: RequestContext): ContextLookup {
  const byLowerCase = new Map<string, string | readonly string[]>();
  for (const [key, value] of Object.entries(context)) byLowerCase.set(key.toLowerCase(), value);
  return { get: (key) => byLowerCase.get(key.toLowerCase()) };
}

/**
 * A policy variable's value: the context key's, when it has exactly one (multivalued keys cannot be
 * policy variables, "Single-valued vs. multivalued context keys").
 */
export function variableResolver(context: ContextLookup): VariableResolver {
  return (key) => {
    const value = context.get(key);
    if (typeof value === 'string') return value;
    return value?.length === 1 ? value[0] : undefined;
  };
}

export type ConditionResult =
  | { matched: true }
  /** `failed`: the first operator and key that did not hold, as the policy spells them. */
  | { matched: false; failed: string };

type Compare = (policyValue: string, requestValue: string, resolve: VariableResolver | undefined) => boolean;

interface Operator {
  compare: Compare;
  negated: boolean;
  /** Whether policy variables are substituted in its values (String, ARN and Bool operators). */
  variables: boolean;
}

function numeric(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** ISO 8601 (W3C profile) or epoch seconds, as "Date condition operators" allows. */
function date(text: string): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text) * 1000;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function ordered(
  parse: (t: string) => number | undefined,
  test: (policy: number, request: number) => boolean,
): Compare {
  return (policyValue, requestValue) => {
    const p = parse(policyValue);
    const r = parse(requestValue);
    if (p === undefined) throw new PolicyError(`"${policyValue}" is not a value this operator compares`);
    return r !== undefined && test(p, r);
  };
}

const stringEquals: Compare = (p, v, resolve) => matchString(p, v, { wildcards: false, resolve });
const stringEqualsIgnoreCase: Compare = (p, v, resolve) =>
  matchString(p, v, { wildcards: false, ignoreCase: true, resolve });
const stringLike: Compare = (p, v, resolve) => matchString(p, v, { wildcards: true, resolve });
const arnLike: Compare = (p, v, resolve) => matchArn(p, v, resolve);
const bool: Compare = (p, v, resolve) => matchString(p, v, { wildcards: false, ignoreCase: true, resolve });
const numericEquals = ordered(numeric, (p, r) => r === p);
const dateEquals = ordered(date, (p, r) => r === p);

const op = (compare: Compare, negated = false, variables = false): Operator => ({
  compare,
  negated,
  variables,
});

const OPERATORS: Readonly<Record<string, Operator>> = {
  StringEquals: op(stringEquals, false, true),
  StringNotEquals: op(stringEquals, true, true),
  StringEqualsIgnoreCase: op(stringEqualsIgnoreCase, false, true),
  StringNotEqualsIgnoreCase: op(stringEqualsIgnoreCase, true, true),
  StringLike: op(stringLike, false, true),
  StringNotLike: op(stringLike, true, true),
  NumericEquals: op(numericEquals),
  NumericNotEquals: op(numericEquals, true),
  NumericLessThan: op(ordered(numeric, (p, r) => r < p)),
  NumericLessThanEquals: op(ordered(numeric, (p, r) => r <= p)),
  NumericGreaterThan: op(ordered(numeric, (p, r) => r > p)),
  NumericGreaterThanEquals: op(ordered(numeric, (p, r) => r >= p)),
  DateEquals: op(dateEquals),
  DateNotEquals: op(dateEquals, true),
  DateLessThan: op(ordered(date, (p, r) => r < p)),
  DateLessThanEquals: op(ordered(date, (p, r) => r <= p)),
  DateGreaterThan: op(ordered(date, (p, r) => r > p)),
  DateGreaterThanEquals: op(ordered(date, (p, r) => r >= p)),
  Bool: op(bool, false, true),
  ArnEquals: op(arnLike, false, true),
  ArnLike: op(arnLike, false, true),
  ArnNotEquals: op(arnLike, true, true),
  ArnNotLike: op(arnLike, true, true),
};

interface ParsedOperator {
  set?: 'ForAllValues' | 'ForAnyValue';
  ifExists: boolean;
  /** Undefined for `Null`. */
  operator?: Operator;
}

function parseOperator(name: string): ParsedOperator {
  const [, set, base = '', ifExists] = /^(?:(ForAllValues|ForAnyValue):)?(.*?)(IfExists)?$/.exec(name) ?? [];
  if (base === 'Null' && !ifExists) return { set: set as ParsedOperator['set'], ifExists: false };
  const operator = OPERATORS[base];
  if (!operator) {
    // IpAddress and BinaryEquals exist in IAM but nothing in Herald uses them: rather than guess, refuse.
    throw new PolicyError(`condition operator ${name} is not supported by the local cloud's evaluator`);
  }
  return { set: set as ParsedOperator['set'], ifExists: Boolean(ifExists), operator };
}

function list(values: OneOrMany<string | number | boolean>): string[] {
  return (Array.isArray(values) ? values : [values]).map((v) => String(v));
}

function keyHolds(
  parsed: ParsedOperator,
  key: string,
  policyValues: readonly string[],
  context: ContextLookup,
  resolve: VariableResolver | undefined,
): boolean {
  const raw = context.get(key);
  const values = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
  const { operator } = parsed;
  if (!operator) {
    // Null: "true" asks for the key to be absent, "false" for it to be present with a value.
    const present = values.length > 0;
    return policyValues.some((p) => {
      const wanted = p.toLowerCase();
      if (wanted !== 'true' && wanted !== 'false')
        throw new PolicyError(`Null takes "true" or "false", not "${p}"`);
      return wanted === 'true' ? !present : present;
    });
  }
  const substitute = operator.variables ? resolve : undefined;
  const holds = (value: string): boolean => {
    const matchesOne = policyValues.some((p) => operator.compare(p, value, substitute));
    return operator.negated ? !matchesOne : matchesOne;
  };
  if (parsed.set) {
    // "If the key values in the request resolve to an empty data set (for example, an empty string),
    // ForAllValues returns true and ForAnyValue returns false."
    const set = raw === '' ? [] : values;
    if (set.length === 0) return parsed.set === 'ForAllValues' || parsed.ifExists;
    return parsed.set === 'ForAllValues' ? set.every(holds) : set.some(holds);
  }
  if (values.length === 0) return parsed.ifExists || operator.negated;
  // A single-valued operator on a key with several values is a policy mistake AWS warns against; it is
  // taken here as holding when it holds for any one value, which for a negated operator in a Deny is
  // the stricter reading (any value outside the list denies).
  return values.some(holds);
}

/**
 * Whether the block holds for the request. `policyVariables`: the policy's Version is 2012-10-17, the one
 * in which `${...}` is a variable rather than literal text.
 */
export function evaluateConditions(
  block: ConditionBlock | undefined,
  context: ContextLookup,
  policyVariables: boolean,
): ConditionResult {
  if (!block) return { matched: true };
  const resolve = policyVariables ? variableResolver(context) : undefined;
  for (const [operatorName, keys] of Object.entries(block)) {
    const parsed = parseOperator(operatorName);
    for (const [key, values] of Object.entries(keys)) {
      if (!keyHolds(parsed, key, list(values), context, resolve)) {
        return { matched: false, failed: `${operatorName} ${key}` };
      }
    }
  }
  return { matched: true };
}
