// What matching costs when an event holds arrays: the search for leaves that agree on their array elements is
// bounded (polynomial, and capped by a step budget), and it answers what plain backtracking answers.
import { describe, expect, test } from '@jest/globals';
import {
  compileCountingMatcher,
  compilePattern,
  DEFAULT_MAX_MATCH_STEPS,
  MatchBudgetExceededError,
} from '../src';
import type { Membership } from '../src/event-fields';
import { consistent, indexEventFields, isPlainObject, mergeMemberships } from '../src/event-fields';
import type { FieldConstraint, PatternBranch } from '../src/pattern-compile';
import { compilePatternBranches } from '../src/pattern-compile';

/**
 * `arrays` arrays under `data`: all but the last have 20 elements holding `v: 1`; the last has 40, half holding
 * `p: 1` and half `q: 1`, so a pattern wanting both from one element can never match, whatever is chosen in the
 * other arrays. Plain backtracking tried every combination: 20^(arrays + 1) leaves, 67 million for 5 arrays.
 */
function manyArrays(arrays: number): { pattern: Record<string, unknown>; event: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  const fields: Record<string, unknown> = {};
  for (let a = 0; a < arrays - 1; a++) {
    data[`a${a}`] = Array.from({ length: 20 }, () => ({ v: 1 }));
    fields[`a${a}`] = { v: [1] };
  }
  data.last = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? { p: 1 } : { q: 1 }));
  fields.last = { p: [1], q: [1] };
  return { pattern: { data: fields }, event: { data } };
}

describe('the cost of arrays', () => {
  test.each([5, 6, 12])(
    '%i arrays of 20, two fields never in one element: no match, in few steps',
    (arrays) => {
      const { pattern, event } = manyArrays(arrays);
      const outcome = compileCountingMatcher(pattern)(event);
      expect(outcome.matches).toBe(false);
      // Each candidate tried once: 20 in each array, `p` among them (no `q` is in an element `p` is in).
      expect(outcome.steps).toBeLessThanOrEqual(20 * arrays);
    },
  );

  test('the same event matches once the last array has an element with both', () => {
    const { pattern, event } = manyArrays(6);
    const data = event.data as Record<string, unknown[]>;
    data.last!.push({ p: 1, q: 1 });
    const outcome = compileCountingMatcher(pattern)(event);
    expect(outcome).toEqual({ matches: true, steps: expect.any(Number) });
    expect(outcome.steps).toBeLessThanOrEqual(600);
  });

  test('fields interleaved across arrays by $or and absence stay polynomial', () => {
    const { event } = manyArrays(6);
    const pattern = {
      data: {
        a0: { v: [1], w: [{ exists: false }] },
        a1: { v: [1] },
        a2: { v: [1], x: [{ exists: false }] },
        last: { p: [1], q: [1] },
        $or: [{ a3: { v: [1] } }, { a4: { v: [1] } }],
      },
    };
    const outcome = compileCountingMatcher(pattern)(event);
    expect(outcome.matches).toBe(false);
    expect(outcome.steps).toBeLessThanOrEqual(2000);
  });

  test('past the budget the matcher throws instead of answering', () => {
    const { pattern, event } = manyArrays(6);
    expect(() => compilePattern(pattern, { maxSteps: 50 })(event)).toThrow(MatchBudgetExceededError);
    expect(() => compilePattern(pattern, { maxSteps: 50 })(event)).toThrow(
      'Matching the event pattern took more than 50 steps',
    );
    expect(compilePattern(pattern, { maxSteps: 1000 })(event)).toBe(false);
    expect(DEFAULT_MAX_MATCH_STEPS).toBeGreaterThanOrEqual(10_000);
  });

  test('a large array costs what its leaves cost when a field matches nothing', () => {
    const event = { items: Array.from({ length: 5000 }, (_, i) => ({ id: i, kind: 'a' })) };
    const outcome = compileCountingMatcher({ items: { id: [1], kind: ['b'] } })(event);
    expect(outcome).toEqual({ matches: false, steps: 0 });
  });

  test('two fields never in one element of a large array: each candidate tried once, not against every other', () => {
    const items = Array.from({ length: 5000 }, (_, i): object => (i % 2 === 0 ? { id: 1 } : { kind: 'b' }));
    const pattern = { items: { id: [1], kind: ['b'] } };
    const outcome = compileCountingMatcher(pattern)({ items });
    expect(outcome).toEqual({ matches: false, steps: 2500 });
    items.push({ id: 1, kind: 'b' });
    expect(compileCountingMatcher(pattern)({ items })).toEqual({ matches: true, steps: 2502 });
  });
});

// The matcher as it was before the bound: plain backtracking, fewest candidates first. The reference the
// property test compares with; too slow for anything but small events.
function referenceMatches(pattern: unknown, event: unknown): boolean {
  if (!isPlainObject(event)) return false;
  const fields = indexEventFields(event);
  return compilePatternBranches(pattern).some((branch: PatternBranch) => {
    const candidates = branch
      .map((constraint) => ({
        constraint,
        fields: (fields.get(constraint.key) ?? []).filter((field) =>
          constraint.tests.some((test) => test(field.value)),
        ),
      }))
      .sort((a, b) => a.fields.length - b.fields.length);
    const isAbsent = (constraint: FieldConstraint, membership: Membership): boolean =>
      !(fields.get(constraint.key) ?? []).some((field) => consistent(membership, field.membership));
    const search = (index: number, membership: Membership, absent: readonly FieldConstraint[]): boolean => {
      const current = candidates[index];
      if (!current) return absent.every((constraint) => isAbsent(constraint, membership));
      for (const field of current.fields) {
        const merged = mergeMemberships(membership, field.membership);
        if (merged && search(index + 1, merged, absent)) return true;
      }
      return (
        current.constraint.allowsAbsent && search(index + 1, membership, [...absent, current.constraint])
      );
    };
    return search(0, new Map(), []);
  });
}

/** A small deterministic generator (mulberry32), so that a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['a', 'b', 'c'];
const SEEDS = 5000;

function randomEvent(next: () => number, depth: number): unknown {
  const roll = next();
  if (depth >= 4 || roll < 0.25) return Math.floor(next() * 2);
  if (roll < 0.6)
    return Array.from({ length: 1 + Math.floor(next() * 4) }, () => randomEvent(next, depth + 1));
  const object: Record<string, unknown> = {};
  for (const name of NAMES) if (next() < 0.7) object[name] = randomEvent(next, depth + 1);
  return object;
}

function randomPattern(next: () => number, depth: number): Record<string, unknown> {
  const pattern: Record<string, unknown> = {};
  for (const name of NAMES) {
    const roll = next();
    if (roll < 0.25) continue;
    if (depth < 2 && roll < 0.65) pattern[name] = randomPattern(next, depth + 1);
    else
      pattern[name] = Array.from({ length: 1 + Math.floor(next() * 2) }, () =>
        next() < 0.2 ? { exists: next() < 0.6 ? false : true } : Math.floor(next() * 2),
      );
  }
  if (depth === 0 && next() < 0.2) pattern.$or = [randomPattern(next, 1), randomPattern(next, 1)];
  return Object.keys(pattern).length > 0 ? pattern : { a: [0] };
}

test('answers what plain backtracking answers, on random small patterns and events', () => {
  let matched = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const next = random(seed);
    const event = { a: randomEvent(next, 0), b: randomEvent(next, 0), c: randomEvent(next, 0) };
    const pattern = randomPattern(next, 0);
    const emptyObject = (value: unknown): boolean =>
      isPlainObject(value) && (Object.keys(value).length === 0 || Object.values(value).some(emptyObject));
    if (emptyObject(pattern)) continue;
    const expected = referenceMatches(pattern, event);
    if (expected) matched++;
    const actual = compilePattern(pattern)(event);
    if (actual !== expected) throw new Error(`seed ${seed}: ${JSON.stringify({ pattern, event, expected })}`);
  }
  // The generator makes both answers common, or the comparison would prove little.
  expect(matched).toBeGreaterThan(300);
  expect(matched).toBeLessThan(SEEDS - 300);
});
