import { logger } from '@herald/shared/logger';
import { sqsHandler } from '@herald/shared/sqs';
import { takeCallCounts } from '../adapters/aws-call-counter';
import { deliveryStore, envelopeVerifier, queues, settings, subscriptionStore } from '../adapters/wiring';
import { dispatchMessage, RejectedEvent, type DispatchDeps } from '../dispatch';

export function createHandler(deps: () => DispatchDeps) {
  return sqsHandler(async (record) => {
    try {
      const result = await dispatchMessage(record.body, deps());
      logger.info(result.kind === 'event' ? 'Event fanned out' : 'Job page done', {
        ...result,
        awsCalls: takeCallCounts(),
      });
    } catch (error) {
      if (error instanceof RejectedEvent) {
        // Never the payload: only what identifies the message. It fails until the DLQ takes it.
        logger.warn('Event rejected', {
          securityEvent: 'envelope.rejected',
          reason: error.reason,
          messageId: record.messageId,
          receiveCount: record.attributes.ApproximateReceiveCount,
        });
      }
      throw error;
    }
  });
}

export const handler = createHandler(() => ({
  verifier: envelopeVerifier(),
  events: deliveryStore(),
  subscriptions: subscriptionStore(),
  held: deliveryStore(),
  queue: queues(),
  retentionDays: settings().retentionDays,
  now: () => new Date(),
}));
