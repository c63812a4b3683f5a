import { expect, test } from '@jest/globals';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import type { AuthorizerContext } from '@herald/shared/tenants/authorizer-context';
import { createHandler } from '../../src/handlers/authorize';

const event = (headers: Record<string, string>) =>
  ({
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:us-east-1:000000000000:api/$default/GET/v1/events',
    identitySource: Object.values(headers),
    routeKey: 'GET /v1/events',
    rawPath: '/v1/events',
    headers,
  }) as unknown as APIGatewayRequestAuthorizerEventV2;

test('every request is authorized as far as API Gateway knows, with the verdict in the context', async () => {
  const seen: Array<string | undefined> = [];
  const refusal: AuthorizerContext = { v: 1, outcome: 'refuse', reason: 'unknown_key', status: 401 };
  const handler = createHandler(() => async (authorization) => {
    seen.push(authorization);
    return refusal;
  });
  expect(await handler(event({ authorization: 'Bearer hk_live_x' }))).toEqual({
    isAuthorized: true,
    context: refusal,
  });
  // Whatever case the header arrives in, and none at all.
  await handler(event({ Authorization: 'Bearer abc' }));
  await handler(event({}));
  expect(seen).toEqual(['Bearer hk_live_x', 'Bearer abc', undefined]);
});
