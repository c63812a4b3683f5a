/**
 * One message of the inbound queue: consumeEnvelope, with the line it logs and the metric it counts.
 * A rejected envelope is logged as a security event and thrown on, so the message fails until the
 * queue's redrive policy moves it to the DLQ.
 */
import type { SqsRecordHandler } from '@herald/shared/entry/sqs';
import type { Metrics } from '@herald/shared/metrics';
import { consumeEnvelope, RejectedEnvelope, type ConsumeDeps } from './consume-envelope';
import { count } from './processing-metrics';

export function consumeRecord(deps: () => ConsumeDeps, metrics: Metrics): SqsRecordHandler {
  return async (record, { log }) => {
    const sent = Number(record.attributes?.SentTimestamp);
    try {
      const result = await consumeEnvelope({ body: record.body, receivedAt: new Date(sent) }, deps());
      if (result.outcome === 'stored') {
        log.info('Event stored', { ...result });
        count(metrics, 'EventsStored');
      } else {
        log.info('Duplicate event ignored', { ...result });
        count(metrics, 'DuplicateEvents');
      }
    } catch (error) {
      if (error instanceof RejectedEnvelope) {
        // Only what identifies the message, never its payload.
        log.warn('Envelope rejected', {
          securityEvent: 'envelope.rejected',
          reason: error.reason,
          ...error.details,
          messageId: record.messageId,
          receiveCount: record.attributes?.ApproximateReceiveCount,
        });
        count(metrics, 'RejectedEnvelopes');
      }
      throw error;
    }
  };
}
