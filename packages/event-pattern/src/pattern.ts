// EventBridge event patterns: validation (what PutRule / TestEventPattern reject) and matching.
//
// Semantics, from the EventBridge docs and event-ruler (the library EventBridge runs):
// - fields in a pattern are ANDed, the values in a field's array are ORed, `$or` ORs whole sub-patterns;
// - a pattern field matches leaf values only (string, number, boolean, null), never an object;
// - when the event holds an array, any element may match, but all fields of one match must come from the same
//   element of any array they share (array consistency);
// - `{"exists": false}` matches when the field has no leaf value (missing, an object, or an empty array), and
//   `[null]` matches a null value but not a missing field.
//
// Cost: finding leaves that agree on their array elements is a search, exponential in the number of arrays a
// pattern reaches if done by plain backtracking (one tenant's filter could stall a shared dispatch function). Two
// things bound it: the search remembers the states it has failed from, keyed on only what later fields can see
// (which makes it polynomial), and every match has a budget of steps, past which it throws MatchBudgetExceededError
// rather than answer: a caller decides what an unevaluated pattern means, it is never silently "no match".
import type { EventField, EventFields, Membership } from './event-fields';
import { consistent, indexEventFields, isPlainObject, mergeMemberships } from './event-fields';
import type { FieldConstraint, PatternBranch } from './pattern-compile';
import { compilePatternBranches } from './pattern-compile';

/** Steps one match may take (all of a pattern's `$or` branches together) unless the caller says otherwise. */
export const DEFAULT_MAX_MATCH_STEPS = 100_000;

export interface MatchOptions {
  /**
   * The budget of one match, in steps: a step is one event leaf listed as a field's candidate (consistent
   * with the array elements chosen so far), or checked for an `{"exists": false}`. Past it the matcher throws
   * MatchBudgetExceededError.
   */
  readonly maxSteps?: number;
}

/** True when the event matches the pattern it was compiled from. */
export type EventMatcher = (event: unknown) => boolean;

/** A match's answer and the steps it took (for tests and for callers that watch the cost). */
export interface MatchOutcome {
  readonly matches: boolean;
  readonly steps: number;
}

/**
 * The pattern could not be evaluated against the event within the step budget. Thrown rather than answering
 * false, so that a caller never drops an event it could not judge without knowing it.
 */
export class MatchBudgetExceededError extends Error {
  override name = 'MatchBudgetExceededError';

  constructor(readonly maxSteps: number) {
    super(`Matching the event pattern took more than ${maxSteps} steps`);
  }
}

/** Throws InvalidEventPatternError naming what is wrong and where. */
export function validatePattern(pattern: unknown): void {
  compilePatternBranches(pattern);
}

/** Validates once and returns a reusable matcher; use this when one rule sees many events. */
export function compilePattern(pattern: unknown, options: MatchOptions = {}): EventMatcher {
  const match = compileCountingMatcher(pattern, options);
  return (event) => match(event).matches;
}

/** Throws InvalidEventPatternError when the pattern itself is invalid. */
export function matchesPattern(pattern: unknown, event: unknown, options: MatchOptions = {}): boolean {
  return compilePattern(pattern, options)(event);
}

/** As compilePattern, but the matcher also says how many steps each match took. */
export function compileCountingMatcher(
  pattern: unknown,
  options: MatchOptions = {},
): (event: unknown) => MatchOutcome {
  const branches = compilePatternBranches(pattern);
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_MATCH_STEPS;
  return (event) => {
    // Events are JSON objects; anything else is not an event, even for a pattern of only `exists: false`.
    if (!isPlainObject(event)) return { matches: false, steps: 0 };
    const fields = indexEventFields(event);
    const budget = { steps: 0, maxSteps };
    const matches = branches.some((branch) => branchMatches(branch, fields, budget));
    return { matches, steps: budget.steps };
  };
}

interface Budget {
  steps: number;
  readonly maxSteps: number;
}

function spend(budget: Budget, steps: number): void {
  budget.steps += steps;
  if (budget.steps > budget.maxSteps) throw new MatchBudgetExceededError(budget.maxSteps);
}

interface Candidates {
  readonly constraint: FieldConstraint;
  /** Leaves at the constraint's path that pass one of its tests. */
  readonly fields: readonly EventField[];
  /** Every leaf at the constraint's path (what an absence is checked against). */
  readonly all: readonly EventField[];
}

/**
 * A field's candidates arranged by the elements they sit in, outermost array first, counting only the arrays
 * that earlier fields reach (no other array can be in a choice made so far). What a choice of elements lets
 * through is then found by walking down it, without trying the candidates it rules out one by one.
 */
interface ElementTree {
  /** Candidates in no further array that earlier fields reach. */
  readonly here: EventField[];
  /** Every candidate at or below this node. */
  readonly all: EventField[];
  /** Array id -> element index -> the candidates in that element. */
  readonly next: Map<number, Map<number, ElementTree>>;
}

function elementTree(fields: readonly EventField[], reached: ReadonlySet<number>): ElementTree {
  const root: ElementTree = { here: [], all: [], next: new Map() };
  for (const field of fields) {
    // A membership lists its arrays innermost first.
    const chain = [...field.membership].filter(([arrayId]) => reached.has(arrayId)).reverse();
    let node = root;
    node.all.push(field);
    for (const [arrayId, index] of chain) {
      const elements = node.next.get(arrayId) ?? new Map<number, ElementTree>();
      node.next.set(arrayId, elements);
      let child = elements.get(index);
      if (!child) elements.set(index, (child = { here: [], all: [], next: new Map() }));
      child.all.push(field);
      node = child;
    }
    node.here.push(field);
  }
  return root;
}

/**
 * The candidates consistent with a choice of elements. The arrays of a choice that lie on one candidate's chain
 * are an outermost run of it (a choice holds an array only with the arrays around it), and agreeing on the
 * innermost of them is agreeing on all: so below an array the choice does not hold, every candidate fits.
 */
function consistentCandidates(tree: ElementTree, membership: Membership, into: EventField[]): EventField[] {
  // Loops, not push(...list): a list may hold more leaves than a call can take arguments.
  for (const field of tree.here) into.push(field);
  for (const [arrayId, elements] of tree.next) {
    const chosen = membership.get(arrayId);
    if (chosen === undefined) {
      for (const child of elements.values()) for (const field of child.all) into.push(field);
    } else {
      const child = elements.get(chosen);
      if (child) consistentCandidates(child, membership, into);
    }
  }
  return into;
}

/** Compares field paths member by member, so that fields sharing a prefix (and so its arrays) are neighbours. */
function comparePaths(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

function arraysOf(fields: readonly EventField[], into: Set<number>): Set<number> {
  for (const field of fields) for (const arrayId of field.membership.keys()) into.add(arrayId);
  return into;
}

/**
 * Search for one leaf per constraint such that all chosen leaves are array-consistent. A constraint that allows
 * absence may instead pick nothing; absence is checked against the final choice of array elements, so
 * `{"a": {"x": [{"exists": false}], "y": [2]}}` matches `{"a": [{"x": 1, "y": 1}, {"y": 2}]}` through the second
 * element.
 *
 * What keeps it polynomial:
 * - fields are taken in path order (event-ruler sorts them too): only fields under a common prefix can share an
 *   array, so the arrays "open" between the fields already chosen and those still to choose lie along one path;
 * - a failed state is remembered, keyed on the field reached, the absences still to check and the chosen element
 *   of only those arrays that later fields (or the absences) can see: a choice in an array no later field reaches
 *   cannot change the outcome, so the search never retries it;
 * - a field's candidates are looked up by the elements already chosen (an ElementTree), so a candidate another
 *   field's choice rules out costs nothing;
 * - an absence is checked as soon as no later field can fix another element of an array its leaves sit in (the
 *   choice it depends on is then final), and leaves the state.
 */
function branchMatches(branch: PatternBranch, fields: EventFields, budget: Budget): boolean {
  const candidates: Candidates[] = branch
    .map((constraint) => {
      const all = fields.get(constraint.key) ?? [];
      return {
        constraint,
        all,
        fields: all.filter((field) => constraint.tests.some((test) => test(field.value))),
      };
    })
    .sort((a, b) => comparePaths(a.constraint.path, b.constraint.path));
  // The usual "this field does not match" case, answered before any search.
  if (candidates.some((c) => c.fields.length === 0 && !c.constraint.allowsAbsent)) return false;
  const count = candidates.length;
  const canBeAbsent = candidates.some((c) => c.constraint.allowsAbsent);

  // later[i]: arrays the candidates of fields i.. sit in (what a choice of element must agree with from i on).
  const later: Set<number>[] = new Array<Set<number>>(count + 1);
  later[count] = new Set();
  for (let i = count - 1; i >= 0; i--) later[i] = arraysOf(candidates[i]!.fields, new Set(later[i + 1]));
  // earlier[i]: arrays the candidates of fields ..i-1 sit in, the only ones a choice made before i can hold.
  const trees: ElementTree[] = [];
  const earlier = new Set<number>();
  for (const c of candidates) {
    trees.push(elementTree(c.fields, earlier));
    arraysOf(c.fields, earlier);
  }
  // For a constraint that allows absence: the arrays its leaves sit in, and the first field index from which
  // no later field reaches them (its absence can be checked there).
  const absentArrays = candidates.map((c) =>
    c.constraint.allowsAbsent ? arraysOf(c.all, new Set()) : undefined,
  );
  const settledAt = candidates.map((c, index) => {
    const arrays = absentArrays[index];
    if (!arrays) return count;
    let at = index + 1;
    while (at < count && [...arrays].some((arrayId) => later[at]!.has(arrayId))) at++;
    return at;
  });
  // visible[i]: the arrays whose chosen element can matter from field i on.
  const visible = later.map((arrays, at) => {
    const seen = new Set(arrays);
    candidates.forEach((_c, index) => {
      const arrays = absentArrays[index];
      if (arrays && settledAt[index]! > at) for (const arrayId of arrays) seen.add(arrayId);
    });
    return seen;
  });

  const isAbsent = (index: number, membership: Membership): boolean => {
    const all = candidates[index]!.all;
    spend(budget, all.length);
    return !all.some((field) => consistent(membership, field.membership));
  };

  const failed = new Set<string>();
  const stateKey = (index: number, membership: Membership, absent: readonly number[]): string => {
    const seen = visible[index]!;
    const chosen: number[] = [];
    for (const [arrayId, element] of membership) if (seen.has(arrayId)) chosen.push(arrayId, element);
    // Pairs sorted by array id, so that one state has one key whatever order its elements were chosen in.
    const pairs: string[] = [];
    for (let i = 0; i < chosen.length; i += 2) pairs.push(`${chosen[i]}:${chosen[i + 1]}`);
    pairs.sort();
    return `${index}|${absent.join(',')}|${pairs.join(',')}`;
  };

  const search = (index: number, membership: Membership, pending: readonly number[]): boolean => {
    // Absences whose arrays no later field can fix are judged now, and leave the state.
    let absent = pending;
    if (pending.some((at) => settledAt[at]! <= index)) {
      if (pending.some((at) => settledAt[at]! <= index && !isAbsent(at, membership))) return false;
      absent = pending.filter((at) => settledAt[at]! > index);
    }
    const current = candidates[index];
    if (!current) return true;
    const key = stateKey(index, membership, absent);
    if (failed.has(key)) return false;
    // Every candidate listed is paid for, tried or not: listing is work too.
    const fitting = consistentCandidates(trees[index]!, membership, []);
    spend(budget, fitting.length);
    for (const field of fitting) {
      const merged = mergeMemberships(membership, field.membership);
      if (merged && search(index + 1, merged, absent)) return true;
      // A leaf outside every array constrains nothing, so no other leaf can do better, unless a later absence
      // check needs a narrower choice of elements.
      if (merged && field.membership.size === 0 && !canBeAbsent) break;
    }
    const found = current.constraint.allowsAbsent && search(index + 1, membership, [...absent, index]);
    if (!found) failed.add(key);
    return found;
  };

  return search(0, new Map(), []);
}
