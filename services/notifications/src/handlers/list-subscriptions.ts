import { dynamoDocumentClient } from '@herald/shared/aws/dynamodb';
import { requireEnv } from '@herald/shared/env';
import { httpHandler } from '@herald/shared/http';
import { HttpProblem, problemType } from '@herald/shared/problem';
import { DynamoSubscriptionStore } from '../adapters/dynamo-subscription-store';
import { listSubscriptions, type SubscriptionStore } from '../list-subscriptions';
import { InvalidCursor } from '../pagination';
import validate from '../schemas/list-subscriptions.validator.generated';

export function createHandler(store: () => SubscriptionStore) {
  return httpHandler(
    async (event, context) => {
      const { limit, cursor } = event.queryStringParameters ?? {};
      try {
        const page = await listSubscriptions(
          context.auth.tenantId,
          { ...(limit ? { limit: Number(limit) } : {}), ...(cursor ? { cursor } : {}) },
          store(),
        );
        return { statusCode: 200, body: page };
      } catch (error) {
        if (error instanceof InvalidCursor) {
          throw new HttpProblem(400, { type: problemType('invalid-cursor'), detail: error.message });
        }
        throw error;
      }
    },
    { scopes: ['subscriptions:read'], validator: validate },
  );
}

let store: SubscriptionStore | undefined;
export const handler = createHandler(
  () => (store ??= new DynamoSubscriptionStore(dynamoDocumentClient(), requireEnv('SUBSCRIPTIONS_TABLE'))),
);
