import { httpHandler } from '@herald/shared/entry/http';
import { answering } from '../problems';
import { getSubscription } from '../subscriptions/lifecycle';
import type { SubscriptionRepository } from '../subscriptions/ports';
import validate from '../schemas/subscription-id.validator.generated';
import { subscriptionStore } from '../wiring';

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
