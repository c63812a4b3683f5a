import { auditRecorder } from '@herald/shared/audit';
import { httpHandler } from '@herald/shared/entry/http';
import { logger } from '@herald/shared/logger';
import { answering } from '../problems';
import validate from '../schemas/subscription-id.validator.generated';
import { pauseSubscription } from '../subscriptions/lifecycle';
import type { SubscriptionDeps } from '../subscriptions/ports';
import { securityEvent } from '../subscriptions/security-events';
import { subscriptionStore } from '../wiring';

export function createHandler(deps: () => Pick<SubscriptionDeps, 'repository' | 'now'>) {
  return httpHandler(
    async (event, context) => {
      const id = event.pathParameters!.id!;
      const body = await answering(() =>
        pauseSubscription(context.auth.tenantId, id, {
          ...deps(),
          audit: auditRecorder(context.auth, event, context.correlationId),
        }),
      );
      logger.info('Subscription paused', securityEvent('paused', id, context.auth.subject));
      return { statusCode: 200, body };
    },
    { scopes: ['subscriptions:write'], validator: validate },
  );
}

export const handler = createHandler(() => ({ repository: subscriptionStore(), now: () => new Date() }));
