/**
 * EventBridge event patterns, outside EventBridge: the same validation (what PutRule rejects, with AWS's
 * wording) and the same matching (event-ruler's semantics), as plain functions over parsed JSON.
 *
 *   const matches = compilePattern({ source: ['herald'], detail: { total: [{ numeric: ['>', 100] }] } });
 *   matches(event); // true or false (or MatchBudgetExceededError past the step budget)
 */
export {
  compileCountingMatcher,
  compilePattern,
  DEFAULT_MAX_MATCH_STEPS,
  MatchBudgetExceededError,
  matchesPattern,
  validatePattern,
  type EventMatcher,
  type MatchOptions,
  type MatchOutcome,
} from './pattern';
export { InvalidEventPatternError } from './pattern-compile';
