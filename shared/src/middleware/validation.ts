import type { MiddlewareObj, Request } from '@middy/core';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { HttpProblem, problemType } from '../problem';

export const MAX_VIOLATIONS = 20;
const MAX_MESSAGE_LENGTH = 200;

/** One schema violation, as listed in the `errors` extension member of a 422 problem. */
export interface Violation {
  /** JSON Pointer into `{ body, pathParameters, queryStringParameters }`. */
  pointer: string;
  message: string;
}

/** What the schema sees: the parsed body and the path and query parameters. */
export interface ValidatedInput {
  body?: unknown;
  pathParameters: Record<string, string | undefined>;
  queryStringParameters: Record<string, string | undefined>;
}

function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * The pointer names where the problem is, the message what rule failed. Both come from the schema
 * and the document's structure, never from its values; property names the client made up
 * (additionalProperties) are not echoed either.
 */
export function toViolation(error: ErrorObject): Violation {
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  const pointer =
    (error.keyword === 'required' || error.keyword === 'dependentRequired') && typeof missing === 'string'
      ? `${error.instancePath}/${escapePointerToken(missing)}`
      : error.instancePath;
  const message = (error.message ?? `must satisfy the ${error.keyword} constraint`).slice(
    0,
    MAX_MESSAGE_LENGTH,
  );
  return { pointer, message };
}

/**
 * Validates the parsed request with a precompiled ajv function. A request that parses but breaks
 * the schema is 422, listing at most 20 violations.
 */
export function validation(validate: ValidateFunction): MiddlewareObj<APIGatewayProxyEventV2> {
  // The precompiled function is called directly: @middy/validator (with @middy/util, 1.6 KB of
  // every route with a schema) did the same call and threw its errors for this to catch.
  // An $async validator answers a promise, which would pass every input: refused, as middy did.
  if ((validate as { $async?: unknown }).$async)
    throw new Error('validation: an $async validator is not supported; compile the schema without $async');
  const before = (request: Request<APIGatewayProxyEventV2>): void => {
    const event = request.event;
    const body: unknown = event.body;
    const input: ValidatedInput = {
      ...(body === undefined ? {} : { body }),
      pathParameters: { ...event.pathParameters },
      queryStringParameters: { ...event.queryStringParameters },
    };
    if (!validate(input)) {
      const found = validate.errors ?? [];
      throw new HttpProblem(422, {
        type: problemType('validation-failed'),
        // RFC 9110's name for 422; node still uses the older "Unprocessable Entity".
        title: 'Unprocessable Content',
        detail: `The request breaks the schema in ${found.length} place(s)`,
        extra: { errors: found.slice(0, MAX_VIOLATIONS).map(toViolation) },
      });
    }
    // Validators compiled with useDefaults fill in defaults; hand them on to the handler.
    if ('body' in input) (event as { body?: unknown }).body = input.body;
    event.pathParameters = input.pathParameters as APIGatewayProxyEventV2['pathParameters'];
    event.queryStringParameters =
      input.queryStringParameters as APIGatewayProxyEventV2['queryStringParameters'];
  };
  return { name: 'validation', before };
}
