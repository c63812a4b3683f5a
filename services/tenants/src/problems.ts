/**
 * What the tenants logic refuses, as errors the handlers turn into problem responses: the refusals
 * every service shares (`@herald/shared/refusals`), with the things this service may not find.
 */
import { NotFound as NoSuch } from '@herald/shared/refusals';

export { answering, Conflict, InvalidInput, type FieldProblem } from '@herald/shared/refusals';

export class NotFound extends NoSuch<'tenant' | 'API key' | 'export' | 'erasure'> {}

/** A page size from the query (the schema checked its form). */
export const pageSize = (limit: string | undefined, fallback = 50): number =>
  limit === undefined ? fallback : Number(limit);
