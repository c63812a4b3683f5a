import { sqsBatchHandler } from '@herald/shared/entry/sqs';
import { takeCallCounts } from '@herald/shared/aws/call-counter';
import type { SecuritySignals } from '../adapters/security-metrics';
import { correlationInBody, dispatchMessage, RejectedEvent } from '../fan-out/dispatch';
import type { DispatchDeps } from '../fan-out/ports';
import { dispatchDeps, securitySignals } from '../wiring';

/**
 * A batch's records run side by side, so what they ask of AWS together goes as one request
 * (wiring.ts); the batch's AWS calls are counted on its summary line.
 */
const dispatchBatch = {
  parallel: true,
  summary: () => ({ awsCalls: takeCallCounts() }),
  correlationInBody,
};

export function createHandler(
  deps: () => DispatchDeps,
  signals: () => Pick<SecuritySignals, 'rejectedEnvelope'> = securitySignals,
) {
  return sqsBatchHandler(async (record, context) => {
    try {
      const result = await dispatchMessage(record.body, deps());
      context.log.info(result.kind === 'event' ? 'Event fanned out' : 'Job page done', { ...result });
    } catch (error) {
      if (error instanceof RejectedEvent) {
        signals().rejectedEnvelope();
        // Never the payload: only what identifies the message. It fails until the DLQ takes it.
        context.log.warn('Event rejected', {
          securityEvent: 'envelope.rejected',
          reason: error.reason,
          messageId: record.messageId,
          receiveCount: record.attributes.ApproximateReceiveCount,
        });
      }
      throw error;
    }
  }, dispatchBatch);
}

export const handler = createHandler(dispatchDeps);
