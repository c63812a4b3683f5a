import { httpHandler } from '@herald/shared/http';
import { listSubscriptions, type SubscriptionStore } from '../list-subscriptions';
import { answering } from '../problems';
import validate from '../schemas/list-subscriptions.validator.generated';
import { subscriptionStore } from '../adapters/wiring';

export function createHandler(store: () => SubscriptionStore) {
  return httpHandler(
    async (event, context) => {
      const { limit, cursor } = event.queryStringParameters ?? {};
      const page = await answering(() =>
        listSubscriptions(
          context.auth.tenantId,
          { ...(limit ? { limit: Number(limit) } : {}), ...(cursor ? { cursor } : {}) },
          store(),
        ),
      );
      return { statusCode: 200, body: page };
    },
    { scopes: ['subscriptions:read'], validator: validate },
  );
}

export const handler = createHandler(subscriptionStore);
