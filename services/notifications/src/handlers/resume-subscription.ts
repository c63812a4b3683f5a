import { httpHandler } from '@herald/shared/http';
import { logger } from '@herald/shared/logger';
import { answering } from '../problems';
import { resumeSubscription, type JobQueue, type SubscriptionRepository } from '../subscriptions';
import validate from '../schemas/subscription-id.validator.generated';
import { newJobId, queues, subscriptionStore } from '../adapters/wiring';

export function createHandler(deps: () => { repository: SubscriptionRepository; jobs: JobQueue }) {
  return httpHandler(
    async (event, context) => {
      const id = event.pathParameters!.id!;
      const { repository, jobs } = deps();
      const subscription = await answering(() =>
        resumeSubscription(context.auth.tenantId, id, {
          repository,
          jobs,
          now: () => new Date(),
          newId: newJobId,
          correlationId: context.correlationId,
        }),
      );
      logger.info('Subscription resumed', {
        securityEvent: 'subscription.resumed',
        subscriptionId: id,
        subject: context.auth.subject,
      });
      return { statusCode: 200, body: subscription };
    },
    { scopes: ['subscriptions:write'], validator: validate },
  );
}

export const handler = createHandler(() => ({
  repository: subscriptionStore(),
  jobs: { send: (job, delay) => queues().sendJob(job, delay) },
}));
