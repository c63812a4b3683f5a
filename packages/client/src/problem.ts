/**
 * What a call that did not succeed throws: a HeraldProblem for every answer that is not a 2xx (the
 * RFC 9457 problem Herald answers with, or API Gateway's own `{ message }` made into one), and a
 * HeraldNetworkError when no answer came at all, so a caller can tell "the API said no" from
 * "the API was not reached".
 */
import type { components } from './herald-api.generated';

export type ProblemBody = components['schemas']['Problem'];

export class HeraldProblem extends Error implements ProblemBody {
  override readonly name = 'HeraldProblem';
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly errors?: ProblemBody['errors'];
  readonly events?: ProblemBody['events'];
  readonly quota?: ProblemBody['quota'];
  readonly limit?: number;
  readonly current?: number;
  readonly replayId?: string;
  /** Every member of the answer, the ones above and any other the problem carries. */
  readonly body: Readonly<Record<string, unknown>>;
  /** Seconds the API asked to wait before trying again (`Retry-After`), when it said. */
  readonly retryAfterSeconds?: number;
  /** The request's correlation id (`X-Correlation-Id`), to quote when asking about it. */
  readonly correlationId?: string;

  constructor(problem: ProblemBody & Record<string, unknown>, headers?: Headers) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.body = problem;
    this.type = problem.type;
    this.title = problem.title;
    this.status = problem.status;
    for (const member of [
      'detail',
      'instance',
      'errors',
      'events',
      'quota',
      'limit',
      'current',
      'replayId',
    ] as const) {
      if (problem[member] !== undefined) Object.assign(this, { [member]: problem[member] });
    }
    const retryAfter = retryAfterSeconds(headers?.get('retry-after') ?? null);
    if (retryAfter !== undefined) this.retryAfterSeconds = retryAfter;
    const correlationId = headers?.get('x-correlation-id');
    if (correlationId) this.correlationId = correlationId;
  }

  /** The problem's slug: `validation-failed` of `https://herald.dev/problems/validation-failed`. */
  get slug(): string {
    return this.type.slice(this.type.lastIndexOf('/') + 1);
  }
}

export class HeraldNetworkError extends Error {
  override readonly name = 'HeraldNetworkError';
  constructor(
    readonly method: string,
    readonly url: string,
    override readonly cause: unknown,
  ) {
    super(`${method} ${url} got no answer: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** `Retry-After` as seconds: a number of seconds or an HTTP date (RFC 9110), else undefined. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The problem an answer that is not a 2xx stands for, whatever its body: Herald's own problem as it
 * is, API Gateway's `{ message }` (its authorizer's 401/403, its throttling's 429) as its title, and
 * anything else (a proxy's HTML page) by its status alone.
 */
export function problemFromAnswer(response: Response, body: unknown): HeraldProblem {
  const status = response.status;
  if (isRecord(body) && typeof body.type === 'string' && typeof body.title === 'string') {
    return new HeraldProblem({ ...body, type: body.type, title: body.title, status }, response.headers);
  }
  const title =
    isRecord(body) && typeof body.message === 'string'
      ? body.message
      : response.statusText || `HTTP ${status}`;
  return new HeraldProblem({ type: 'about:blank', title, status }, response.headers);
}
