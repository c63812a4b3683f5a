/**
 * Content filters: a subscription's optional `filter`, an EventBridge event pattern
 * (@herald/event-pattern, the engine the local cloud's EventBridge runs) over a few fields of the
 * envelope. An event reaches a subscription when its type matches one of the subscription's event
 * types and its content matches the filter.
 *
 * The pattern is checked when the subscription is written: the engine's own validation, and bounds
 * of ours, since every event of the tenant is matched against every filter of the tenant in one
 * dispatch function that all tenants share. The bounds keep the worst filter cheap:
 * - at most MAX_FILTER_BYTES of JSON and MAX_FILTER_LEAVES values (every string, number, boolean or
 *   null in it, operands of an operator included: `{"numeric": [">", 0, "<", 10]}` is four);
 * - objects nested at most MAX_FILTER_DEPTH deep;
 * - at most MAX_FILTER_BRANCHES ways through its `$or`s: the engine expands nested `$or`s into
 *   every combination (a product), and matches each, so 2 alternatives in each of 10 nested `$or`s
 *   would be 1,024 patterns;
 * - wildcards need no bound of their own: the engine matches them without regular expressions,
 *   leftmost segment by segment, so a match costs at most the value's length per segment (see
 *   test/fan-out/content-filter.test.ts, a pathological case timed);
 * - arrays cannot be bounded when written (the event decides how many elements a field meets): the
 *   engine's search for fields from one array element is polynomial, and each match is held to
 *   MAX_MATCH_STEPS. A filter that needs more for an event lets the event through (see `passes`).
 *
 * It is stored as its JSON text (`filterJson`), not as a DynamoDB map: a map cannot hold every JSON
 * number or `__proto__`, and the text is the key of the compiled-matcher cache below, exact for every
 * version of every subscription.
 */
import {
  compilePattern,
  InvalidEventPatternError,
  MatchBudgetExceededError,
  type EventMatcher,
} from '@herald/event-pattern';
import type { Envelope } from '@herald/shared/contracts';
import { aboutItself, matchesAny } from './event-filters';

export const MAX_FILTER_BYTES = 4096;
export const MAX_FILTER_LEAVES = 100;
export const MAX_FILTER_DEPTH = 8;
export const MAX_FILTER_BRANCHES = 16;
/** The engine's steps one filter may take on one event: 10,000 took 10 to 15 ms of CPU here. */
export const MAX_MATCH_STEPS = 10_000;
/** Compiled filters kept per container: more than a tenant has subscriptions at its limit. */
export const MATCHER_CACHE_SIZE = 2000;

/** A problem with a filter: where (a JSON pointer inside the filter, '' for the whole) and why. */
export interface ContentFilterProblem {
  pointer: string;
  message: string;
}

/** What a filter sees of an event: never the tenant, the signature or the correlation id. */
export interface FilteredEvent {
  type: string;
  source: string;
  subject?: string;
  data: unknown;
}

export function filteredEvent(envelope: Envelope): FilteredEvent {
  const { type, source, subject, data } = envelope;
  return subject === undefined ? { type, source, data } : { type, source, subject, data };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const escapePointer = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/** The engine's location (`data.total[0]`, `$or[1].type`) as a JSON pointer (`/data/total/0`). */
function pointerOf(location: string): string {
  if (!location) return '';
  return location
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .map((segment) => `/${escapePointer(segment)}`)
    .join('');
}

interface Shape {
  leaves: number;
  depth: number;
  /** The engine's expansion: the product over an object's fields, the sum over an `$or`'s alternatives. */
  branches: number;
}

function shapeOf(value: unknown, depth: number): Shape {
  if (Array.isArray(value)) {
    return value.reduce<Shape>(
      (shape, item) => {
        const inner = shapeOf(item, depth);
        return {
          leaves: shape.leaves + inner.leaves,
          depth: Math.max(shape.depth, inner.depth),
          branches: 1,
        };
      },
      { leaves: 0, depth, branches: 1 },
    );
  }
  if (!isObject(value)) return { leaves: 1, depth, branches: 1 };
  let shape: Shape = { leaves: 0, depth: depth + 1, branches: 1 };
  for (const [key, field] of Object.entries(value)) {
    let inner: Shape;
    if (key === '$or' && Array.isArray(field)) {
      const alternatives = field.map((alternative) => shapeOf(alternative, depth + 1));
      inner = {
        leaves: alternatives.reduce((sum, a) => sum + a.leaves, 0),
        depth: Math.max(depth + 1, ...alternatives.map((a) => a.depth)),
        branches: alternatives.reduce((sum, a) => sum + a.branches, 0),
      };
    } else {
      inner = shapeOf(field, depth + 1);
    }
    shape = {
      leaves: shape.leaves + inner.leaves,
      depth: Math.max(shape.depth, inner.depth),
      // Capped so a hostile filter cannot make the count itself overflow to Infinity.
      branches: Math.min(shape.branches * inner.branches, Number.MAX_SAFE_INTEGER),
    };
  }
  return shape;
}

/**
 * Why a filter is refused, or none: the bounds first (so the engine never expands a filter too
 * big), then the engine's validation, with its reason and location.
 */
export function contentFilterProblems(filter: unknown): ContentFilterProblem[] {
  if (!isObject(filter))
    return [{ pointer: '', message: 'must be an object (an EventBridge event pattern)' }];
  const bytes = Buffer.byteLength(JSON.stringify(filter));
  if (bytes > MAX_FILTER_BYTES) {
    return [{ pointer: '', message: `must be at most ${MAX_FILTER_BYTES} bytes of JSON (it is ${bytes})` }];
  }
  const shape = shapeOf(filter, 0);
  const problems: ContentFilterProblem[] = [];
  if (shape.leaves > MAX_FILTER_LEAVES)
    problems.push({
      pointer: '',
      message: `must hold at most ${MAX_FILTER_LEAVES} values (it holds ${shape.leaves})`,
    });
  if (shape.depth > MAX_FILTER_DEPTH)
    problems.push({ pointer: '', message: `must nest objects at most ${MAX_FILTER_DEPTH} deep` });
  if (shape.branches > MAX_FILTER_BRANCHES)
    problems.push({
      pointer: '',
      message: `its $or combinations must be at most ${MAX_FILTER_BRANCHES} (it makes ${shape.branches})`,
    });
  if (problems.length > 0) return problems;
  try {
    compilePattern(filter);
    return [];
  } catch (error) {
    if (!(error instanceof InvalidEventPatternError)) throw error;
    return [{ pointer: pointerOf(error.location), message: error.reason }];
  }
}

/** The stored form of a filter that passed contentFilterProblems. */
export const filterText = (filter: Record<string, unknown>): string => JSON.stringify(filter);

/**
 * Compiled filters by their text, least recently used dropped first: a filter is compiled once per
 * container for as long as it is in use, and a changed filter is a new text (so a new entry).
 */
const matchers = new Map<string, EventMatcher>();

export function matcherOf(text: string): EventMatcher {
  let matcher = matchers.get(text);
  if (matcher) {
    // Map keeps insertion order: moving a hit to the end makes the first key the least recently used.
    matchers.delete(text);
  } else {
    matcher = compilePattern(JSON.parse(text), { maxSteps: MAX_MATCH_STEPS });
    if (matchers.size >= MATCHER_CACHE_SIZE) matchers.delete(matchers.keys().next().value!);
  }
  matchers.set(text, matcher);
  return matcher;
}

/** For tests: how many compiled filters the container holds, and a way to start empty. */
export const matcherCache = {
  get size() {
    return matchers.size;
  },
  clear: () => matchers.clear(),
};

/**
 * True when the filter lets the event through. A filter the engine cannot judge within
 * MAX_MATCH_STEPS lets it through: dropping it would lose an event the subscriber may want without
 * anyone knowing, while delivering it costs the subscriber one event its filter might have kept out
 * (its own tenant's, to its own endpoint), and dispatch goes on for everyone else either way.
 */
function passes(filterJson: string, event: FilteredEvent): boolean {
  try {
    return matcherOf(filterJson)(event);
  } catch (error) {
    if (error instanceof MatchBudgetExceededError) return true;
    throw error;
  }
}

/** What matching needs of a subscription. */
export interface FilteringSubscription {
  /** Its id: an operational event about the subscription itself never reaches it. */
  id?: string;
  eventTypes: readonly string[];
  /** The content filter's JSON text, when it has one. */
  filterJson?: string;
}

/** True when the event reaches the subscription: one of its event types, and its filter if any. */
export function matchesSubscription(subscription: FilteringSubscription, envelope: Envelope): boolean {
  if (!matchesAny(subscription.eventTypes, envelope.type)) return false;
  if (aboutItself(subscription.id, envelope.type, envelope.subject)) return false;
  return subscription.filterJson === undefined || passes(subscription.filterJson, filteredEvent(envelope));
}

/**
 * The same, for many subscriptions and one event: the filtered view of the event is built once.
 * (The engine indexes the event's fields on every call; that is its cost per subscription.)
 */
export function subscriptionsMatching<S extends FilteringSubscription>(
  subscriptions: readonly S[],
  envelope: Envelope,
): S[] {
  let view: FilteredEvent | undefined;
  return subscriptions.filter((subscription) => {
    if (!matchesAny(subscription.eventTypes, envelope.type)) return false;
    if (aboutItself(subscription.id, envelope.type, envelope.subject)) return false;
    if (subscription.filterJson === undefined) return true;
    view ??= filteredEvent(envelope);
    return passes(subscription.filterJson, view);
  });
}
