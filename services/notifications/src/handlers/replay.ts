import { httpHandler } from '@herald/shared/entry/http';
import { logger } from '@herald/shared/logger';
import { answering } from '../problems';
import { requestReplay, type ReplayDeps } from '../history/replay';
import validate from '../schemas/replay.validator.generated';
import { newJobId, queues, settings, subscriptionStore, tenantUsage } from '../wiring';

export function createHandler(deps: () => Omit<ReplayDeps, 'now' | 'newId' | 'correlationId'>) {
  return httpHandler(
    async (event, context) => {
      const id = event.pathParameters!.id!;
      const accepted = await answering(() =>
        requestReplay(context.auth.tenantId, id, event.body, {
          ...deps(),
          now: () => new Date(),
          newId: newJobId,
          correlationId: context.correlationId,
        }),
      );
      logger.info('Replay requested', { subscriptionId: id, ...accepted, subject: context.auth.subject });
      return { statusCode: 202, body: accepted };
    },
    { scopes: ['subscriptions:write'], validator: validate, maxBodyBytes: 1024 },
  );
}

export const handler = createHandler(() => ({
  subscriptions: subscriptionStore(),
  replays: tenantUsage(),
  jobs: { send: (job) => queues().sendJob(job) },
  retentionDays: settings().retentionDays,
  maxWindowHours: settings().maxReplayWindowHours,
  tenantLimits: settings().tenantLimits,
}));
