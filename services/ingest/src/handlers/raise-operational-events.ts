import { takeCallCounts } from '@herald/shared/aws/call-counter';
import { sqsBatchHandler } from '@herald/shared/entry/sqs';
import { correlationInBody, raiseFromBus, RejectedCause, type RaiseDeps } from '../operational-events';
import { operationalEventDeps } from '../wiring';

/**
 * The operational-events queue: notifications' delivery.failed, subscription.disabled and
 * subscription.recovered from processing's bus, each raised as the tenant's herald.* event.
 */
export function createHandler(deps: () => Promise<RaiseDeps>) {
  return sqsBatchHandler(
    async (record, context) => {
      try {
        const result = await raiseFromBus(record.body, await deps());
        context.log.info(
          result.outcome === 'raised' ? 'Operational event raised' : 'Operational event not raised',
          { ...result },
        );
      } catch (error) {
        if (error instanceof RejectedCause) {
          // Only what identifies the message. It fails until the queue's DLQ takes it.
          context.log.warn('Bus event rejected', {
            reason: error.reason,
            messageId: record.messageId,
            receiveCount: record.attributes.ApproximateReceiveCount,
          });
        }
        throw error;
      }
    },
    { parallel: true, summary: () => ({ awsCalls: takeCallCounts() }), correlationInBody },
  );
}

export const handler = createHandler(operationalEventDeps);
