/**
 * What the notifications logic refuses, as errors the handlers turn into problem responses. Messages
 * name the rule that was broken, never the rejected value.
 */
import { HttpProblem, problemType } from '@herald/shared/problem';
import { InvalidCursor } from '@herald/shared/cursor';

export interface FieldProblem {
  /** JSON Pointer into `{ body, pathParameters, queryStringParameters }`, as schema violations are. */
  pointer: string;
  message: string;
}

export class InvalidInput extends Error {
  override readonly name = 'InvalidInput';
  constructor(readonly problems: readonly FieldProblem[]) {
    super(problems.map((p) => `${p.pointer} ${p.message}`).join('; '));
  }
}

export class NotFound extends Error {
  override readonly name = 'NotFound';
  constructor(readonly what: 'subscription' | 'delivery') {
    super(`No such ${what}`);
  }
}

export class Conflict extends Error {
  override readonly name = 'Conflict';
  constructor(
    readonly slug: string,
    message: string,
  ) {
    super(message);
  }
}

/** A tenant is at one of its limits (see model/tenant-limits). */
export class QuotaExceeded extends Error {
  override readonly name = 'QuotaExceeded';
  constructor(
    readonly quota: 'subscriptions' | 'concurrentReplays',
    readonly limit: number,
    readonly current: number,
  ) {
    super(
      quota === 'subscriptions'
        ? `The tenant has ${current} subscriptions and may have ${limit}; delete one first`
        : `The tenant has ${current} replays running and may run ${limit} at once; try again when one has finished`,
    );
  }
}

/** A replay of the subscription is still running: one at a time. */
export class ReplayRunning extends Error {
  override readonly name = 'ReplayRunning';
  constructor(readonly replayId: string) {
    super(`Replay ${replayId} of this subscription is still running; try again when it has finished`);
  }
}

/** The problem response for an error the logic threw; anything unknown is rethrown (a 500). */
export function toHttpProblem(error: unknown): HttpProblem {
  if (error instanceof InvalidInput) {
    return new HttpProblem(422, {
      type: problemType('validation-failed'),
      title: 'Unprocessable Content',
      detail: error.message.slice(0, 500),
      extra: { errors: error.problems },
    });
  }
  if (error instanceof NotFound) {
    return new HttpProblem(404, { type: problemType('not-found'), detail: error.message });
  }
  if (error instanceof Conflict) {
    return new HttpProblem(409, { type: problemType(error.slug), detail: error.message });
  }
  if (error instanceof QuotaExceeded) {
    return new HttpProblem(409, {
      type: problemType('quota-exceeded'),
      detail: error.message,
      extra: { quota: error.quota, limit: error.limit, current: error.current },
    });
  }
  if (error instanceof ReplayRunning) {
    return new HttpProblem(409, {
      type: problemType('replay-running'),
      detail: error.message,
      extra: { replayId: error.replayId },
    });
  }
  if (error instanceof InvalidCursor) {
    return new HttpProblem(400, { type: problemType('invalid-cursor'), detail: error.message });
  }
  throw error;
}

/** Runs a route's logic, answering its known refusals as problems. */
export async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toHttpProblem(error);
  }
}
