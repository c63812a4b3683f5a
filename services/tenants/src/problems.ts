/**
 * What the tenants logic refuses, as errors the handlers turn into problem responses. Messages name
 * the rule that was broken, never the rejected value.
 */
import { InvalidCursor } from '@herald/shared/cursor';
import { HttpProblem, problemType } from '@herald/shared/problem';

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
  constructor(readonly what: 'tenant' | 'API key' | 'export' | 'erasure') {
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

/** The problem response for an error the logic threw; anything unknown is rethrown (a 500). */
export function toHttpProblem(error: unknown): unknown {
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
  return error;
}

/** Runs a route's logic, answering its known refusals as problems. */
export async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toHttpProblem(error);
  }
}

/** A page size from the query (the schema checked its form). */
export const pageSize = (limit: string | undefined, fallback = 50): number =>
  limit === undefined ? fallback : Number(limit);
