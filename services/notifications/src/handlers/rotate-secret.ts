import { auditRecorder } from '@herald/shared/audit';
import { httpHandler } from '@herald/shared/entry/http';
import { logger } from '@herald/shared/logger';
import { answering } from '../problems';
import type { SubscriptionDeps } from '../subscriptions/ports';
import { rotateSecret } from '../subscriptions/rotate-secret';
import { securityEvent } from '../subscriptions/security-events';
import validate from '../schemas/rotate-secret.validator.generated';
import { subscriptionDeps } from '../wiring';

export function createHandler(deps: () => SubscriptionDeps) {
  return httpHandler(
    async (event, context) => {
      const id = event.pathParameters!.id!;
      const rotated = await answering(() =>
        rotateSecret(context.auth.tenantId, id, event.body ?? {}, {
          ...deps(),
          audit: auditRecorder(context.auth, event, context.correlationId),
        }),
      );
      logger.info(
        'Signing secret rotated',
        securityEvent('secret-rotated', id, context.auth.subject, {
          previousSecretsExpireAt: rotated.previousSecretsExpireAt,
        }),
      );
      return { statusCode: 200, body: rotated };
    },
    { scopes: ['subscriptions:write'], validator: validate, maxBodyBytes: 1024 },
  );
}

export const handler = createHandler(subscriptionDeps);
