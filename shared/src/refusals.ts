/**
 * What a service's logic refuses, as errors its routes answer with problem responses (RFC 9457):
 * the refusals every service's logic may throw (input that breaks a rule, a resource that is not
 * there, a conflict with the resource's state, a cursor that is none of ours). A service adds its
 * own in its `problems.ts`, handing their mapping to `answering`. Messages name the rule that was
 * broken, never the rejected value.
 */
import { InvalidCursor } from './cursor';
import { HttpProblem, problemType } from './problem';

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

/** A service narrows `What` to the things it may not find (`class NotFound extends …<'tenant'>`). */
export class NotFound<What extends string = string> extends Error {
  override readonly name = 'NotFound';
  constructor(readonly what: What) {
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

/** The problem response for one of the refusals above (or a bad cursor); undefined for anything else. */
export function refusalProblem(error: unknown): HttpProblem | undefined {
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
  if (error instanceof InvalidCursor) {
    return new HttpProblem(400, { type: problemType('invalid-cursor'), detail: error.message });
  }
  return undefined;
}

/**
 * Runs a route's logic, answering its known refusals as problems: the service's own (`ownProblem`),
 * then those above. Anything else is thrown again as it was (a 500).
 */
export async function answering<T>(
  work: () => Promise<T>,
  ownProblem?: (error: unknown) => HttpProblem | undefined,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw ownProblem?.(error) ?? refusalProblem(error) ?? error;
  }
}
