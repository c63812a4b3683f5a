import { auditRecorder } from '@herald/shared/audit';
import { httpHandler } from '@herald/shared/entry/http';
import { logger } from '@herald/shared/logger';
import { answering } from '../problems';
import type { SubscriptionDeps } from '../subscriptions/ports';
import { securityEvent } from '../subscriptions/security-events';
import { updateSubscription } from '../subscriptions/update';
import validate from '../schemas/update-subscription.validator.generated';
import { subscriptionDeps } from '../wiring';

export function createHandler(deps: () => SubscriptionDeps) {
  return httpHandler(
    async (event, context) => {
      const id = event.pathParameters!.id!;
      const subscription = await answering(() =>
        updateSubscription(context.auth.tenantId, id, event.body, {
          ...deps(),
          audit: auditRecorder(context.auth, event, context.correlationId),
        }),
      );
      logger.info(
        'Subscription changed',
        securityEvent('updated', id, context.auth.subject, { fields: Object.keys(event.body) }),
      );
      return { statusCode: 200, body: subscription };
    },
    { scopes: ['subscriptions:write'], validator: validate, maxBodyBytes: 16 * 1024 },
  );
}

export const handler = createHandler(subscriptionDeps);
