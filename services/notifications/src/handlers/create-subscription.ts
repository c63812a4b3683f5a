import { httpHandler } from '@herald/shared/http';
import { logger } from '@herald/shared/logger';
import { answering } from '../problems';
import { createSubscription, type CreateInput, type SubscriptionDeps } from '../subscriptions';
import validate from '../schemas/create-subscription.validator.generated';
import { subscriptionDeps } from '../adapters/wiring';

export function createHandler(deps: () => SubscriptionDeps) {
  return httpHandler<CreateInput>(
    async (event, context) => {
      const { subscription, secret } = await answering(() =>
        createSubscription(context.auth.tenantId, event.body, deps()),
      );
      logger.info('Subscription created', {
        securityEvent: 'subscription.created',
        subscriptionId: subscription.id,
        kind: subscription.kind,
        subject: context.auth.subject,
      });
      return {
        statusCode: 201,
        headers: { location: `/v1/subscriptions/${subscription.id}` },
        // The only time the secret is ever returned.
        body: secret === undefined ? subscription : { ...subscription, secret },
      };
    },
    { scopes: ['subscriptions:write'], validator: validate, maxBodyBytes: 16 * 1024 },
  );
}

export const handler = createHandler(subscriptionDeps);
