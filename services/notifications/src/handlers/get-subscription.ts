import { httpHandler } from '@herald/shared/http';
import { answering } from '../problems';
import { getSubscription, type SubscriptionRepository } from '../subscriptions';
import validate from '../schemas/subscription-id.validator.generated';
import { subscriptionStore } from '../adapters/wiring';

export function createHandler(repository: () => Pick<SubscriptionRepository, 'get'>) {
  return httpHandler(
    async (event, context) => ({
      statusCode: 200,
      body: await answering(() =>
        getSubscription(context.auth.tenantId, event.pathParameters!.id!, repository()),
      ),
    }),
    { scopes: ['subscriptions:read'], validator: validate },
  );
}

export const handler = createHandler(subscriptionStore);
