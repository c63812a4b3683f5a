import { takeCallCounts } from '@herald/shared/aws/call-counter';
import { sqsBatchHandler } from '@herald/shared/entry/sqs';
import { correlationInBody, recordFromBus, RejectedAuditEvent, type RecordDeps } from '../audit/record';
import { recordDeps } from '../wiring';

/**
 * The audit queue: `audit.recorded` events from processing's bus, each appended to its tenant's
 * chain. In order, not in parallel: a batch's entries of one tenant would only race for its head.
 */
export function createHandler(deps: () => RecordDeps) {
  return sqsBatchHandler(
    async (record, context) => {
      try {
        const result = await recordFromBus(record.body, deps());
        context.log.info(
          result.outcome === 'appended' ? 'Audit entry recorded' : 'Audit entry already recorded',
          {
            ...result,
          },
        );
      } catch (error) {
        if (error instanceof RejectedAuditEvent) {
          context.log.warn('Audit event rejected', {
            reason: error.message,
            messageId: record.messageId,
            receiveCount: record.attributes.ApproximateReceiveCount,
          });
        }
        throw error;
      }
    },
    { summary: () => ({ awsCalls: takeCallCounts() }), correlationInBody },
  );
}

export const handler = createHandler(recordDeps);
