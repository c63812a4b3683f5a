// Turns an event pattern into "branches": plain AND-lists of field constraints, one branch per way through the
// `$or`s (the same expansion event-ruler performs). Everything the pattern language rejects is rejected here,
// with AWS's InvalidEventPatternException wording.
import { isPlainObject, pathKey } from './event-fields';
import type { LeafTest } from './match-operators';
import { compileMatch, MatchSyntaxError, OPERATOR_NAMES } from './match-operators';

/** One `"field": [ ... ]` of the pattern: any of `tests` on a leaf at `path`, or (if allowed) no leaf at all. */
export interface FieldConstraint {
  readonly path: readonly string[];
  readonly key: string;
  readonly tests: readonly LeafTest[];
  readonly allowsAbsent: boolean;
}

export type PatternBranch = readonly FieldConstraint[];

export class InvalidEventPatternError extends Error {
  override name = 'InvalidEventPatternException';

  constructor(
    readonly reason: string,
    /** Where in the pattern, e.g. `detail.state[1]`; empty for the pattern as a whole. */
    readonly location: string,
  ) {
    super(`Event pattern is not valid. Reason: ${reason}${location ? ` at ${location}` : ''}`);
  }
}

const OR = '$or';

export function compilePatternBranches(pattern: unknown): PatternBranch[] {
  if (!isPlainObject(pattern)) throw new InvalidEventPatternError('Filter is not an object', '');
  return compileObject(pattern, [], [[]], '', false);
}

function compileObject(
  object: Record<string, unknown>,
  path: readonly string[],
  branches: PatternBranch[],
  where: string,
  insideOr: boolean,
): PatternBranch[] {
  const entries = Object.entries(object);
  if (entries.length === 0) throw new InvalidEventPatternError('Empty objects are not allowed', where);
  let result = branches;
  for (const [key, value] of entries) {
    const at = where ? `${where}.${key}` : key;
    if (key === OR) {
      result = compileOr(value, path, result, at);
      continue;
    }
    if (insideOr && OPERATOR_NAMES.has(key)) {
      throw new InvalidEventPatternError(
        `${key} is a reserved name which cannot be used as a field inside $or`,
        at,
      );
    }
    if (Array.isArray(value)) {
      const constraint = compileField(value, [...path, key], at);
      result = result.map((branch) => [...branch, constraint]);
    } else if (isPlainObject(value)) {
      result = compileObject(value, [...path, key], result, at, insideOr);
    } else {
      throw new InvalidEventPatternError(`"${key}" must be an object or an array`, at);
    }
  }
  return result;
}

/** `"$or": [{...}, {...}]`: every alternative extends every branch built so far. */
function compileOr(
  value: unknown,
  path: readonly string[],
  branches: PatternBranch[],
  where: string,
): PatternBranch[] {
  if (!Array.isArray(value))
    throw new InvalidEventPatternError('It must be an Array followed with $or.', where);
  const alternatives = value.map((alternative, index) => {
    if (!isPlainObject(alternative)) {
      throw new InvalidEventPatternError(
        'Only JSON object is allowed in array of $or relationship.',
        `${where}[${index}]`,
      );
    }
    return alternative;
  });
  if (alternatives.length < 2) {
    throw new InvalidEventPatternError('There must have at least 2 Objects in $or relationship.', where);
  }
  return alternatives.flatMap((alternative, index) =>
    compileObject(alternative, path, branches, `${where}[${index}]`, true),
  );
}

function compileField(values: readonly unknown[], path: readonly string[], where: string): FieldConstraint {
  if (values.length === 0) throw new InvalidEventPatternError('Empty arrays are not allowed', where);
  const tests: LeafTest[] = [];
  let allowsAbsent = false;
  values.forEach((raw, index) => {
    try {
      const compiled = compileMatch(raw);
      if (compiled.kind === 'absent') allowsAbsent = true;
      else tests.push(compiled.test);
    } catch (error) {
      if (error instanceof MatchSyntaxError)
        throw new InvalidEventPatternError(error.message, `${where}[${index}]`);
      throw error;
    }
  });
  return { path, key: pathKey(path), tests, allowsAbsent };
}
