/**
 * The HTTP APIs' request authorizer (payload 2.0, simple responses): always `isAuthorized: true`,
 * with the verdict in the context (shared/src/tenants/authorizer-context.ts), which the function
 * behind the route answers as problem+json when it is a refusal.
 */
import { resolveCorrelationId } from '@herald/shared/correlation';
import { logger } from '@herald/shared/logger';
import { getHeader } from '@herald/shared/middleware/headers';
import { CORRELATION_HEADER } from '@herald/shared/middleware/logging';
import type { AuthorizerContext } from '@herald/shared/tenants/authorizer-context';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import type { Authorizer } from '../authorizer/authorize';
import { authorizer } from '../wiring';

export interface SimpleAuthorizerResult {
  isAuthorized: true;
  context: AuthorizerContext;
}

export function createHandler(judge: () => Authorizer) {
  return async (event: APIGatewayRequestAuthorizerEventV2): Promise<SimpleAuthorizerResult> => {
    const headers = event.headers ?? {};
    const authorization =
      headers.authorization ??
      Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
    // The request's source and correlation id, for the audit entry of a tenant made on first use.
    const context = await judge()(authorization, {
      headers,
      requestContext: event.requestContext,
      correlationId: resolveCorrelationId(
        getHeader(headers, CORRELATION_HEADER),
        getHeader(headers, 'traceparent'),
      ),
    });
    logger.debug('Authorizer verdict', {
      outcome: context.outcome,
      reason: context.reason,
      credential: context.credential,
      tenant_id: context.tenantId,
      keyId: context.keyId,
      route: event.routeKey,
    });
    return { isAuthorized: true, context };
  };
}

export const handler = createHandler(authorizer);
