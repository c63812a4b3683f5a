/**
 * How a receiver endpoint answers: the failure modes a subscriber shows Herald's delivery (outages,
 * gone endpoints, slowness, rate limits), each chosen per endpoint.
 */

export interface EndpointBehaviour {
  /**
   * The failing status. Alone it is answered to every request (e.g. 410); with `failTimes`, to the
   * first N requests only, after which the endpoint answers 200.
   */
  status?: number;
  /** Fail this many requests (with `status`, default 500), then succeed. */
  failTimes?: number;
  /** Wait this long before answering, to exercise delivery timeouts. */
  delayMs?: number;
  /**
   * Retry-After (seconds, or an HTTP date) on failing responses. Alone it makes every response a
   * 429, a rate-limited subscriber.
   */
  retryAfter?: number | string;
  /** Answer 401 to requests whose signature does not verify, as a real subscriber would. */
  rejectUnverified?: boolean;
}

export interface Reply {
  status: number;
  delayMs: number;
  headers: Record<string, string>;
}

export const MAX_DELAY_MS = 5 * 60 * 1000;

/** A behaviour, secret or endpoint name that cannot be used: the control API answers 400. */
export class EndpointSettingError extends Error {
  override readonly name = 'EndpointSettingError';
}

const FIELDS = new Set(['status', 'failTimes', 'delayMs', 'retryAfter', 'rejectUnverified']);

function wholeNumber(value: unknown, field: string, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new EndpointSettingError(`${field} must be a whole number from 0 to ${max}`);
  }
  return value;
}

/** Checks a behaviour from code or from the control API; throws EndpointSettingError naming the problem. */
export function parseBehaviour(input: unknown): EndpointBehaviour {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new EndpointSettingError('a behaviour must be an object');
  }
  const fields = input as Record<string, unknown>;
  for (const field of Object.keys(fields)) {
    if (!FIELDS.has(field))
      throw new EndpointSettingError(`unknown behaviour field ${JSON.stringify(field)}`);
  }
  const behaviour: EndpointBehaviour = {};
  if (fields.status !== undefined) {
    const status = wholeNumber(fields.status, 'status', 599);
    // 1xx is not a final answer and Node refuses to send it as one.
    if (status < 200) throw new EndpointSettingError('status must be from 200 to 599');
    behaviour.status = status;
  }
  if (fields.failTimes !== undefined)
    behaviour.failTimes = wholeNumber(fields.failTimes, 'failTimes', 1_000_000);
  if (fields.delayMs !== undefined) behaviour.delayMs = wholeNumber(fields.delayMs, 'delayMs', MAX_DELAY_MS);
  if (fields.retryAfter !== undefined) {
    const value = fields.retryAfter;
    if (typeof value === 'string') {
      // Header values must not carry control characters (response splitting).
      if (!/^[\x20-\x7E]{1,64}$/.test(value))
        throw new EndpointSettingError('retryAfter is not a valid header value');
      behaviour.retryAfter = value;
    } else behaviour.retryAfter = wholeNumber(value, 'retryAfter', 86_400 * 365);
  }
  if (fields.rejectUnverified !== undefined) {
    if (typeof fields.rejectUnverified !== 'boolean')
      throw new EndpointSettingError('rejectUnverified must be a boolean');
    behaviour.rejectUnverified = fields.rejectUnverified;
  }
  return behaviour;
}

/**
 * The answer to the `attempt`-th request (1-based, counted since the behaviour was set). Pure, so the
 * rules are testable without a socket.
 */
export function replyFor(behaviour: EndpointBehaviour, attempt: number): Reply {
  const delayMs = behaviour.delayMs ?? 0;
  let failing: number | undefined;
  if (behaviour.failTimes !== undefined) {
    if (attempt <= behaviour.failTimes) failing = behaviour.status ?? 500;
  } else if (behaviour.status !== undefined) {
    failing = behaviour.status;
  } else if (behaviour.retryAfter !== undefined) {
    failing = 429;
  }
  if (failing === undefined) return { status: 200, delayMs, headers: {} };
  const headers: Record<string, string> = {};
  if (behaviour.retryAfter !== undefined && failing >= 300)
    headers['retry-after'] = String(behaviour.retryAfter);
  return { status: failing, delayMs, headers };
}
