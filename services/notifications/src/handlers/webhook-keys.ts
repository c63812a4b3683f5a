/**
 * GET /v1/tenants/{tenantId}/webhook-keys.json, without a token: the tenant's v1a public keys as a
 * JWKS (subscriptions/webhook-keys.ts says what it shows and why nothing else). Public keys are
 * meant to be fetched by anyone, so the answer may be cached by receivers and any cache between
 * (a minute: a new key is found soon, and rotation keeps the old key signing meanwhile); the 404
 * too, so a flood of made-up tenant ids is cheap to answer.
 */
import { logger } from '@herald/shared/logger';
import { problemResponse } from '@herald/shared/middleware/errors';
import { SECURITY_HEADERS } from '@herald/shared/middleware/security-headers';
import { HttpProblem, problemType } from '@herald/shared/problem';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { tenantKeySet, type PublicKeySource } from '../subscriptions/webhook-keys';
import { webhookKeySource } from '../wiring';

const CACHEABLE = { ...SECURITY_HEADERS, 'cache-control': 'public, max-age=60' };

export function createHandler(source: () => PublicKeySource, now: () => Date = () => new Date()) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const set = await tenantKeySet(event.pathParameters?.tenantId ?? '', { source: source(), now });
      if (set === undefined) {
        const missing = problemResponse(
          new HttpProblem(404, {
            type: problemType('not-found'),
            detail: 'No webhook signing keys are published here',
          }),
        );
        return { ...missing, headers: { ...CACHEABLE, ...missing.headers } };
      }
      return {
        statusCode: 200,
        headers: { ...CACHEABLE, 'content-type': 'application/json' },
        body: JSON.stringify(set),
      };
    } catch (error) {
      logger.error('Webhook key set not read', error as Error);
      const failed = problemResponse(new HttpProblem(500));
      return { ...failed, headers: { ...SECURITY_HEADERS, ...failed.headers } };
    }
  };
}

export const handler = createHandler(webhookKeySource);
