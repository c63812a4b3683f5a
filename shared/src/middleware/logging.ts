import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { logger, redact } from '../logger';
import { resolveCorrelationId } from '../correlation';
import { getHeader, responseWithHeaders, setHeader } from './headers';

export const CORRELATION_HEADER = 'x-correlation-id';

type LoggingContext = Context & { correlationId?: string; auth?: { tenantId: string } };
type LoggingRequest = Request<APIGatewayProxyEventV2, unknown, unknown, LoggingContext>;

const startedAt = new WeakMap<object, number>();

export interface LoggingOptions {
  /** Extra fields on the summary line, asked for once the request is answered (e.g. its AWS calls). */
  summary?: () => Record<string, unknown>;
}

/**
 * Gives every log line of the invocation a correlation id, echoes it in the response and
 * writes one summary line per invocation. Use it outermost so it sees the final response.
 */
export function logging(
  options: LoggingOptions = {},
): MiddlewareObj<APIGatewayProxyEventV2, unknown, unknown, LoggingContext> {
  const before = (request: LoggingRequest): void => {
    startedAt.set(request, performance.now());
    const headers = request.event?.headers;
    const correlationId = resolveCorrelationId(
      getHeader(headers, CORRELATION_HEADER),
      getHeader(headers, 'traceparent'),
    );
    // Keys appended by the previous invocation of this container must not leak into this one.
    logger.resetKeys();
    if (typeof request.context?.awsRequestId === 'string') logger.addContext(request.context);
    logger.appendKeys({ correlation_id: correlationId });
    request.context.correlationId = correlationId;
    logger.debug('Request received', { headers: redact(headers) });
  };

  const finish = (request: LoggingRequest): void => {
    const correlationId = request.context.correlationId;
    let status = 500;
    if (request.response !== undefined) {
      const response = responseWithHeaders(request.response);
      request.response = response;
      if (correlationId) setHeader(response.headers, CORRELATION_HEADER, correlationId);
      status = response.statusCode;
    }
    const start = startedAt.get(request);
    const summary = {
      method: request.event?.requestContext?.http?.method,
      route: request.event?.routeKey,
      status,
      durationMs: start === undefined ? undefined : Math.round((performance.now() - start) * 100) / 100,
      tenantId: request.context.auth?.tenantId,
      correlationId,
      ...options.summary?.(),
    };
    if (status >= 500) logger.error('Request completed', summary);
    else logger.info('Request completed', summary);
    logger.resetKeys();
  };

  return { name: 'logging', before, after: finish, onError: finish };
}
