import { httpHandler } from '@herald/shared/http';
import { logger } from '@herald/shared/logger';
import { answering } from '../problems';
import { pauseSubscription, type SubscriptionRepository } from '../subscriptions';
import validate from '../schemas/subscription-id.validator.generated';
import { subscriptionStore } from '../adapters/wiring';

export function createHandler(repository: () => SubscriptionRepository) {
  return httpHandler(
    async (event, context) => {
      const id = event.pathParameters!.id!;
      const subscription = await answering(() =>
        pauseSubscription(context.auth.tenantId, id, { repository: repository(), now: () => new Date() }),
      );
      logger.info('Subscription paused', {
        securityEvent: 'subscription.paused',
        subscriptionId: id,
        subject: context.auth.subject,
      });
      return { statusCode: 200, body: subscription };
    },
    { scopes: ['subscriptions:write'], validator: validate },
  );
}

export const handler = createHandler(subscriptionStore);
