import { httpHandler } from '@herald/shared/http';
import { logger } from '@herald/shared/logger';
import { answering } from '../problems';
import { rotateSecret, type SubscriptionDeps } from '../subscriptions';
import validate from '../schemas/rotate-secret.validator.generated';
import { subscriptionDeps } from '../adapters/wiring';

export function createHandler(deps: () => SubscriptionDeps) {
  return httpHandler<{ gracePeriodSeconds?: number } | undefined>(
    async (event, context) => {
      const id = event.pathParameters!.id!;
      const rotated = await answering(() =>
        rotateSecret(context.auth.tenantId, id, event.body ?? {}, deps()),
      );
      logger.info('Signing secret rotated', {
        securityEvent: 'subscription.secret-rotated',
        subscriptionId: id,
        previousSecretsExpireAt: rotated.previousSecretsExpireAt,
        subject: context.auth.subject,
      });
      return { statusCode: 200, body: rotated };
    },
    { scopes: ['subscriptions:write'], validator: validate, maxBodyBytes: 1024 },
  );
}

export const handler = createHandler(subscriptionDeps);
