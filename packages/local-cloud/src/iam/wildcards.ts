/**
 * Matching of policy strings against request strings: IAM's `*` and `?` wildcards, policy variables
 * (`${aws:PrincipalAccount}`), and ARNs compared segment by segment.
 *
 * AWS documents the rules in the IAM User Guide: "IAM JSON policy elements: Action" (action names are
 * case-insensitive, `*` and `?` allowed), "IAM JSON policy elements: Resource" (case-sensitive, wildcards
 * within ARN segments), "IAM JSON policy elements: Condition operators" (ArnLike checks each of the six
 * colon-delimited components separately) and "IAM policy elements: Variables and tags" (`${key}`,
 * `${key, 'default'}`, and the escapes `${*}`, `${?}`, `${$}` for a literal character).
 */

/** A policy variable's value from the request (undefined when the request has no such key). */
export type VariableResolver = (key: string) => string | undefined;

/** One piece of a compiled policy string: literal text, or a wildcard. */
type Token = { literal: string } | '*' | '?';

const ESCAPES: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

/**
 * Splits a policy string into literal text and wildcards, replacing each policy variable by its value
 * (literal: a `*` in a value is not a wildcard). Undefined when a variable has no value and no default:
 * IAM then treats the policy string as matching nothing.
 */
function tokenize(
  pattern: string,
  wildcards: boolean,
  resolve: VariableResolver | undefined,
): Token[] | undefined {
  const tokens: Token[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal) tokens.push({ literal });
    literal = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (resolve && c === '$' && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i + 2);
      if (end > 0) {
        const value = variableValue(pattern.slice(i + 2, end), resolve);
        if (value === undefined) return undefined;
        literal += value;
        i = end;
        continue;
      }
    }
    if (wildcards && (c === '*' || c === '?')) {
      flush();
      tokens.push(c);
    } else {
      literal += c;
    }
  }
  flush();
  return tokens;
}

/** `aws:username`, `aws:username, 'someone'`, or an escape (`*`, `?`, `$`). */
function variableValue(body: string, resolve: VariableResolver): string | undefined {
  const escaped = ESCAPES[body];
  if (escaped !== undefined) return escaped;
  const withDefault = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/.exec(body);
  if (withDefault) return resolve(withDefault[1]!) ?? withDefault[2];
  return resolve(body.trim());
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toRegExp(tokens: readonly Token[], ignoreCase: boolean): RegExp {
  const source = tokens.map((t) => (t === '*' ? '.*' : t === '?' ? '.' : escapeRegExp(t.literal))).join('');
  // `s`: a wildcard spans any character, newlines included (a string value may hold one).
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
}

// Policies are fixed for a run and evaluated on every AWS call: compile each string once. Strings with a
// variable depend on the request, so they are compiled each time (Herald's templates have none).
const compiled = new Map<string, RegExp>();

export interface MatchOptions {
  /** `*` and `?` are wildcards (StringLike, ArnLike, Action, Resource), not literal characters. */
  wildcards: boolean;
  ignoreCase?: boolean;
  /** Policy variables are substituted (policy `Version` 2012-10-17 and an operator that allows them). */
  resolve?: VariableResolver;
}

/** Whether `value` matches the whole policy string `pattern`. */
export function matchString(pattern: string, value: string, options: MatchOptions): boolean {
  const { wildcards, ignoreCase = false, resolve } = options;
  const hasVariable = resolve !== undefined && pattern.includes('${');
  if (!hasVariable && !wildcards) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  const cacheKey = `${wildcards ? 'w' : '-'}${ignoreCase ? 'i' : '-'}${pattern}`;
  let regExp = hasVariable ? undefined : compiled.get(cacheKey);
  if (!regExp) {
    const tokens = tokenize(pattern, wildcards, hasVariable ? resolve : undefined);
    if (!tokens) return false;
    regExp = toRegExp(tokens, ignoreCase);
    if (!hasVariable) compiled.set(cacheKey, regExp);
  }
  return regExp.test(value);
}

/** Action names (`service:Action`) match case-insensitively, with `*` and `?`. */
export function matchAction(pattern: string, action: string): boolean {
  return matchString(pattern, action, { wildcards: true, ignoreCase: true });
}

/**
 * `arn:partition:service:region:account:resource`: the first five components, then everything after the
 * fifth colon (a resource part such as `log-group:/aws/lambda/f:*` or an S3 key may hold colons itself).
 * Undefined for a string that is not an ARN. In a policy string, the colons inside a policy variable
 * (`${aws:PrincipalAccount}`) do not separate components.
 */
export function arnParts(arn: string, policyVariables = false): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (parts.length < 5 && i < arn.length) {
    if (policyVariables && arn[i] === '$' && arn[i + 1] === '{') {
      const end = arn.indexOf('}', i);
      if (end > 0) {
        i = end + 1;
        continue;
      }
    }
    if (arn[i] === ':') {
      parts.push(arn.slice(start, i));
      start = i + 1;
    }
    i++;
  }
  if (parts.length < 5) return undefined;
  parts.push(arn.slice(start));
  return parts;
}

/**
 * ARN matching as IAM does it for `Resource` and the ARN condition operators: each of the six components
 * is matched on its own, so a wildcard in the region cannot swallow the account; within the resource part
 * a `*` spans `/` and `:`. A pattern or value that is not an ARN (`*`, or a resource without an ARN) is
 * compared as a whole string.
 */
export function matchArn(pattern: string, value: string, resolve?: VariableResolver): boolean {
  if (pattern === '*') return true;
  const patternParts = arnParts(pattern, resolve !== undefined);
  const valueParts = arnParts(value);
  if (!patternParts || !valueParts) return matchString(pattern, value, { wildcards: true, resolve });
  return patternParts.every((p, i) => matchString(p, valueParts[i]!, { wildcards: true, resolve }));
}
