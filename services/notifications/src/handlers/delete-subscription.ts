import { httpHandler } from '@herald/shared/http';
import { logger } from '@herald/shared/logger';
import { answering } from '../problems';
import { deleteSubscription, type SubscriptionRepository } from '../subscriptions';
import validate from '../schemas/subscription-id.validator.generated';
import { subscriptionStore } from '../adapters/wiring';

export function createHandler(repository: () => Pick<SubscriptionRepository, 'delete'>) {
  return httpHandler(
    async (event, context) => {
      const id = event.pathParameters!.id!;
      await answering(() => deleteSubscription(context.auth.tenantId, id, repository()));
      logger.info('Subscription deleted', {
        securityEvent: 'subscription.deleted',
        subscriptionId: id,
        subject: context.auth.subject,
      });
      return { statusCode: 204 };
    },
    { scopes: ['subscriptions:write'], validator: validate },
  );
}

export const handler = createHandler(subscriptionStore);
