/**
 * Event-type filters of a subscription: an exact type (`order.created`), a prefix wildcard
 * (`order.*`, every type under `order.` at any depth) or `*` (every type). Anything else is refused
 * when the subscription is written, so matching never meets a filter it cannot interpret.
 *
 * Herald's operational events (`herald.subscription.disabled`...) are opt-in: a subscription gets
 * one only by naming its type exactly. `*` and prefix wildcards never match them, so subscriptions
 * made before they existed receive none, and under `herald.` only the known types may be named.
 */
import {
  EnvelopePattern,
  isOperationalEventType,
  isReservedType,
  OPERATIONAL_EVENT_TYPES,
} from '@herald/shared/contracts';

export const MAX_FILTERS = 50;
const MAX_FILTER_LENGTH = 128;
// The prefix of a wildcard is one or more type segments, as event types are built.
const PREFIX = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;

export type FilterProblem = { index: number; message: string };

/** Why a filter is not usable, or undefined when it is. */
export function filterProblem(filter: string): string | undefined {
  if (filter === '*') return undefined;
  if (isReservedType(filter) && !isOperationalEventType(filter)) {
    return `herald. is reserved for Herald's operational events: name one of ${OPERATIONAL_EVENT_TYPES.join(', ')} (wildcards never match them)`;
  }
  if (filter.length === 0 || filter.length > MAX_FILTER_LENGTH) {
    return `must be 1 to ${MAX_FILTER_LENGTH} characters`;
  }
  if (filter.endsWith('.*')) {
    return PREFIX.test(filter.slice(0, -2))
      ? undefined
      : 'a wildcard is a type prefix followed by .* (for example order.*)';
  }
  if (filter.includes('*')) return 'a wildcard may only end a filter, as in order.* (or be * alone)';
  return EnvelopePattern.type.test(filter)
    ? undefined
    : 'must be an event type such as order.created: lower-case segments separated by dots';
}

/** Every unusable filter, by position; duplicates count as unusable so a list says each thing once. */
export function filterProblems(filters: readonly string[]): FilterProblem[] {
  const problems: FilterProblem[] = [];
  const seen = new Set<string>();
  filters.forEach((filter, index) => {
    const problem = filterProblem(filter);
    if (problem) problems.push({ index, message: problem });
    else if (seen.has(filter)) problems.push({ index, message: 'appears more than once' });
    seen.add(filter);
  });
  return problems;
}

export function matchesFilter(filter: string, type: string): boolean {
  // Opt-in: an operational event matches only its own name.
  if (isReservedType(type)) return filter === type;
  if (filter === '*') return true;
  if (filter.endsWith('.*')) return type.startsWith(filter.slice(0, -1));
  return filter === type;
}

export function matchesAny(filters: readonly string[], type: string): boolean {
  return filters.some((filter) => matchesFilter(filter, type));
}

/**
 * No loops: an operational event about a subscription (its subject is the subscription's id) never
 * goes to that subscription. Its delivery failing could only be told to the same failing receiver.
 */
export function aboutItself(subscriptionId: string | undefined, type: string, subject: string | undefined) {
  return subscriptionId !== undefined && subject === subscriptionId && isReservedType(type);
}
