import { auditRecorder } from '@herald/shared/audit';
import { httpHandler } from '@herald/shared/entry/http';
import { logger } from '@herald/shared/logger';
import type { StageTenantLimits } from '@herald/shared/tenants/limits';
import { limitsFor } from '../model/tenant-limits';
import { answering } from '../problems';
import { previewReplay, requestReplay, type ReplayDeps, type ReplayPreviewDeps } from '../history/replay';
import validate from '../schemas/replay.validator.generated';
import { eventLog, newJobId, queues, settings, subscriptionStore, tenantUsage } from '../wiring';

type Deps = Omit<ReplayDeps, 'now' | 'newId' | 'correlationId' | 'subscriptions'> &
  Pick<ReplayPreviewDeps, 'subscriptions'> &
  Partial<Pick<ReplayPreviewDeps, 'events'>>;

export function createHandler(deps: () => Deps, stageTenantLimits: () => StageTenantLimits = () => ({})) {
  return httpHandler(
    async (event, context) => {
      const id = event.pathParameters!.id!;
      if (event.body.dryRun) {
        const { events, ...rest } = deps();
        if (!events) throw new Error('replay: a dry run needs the stored events');
        const preview = await answering(() =>
          previewReplay(context.auth.tenantId, id, event.body, { ...rest, events, now: () => new Date() }),
        );
        return { statusCode: 200, body: preview };
      }
      const base = deps();
      // The tenant's own limit of replays at once takes over the stage's default.
      const tenantLimits = limitsFor(context.auth, base.tenantLimits, stageTenantLimits());
      const accepted = await answering(() =>
        requestReplay(context.auth.tenantId, id, event.body, {
          ...base,
          tenantLimits,
          now: () => new Date(),
          newId: newJobId,
          correlationId: context.correlationId,
          audit: auditRecorder(context.auth, event, context.correlationId),
        }),
      );
      logger.info('Replay requested', { subscriptionId: id, ...accepted, subject: context.auth.subject });
      return { statusCode: 202, body: accepted };
    },
    { scopes: ['subscriptions:write'], validator: validate, maxBodyBytes: 1024 },
  );
}

export const handler = createHandler(
  () => ({
    subscriptions: subscriptionStore(),
    events: eventLog(),
    replays: tenantUsage(),
    jobs: { send: (job) => queues().sendJob(job) },
    retentionDays: settings().retentionDays,
    maxWindowHours: settings().maxReplayWindowHours,
    tenantLimits: settings().tenantLimits,
  }),
  () => settings().stageTenantLimits,
);
