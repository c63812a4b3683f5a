// EventBridge event patterns: validation (what PutRule / TestEventPattern reject) and matching.
//
// Semantics, from the EventBridge docs and event-ruler (the library EventBridge runs):
// - fields in a pattern are ANDed, the values in a field's array are ORed, `$or` ORs whole sub-patterns;
// - a pattern field matches leaf values only (string, number, boolean, null), never an object;
// - when the event holds an array, any element may match, but all fields of one match must come from the same
//   element of any array they share (array consistency);
// - `{"exists": false}` matches when the field has no leaf value (missing, an object, or an empty array), and
//   `[null]` matches a null value but not a missing field.
import type { EventField, EventFields, Membership } from './event-fields';
import { consistent, indexEventFields, isPlainObject, mergeMemberships } from './event-fields';
import type { FieldConstraint, PatternBranch } from './pattern-compile';
import { compilePatternBranches } from './pattern-compile';

/** True when the event matches the pattern it was compiled from. */
export type EventMatcher = (event: unknown) => boolean;

/** Throws InvalidEventPatternError naming what is wrong and where. */
export function validatePattern(pattern: unknown): void {
  compilePatternBranches(pattern);
}

/** Validates once and returns a reusable matcher; use this when one rule sees many events. */
export function compilePattern(pattern: unknown): EventMatcher {
  const branches = compilePatternBranches(pattern);
  return (event) => {
    // Events are JSON objects; anything else is not an event, even for a pattern of only `exists: false`.
    if (!isPlainObject(event)) return false;
    const fields = indexEventFields(event);
    return branches.some((branch) => branchMatches(branch, fields));
  };
}

/** Throws InvalidEventPatternError when the pattern itself is invalid. */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return compilePattern(pattern)(event);
}

interface Candidates {
  readonly constraint: FieldConstraint;
  /** Leaves at the constraint's path that pass one of its tests. */
  readonly fields: readonly EventField[];
}

/**
 * Search for one leaf per constraint such that all chosen leaves are array-consistent. A constraint that allows
 * absence may instead pick nothing; absence is checked last, against the final choice of array elements, so
 * `{"a": {"x": [{"exists": false}], "y": [2]}}` matches `{"a": [{"x": 1, "y": 1}, {"y": 2}]}` through the second
 * element.
 */
function branchMatches(branch: PatternBranch, fields: EventFields): boolean {
  const candidates: Candidates[] = branch
    .map((constraint) => ({
      constraint,
      fields: (fields.get(constraint.key) ?? []).filter((field) =>
        constraint.tests.some((test) => test(field.value)),
      ),
    }))
    // Fewest candidates first: the search fails fast on the usual "this field does not match" case.
    .sort((a, b) => a.fields.length - b.fields.length);
  const canBeAbsent = candidates.some((c) => c.constraint.allowsAbsent);

  const isAbsent = (constraint: FieldConstraint, membership: Membership): boolean =>
    !(fields.get(constraint.key) ?? []).some((field) => consistent(membership, field.membership));

  const search = (index: number, membership: Membership, absent: readonly FieldConstraint[]): boolean => {
    const current = candidates[index];
    if (!current) return absent.every((constraint) => isAbsent(constraint, membership));
    for (const field of current.fields) {
      const merged = mergeMemberships(membership, field.membership);
      if (merged && search(index + 1, merged, absent)) return true;
      // A leaf outside every array constrains nothing, so no other leaf can do better, unless a later absence
      // check needs a narrower choice of elements.
      if (merged && field.membership.size === 0 && !canBeAbsent) return false;
    }
    return current.constraint.allowsAbsent && search(index + 1, membership, [...absent, current.constraint]);
  };

  return search(0, new Map(), []);
}
