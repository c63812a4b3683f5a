import { auditRecorder } from '@herald/shared/audit';
import { httpHandler } from '@herald/shared/entry/http';
import { logger } from '@herald/shared/logger';
import type { TaskQueue } from '../delivery/ports';
import { answering } from '../problems';
import type { AuditOutbox, DeliveryHistory, SubscriptionLookup } from '../history/ports';
import { redeliver } from '../history/redelivery';
import validate from '../schemas/redeliver.validator.generated';
import { deliveryStore, newJobId, queues, subscriptionStore } from '../wiring';

export function createHandler(
  deps: () => {
    history: DeliveryHistory;
    subscriptions: SubscriptionLookup;
    queue: TaskQueue;
    outbox: AuditOutbox;
  },
) {
  return httpHandler(
    async (event, context) => {
      const id = event.pathParameters!.id!;
      const queued = await answering(() =>
        redeliver(context.auth.tenantId, id, {
          ...deps(),
          newId: newJobId,
          correlationId: context.correlationId,
          audit: {
            of: auditRecorder(context.auth, event, context.correlationId),
            outbox: deps().outbox,
            now: () => new Date(),
          },
        }),
      );
      logger.info('Redelivery requested', { deliveryId: id, subject: context.auth.subject });
      return { statusCode: 202, body: queued };
    },
    { scopes: ['subscriptions:write'], validator: validate },
  );
}

export const handler = createHandler(() => ({
  history: deliveryStore(),
  subscriptions: subscriptionStore(),
  queue: queues(),
  outbox: subscriptionStore(),
}));
