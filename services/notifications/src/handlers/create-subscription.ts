import { httpHandler } from '@herald/shared/entry/http';
import { logger } from '@herald/shared/logger';
import { answering } from '../problems';
import { createSubscription } from '../subscriptions/create';
import { securityEvent } from '../subscriptions/security-events';
import type { SubscriptionDeps } from '../subscriptions/ports';
import validate from '../schemas/create-subscription.validator.generated';
import { subscriptionDeps } from '../wiring';

export function createHandler(deps: () => SubscriptionDeps) {
  return httpHandler(
    async (event, context) => {
      const { subscription, secret } = await answering(() =>
        createSubscription(context.auth.tenantId, event.body, deps()),
      );
      logger.info(
        'Subscription created',
        securityEvent('created', subscription.id, context.auth.subject, { kind: subscription.kind }),
      );
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
