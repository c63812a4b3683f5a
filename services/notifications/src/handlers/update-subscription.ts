import { httpHandler } from '@herald/shared/http';
import { logger } from '@herald/shared/logger';
import { answering } from '../problems';
import { updateSubscription, type SubscriptionDeps, type UpdateInput } from '../subscriptions';
import validate from '../schemas/update-subscription.validator.generated';
import { subscriptionDeps } from '../adapters/wiring';

export function createHandler(deps: () => SubscriptionDeps) {
  return httpHandler<UpdateInput>(
    async (event, context) => {
      const id = event.pathParameters!.id!;
      const subscription = await answering(() =>
        updateSubscription(context.auth.tenantId, id, event.body, deps()),
      );
      logger.info('Subscription changed', {
        securityEvent: 'subscription.updated',
        subscriptionId: id,
        fields: Object.keys(event.body),
        subject: context.auth.subject,
      });
      return { statusCode: 200, body: subscription };
    },
    { scopes: ['subscriptions:write'], validator: validate, maxBodyBytes: 16 * 1024 },
  );
}

export const handler = createHandler(subscriptionDeps);
