import middy from '@middy/core';
import type { MiddlewareObj, MiddyfiedHandler } from '@middy/core';
import type { Metrics } from '../metrics';
import type { ValidateFunction } from 'ajv';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { auth } from '../middleware/auth';
import type { AuthContext, AuthOptions } from '../middleware/auth';
import { bodySizeLimit, DEFAULT_MAX_BODY_BYTES, jsonBody } from '../middleware/body';
import { errors } from '../middleware/errors';
import { headerNormalizer } from '../middleware/headers';
import { logging } from '../middleware/logging';
import type { HttpProblem } from '../problem';
import { securityHeaders } from '../middleware/security-headers';
import { validation } from '../middleware/validation';
import { flushMetrics } from './flush-metrics';

export type { AuthContext } from '../middleware/auth';

/** The API Gateway v2 event with its body already parsed (and validated if a validator is given). */
export type HttpEvent<TBody = unknown> = Omit<APIGatewayProxyEventV2, 'body'> & { body: TBody };

export interface HttpContext extends Context {
  auth: AuthContext;
  correlationId: string;
}

export interface HttpResult {
  statusCode: number;
  /** Serialised as JSON; leave it out for an empty response. */
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * The body type of a validated input: a schema describes `{ body, pathParameters,
 * queryStringParameters }`, so the type generated from it carries the body as its `body` member.
 */
export type BodyOf<TInput> = TInput extends { body?: infer TBody } ? TBody : unknown;

export interface HttpHandlerOptions<TInput = unknown> {
  /** Scopes the token must all carry; [] admits any authenticated caller. */
  scopes: readonly string[];
  /** Checks `{ body, pathParameters, queryStringParameters }`; its type gives the handler's body type. */
  validator?: ValidateFunction<TInput>;
  /** Limit on the raw request body, default 256 KiB. */
  maxBodyBytes?: number;
  /** Overrides for the auth middleware (config, algorithms); `scopes` above wins. */
  auth?: Omit<AuthOptions, 'scopes'>;
  /** Flushed after each request, answered or failed. */
  metrics?: Metrics;
  /** Extra fields on the request's "Request completed" line (e.g. the AWS calls it made). */
  summary?: () => Record<string, unknown>;
}

export type HttpHandlerFn<TBody> = (
  event: HttpEvent<TBody>,
  context: HttpContext,
) => Promise<HttpResult> | HttpResult;

export type HttpLambdaHandler = MiddyfiedHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

type HttpMiddleware = MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

/** Writes what the request counted, whatever its outcome. */
const metricsFlush = (metrics: Metrics): HttpMiddleware => ({
  name: 'metrics',
  after: () => flushMetrics(metrics),
  onError: () => flushMetrics(metrics),
});

function serialise(result: HttpResult): APIGatewayProxyStructuredResultV2 {
  if (result.body === undefined) return { statusCode: result.statusCode, headers: { ...result.headers } };
  return {
    statusCode: result.statusCode,
    headers: { 'content-type': 'application/json', ...result.headers },
    body: JSON.stringify(result.body),
  };
}

/**
 * Wraps a route handler with the HTTP stack. Middy runs `before` hooks in this order and
 * `after`/`onError` hooks in reverse:
 *   metrics (flushed last), logging (sees the final response), security headers (must wrap the
 *   errors middleware to decorate problem responses), errors, header normalisation, auth (before any
 *   body work, so unauthenticated callers learn nothing about limits or schemas), body size, JSON
 *   parsing, validation.
 * With a validator the handler gets the body its schema describes (the type generated from it), and
 * may not claim a narrower one. Without, the body is unchecked JSON.
 */
export function httpHandler<TInput>(
  fn: HttpHandlerFn<BodyOf<TInput>>,
  options: HttpHandlerOptions<TInput> & { validator: ValidateFunction<TInput> },
): HttpLambdaHandler;
export function httpHandler<TBody = unknown>(
  fn: HttpHandlerFn<TBody>,
  options: HttpHandlerOptions & { validator?: undefined },
): HttpLambdaHandler;
export function httpHandler(fn: HttpHandlerFn<unknown>, options: HttpHandlerOptions): HttpLambdaHandler {
  // A caller typed loosely must not lose the check silently: it lives in http-exact-numbers.
  if ((options as { exactNumbers?: unknown }).exactNumbers)
    throw new Error(
      'httpHandler: exactNumbers is the httpHandler of @herald/shared/entry/http-exact-numbers',
    );
  return httpHandlerChecking(fn, options);
}

/** The HTTP stack with a check of the raw body's text once it parses (see jsonBody). */
export function httpHandlerChecking(
  fn: HttpHandlerFn<unknown>,
  options: HttpHandlerOptions,
  checkText?: (text: string) => HttpProblem | undefined,
): HttpLambdaHandler {
  const stack: HttpMiddleware[] = [
    ...(options.metrics ? [metricsFlush(options.metrics)] : []),
    logging(options.summary ? { summary: options.summary } : {}),
    securityHeaders(),
    errors(),
    headerNormalizer(),
    auth({ ...options.auth, scopes: options.scopes }),
    bodySizeLimit(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
    jsonBody(checkText ? { checkText } : {}),
    ...(options.validator ? [validation(options.validator)] : []),
  ] as HttpMiddleware[];
  return middy(
    async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
      const httpContext = context as HttpContext;
      if (!httpContext.auth || !httpContext.correlationId)
        throw new Error('httpHandler: middleware context missing');
      return serialise(await fn(event as unknown as HttpEvent<unknown>, httpContext));
    },
  ).use(stack);
}
