import { auditRecorder } from '@herald/shared/audit';
import { httpHandler } from '@herald/shared/entry/http';
import { logger } from '@herald/shared/logger';
import { answering } from '../problems';
import validate from '../schemas/subscription-id.validator.generated';
import { resumeSubscription } from '../subscriptions/lifecycle';
import type { JobQueue, SubscriptionDeps } from '../subscriptions/ports';
import { securityEvent } from '../subscriptions/security-events';
import { newJobId, queues, subscriptionStore } from '../wiring';

export function createHandler(
  deps: () => Pick<SubscriptionDeps, 'repository' | 'now' | 'newId'> & { jobs: JobQueue },
) {
  return httpHandler(
    async (event, context) => {
      const id = event.pathParameters!.id!;
      const body = await answering(() =>
        resumeSubscription(context.auth.tenantId, id, {
          ...deps(),
          correlationId: context.correlationId,
          audit: auditRecorder(context.auth, event, context.correlationId),
        }),
      );
      logger.info('Subscription resumed', securityEvent('resumed', id, context.auth.subject));
      return { statusCode: 200, body };
    },
    { scopes: ['subscriptions:write'], validator: validate },
  );
}

export const handler = createHandler(() => ({
  repository: subscriptionStore(),
  jobs: { send: (job, delay) => queues().sendJob(job, delay) },
  now: () => new Date(),
  newId: newJobId,
}));
