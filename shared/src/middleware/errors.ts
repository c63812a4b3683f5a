import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '../logger';
import { HttpProblem, statusTitle } from '../problem';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The shape of @middy/util's HttpError (and http-errors), matched by duck typing across versions. */
interface HttpErrorLike {
  statusCode: number;
  message: string;
  expose?: boolean;
  headers?: unknown;
}

function isHttpErrorLike(error: unknown): error is HttpErrorLike {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599;
}

function stringHeaders(headers: unknown): Record<string, string> {
  if (typeof headers !== 'object' || headers === null) return {};
  return Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** Maps anything thrown to the problem the client may see; unknown errors reveal nothing. */
export function toHttpProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (isHttpErrorLike(error)) {
    // Middy marks messages safe to show with `expose` (the default below 500).
    const expose = error.expose ?? error.statusCode < 500;
    const detail =
      expose && error.message && error.message !== statusTitle(error.statusCode) ? error.message : undefined;
    return new HttpProblem(error.statusCode, { detail, headers: stringHeaders(error.headers), cause: error });
  }
  return new HttpProblem(500, { cause: error });
}

export function problemResponse(problem: HttpProblem, instance?: string): APIGatewayProxyStructuredResultV2 {
  let body: string;
  try {
    body = JSON.stringify(problem.toProblem(instance));
  } catch (error) {
    // An unserialisable extension member must not leave the request without any response.
    logger.error('Problem could not be serialised', error as Error);
    return problemResponse(new HttpProblem(500), instance);
  }
  return {
    statusCode: problem.status,
    headers: { ...problem.headers, 'content-type': PROBLEM_CONTENT_TYPE },
    body,
  };
}

/**
 * Turns every failure into an RFC 9457 application/problem+json response. It sets the response
 * without returning it, so outer onError middlewares (security headers, logging) still run.
 */
export function errors(): MiddlewareObj<APIGatewayProxyEventV2> {
  const onError = (request: Request<APIGatewayProxyEventV2>): void => {
    const error: unknown = request.error;
    const problem = toHttpProblem(error);
    if (problem.status >= 500) {
      const known = error instanceof HttpProblem || isHttpErrorLike(error);
      const message = known ? 'Request failed' : 'Unhandled error';
      if (error instanceof Error) logger.error(message, error);
      else logger.error(message, { thrown: String(error) });
    } else {
      logger.info('Request rejected', { status: problem.status, problemType: problem.type });
    }
    const instance = request.event?.rawPath;
    request.response = problemResponse(problem, typeof instance === 'string' ? instance : undefined);
  };
  return { name: 'errors', onError };
}
