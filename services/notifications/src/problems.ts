/**
 * What the notifications logic refuses, as errors the handlers turn into problem responses: the
 * refusals every service shares (`@herald/shared/refusals`), and the tenant's limits and one replay
 * at a time, which are this service's own. Messages name the rule that was broken, never the
 * rejected value.
 */
import { HttpProblem, problemType } from '@herald/shared/problem';
import { answering as answeringRefusals, NotFound as NoSuch } from '@herald/shared/refusals';

export { Conflict, InvalidInput, type FieldProblem } from '@herald/shared/refusals';

export class NotFound extends NoSuch<'subscription' | 'delivery'> {}

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

/** The problem response for a refusal of this service's own; undefined for anything else. */
function ownProblem(error: unknown): HttpProblem | undefined {
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
  return undefined;
}

/** Runs a route's logic, answering its known refusals (the shared ones and this service's) as problems. */
export const answering = <T>(work: () => Promise<T>): Promise<T> => answeringRefusals(work, ownProblem);
