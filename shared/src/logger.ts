import { JsonLogger } from './json-logger';

export const REDACTED = '[REDACTED]';

// Over-matching (e.g. `tokenCount`) costs a log field; under-matching leaks a credential.
const SENSITIVE_KEY =
  /authorization|cookie|secret|password|passwd|token|signature|private[-_ ]?key|api[-_]?key/i;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

/**
 * A deep copy of `value` in which every value under a sensitive key is replaced by '[REDACTED]'.
 * Headers and events go through it before they are logged.
 */
export function redact<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, seen));
  if (value instanceof Error) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = isSensitiveKey(key) ? REDACTED : redactValue(item, seen);
  }
  return copy;
}

/**
 * The container's one logger. The replacer redacts sensitive keys a second time, at
 * serialisation, so attributes a handler logs without calling `redact` are covered too.
 */
export const logger = new JsonLogger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'herald',
  jsonReplacerFn: (key, value) => (key !== '' && isSensitiveKey(key) ? REDACTED : value),
});

export type Logger = JsonLogger;
