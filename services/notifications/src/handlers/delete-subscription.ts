import { auditRecorder } from '@herald/shared/audit';
import { httpHandler } from '@herald/shared/entry/http';
import { logger } from '@herald/shared/logger';
import { answering } from '../problems';
import { deleteSubscription } from '../subscriptions/lifecycle';
import type { SubscriptionRepository } from '../subscriptions/ports';
import { securityEvent } from '../subscriptions/security-events';
import validate from '../schemas/subscription-id.validator.generated';
import { subscriptionStore } from '../wiring';

export function createHandler(repository: () => Pick<SubscriptionRepository, 'delete'>) {
  return httpHandler(
    async (event, context) => {
      const id = event.pathParameters!.id!;
      await answering(() =>
        deleteSubscription(
          context.auth.tenantId,
          id,
          repository(),
          auditRecorder(context.auth, event, context.correlationId),
        ),
      );
      logger.info('Subscription deleted', securityEvent('deleted', id, context.auth.subject));
      return { statusCode: 204 };
    },
    { scopes: ['subscriptions:write'], validator: validate },
  );
}

export const handler = createHandler(subscriptionStore);
