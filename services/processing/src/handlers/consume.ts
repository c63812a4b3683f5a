import { dynamoDocumentClient } from '@herald/shared/aws/dynamodb';
import { numberEnv, requireEnv } from '@herald/shared/env';
import { logger } from '@herald/shared/logger';
import { createEnvelopeVerifier, parsePublicKeys } from '@herald/shared/signing';
import { sqsHandler } from '@herald/shared/sqs';
import { DynamoEventStore } from '../adapters/dynamo-event-store';
import { consumeEnvelope, RejectedEnvelope, type ConsumeDeps } from '../consume-envelope';
import { metricFields } from '../metrics';

export function createHandler(deps: () => ConsumeDeps) {
  return sqsHandler(async (record) => {
    const sent = Number(record.attributes?.SentTimestamp);
    try {
      const result = await consumeEnvelope({ body: record.body, receivedAt: new Date(sent) }, deps());
      if (result.outcome === 'stored')
        logger.info('Event stored', { ...result, ...metricFields({ EventsStored: 1 }) });
      else logger.info('Duplicate event ignored', { ...result, ...metricFields({ DuplicateEvents: 1 }) });
    } catch (error) {
      if (error instanceof RejectedEnvelope) {
        // Only what identifies the message, never its payload. It fails until the DLQ takes it.
        logger.warn('Envelope rejected', {
          securityEvent: 'envelope.rejected',
          reason: error.reason,
          messageId: record.messageId,
          receiveCount: record.attributes?.ApproximateReceiveCount,
          ...metricFields({ RejectedEnvelopes: 1 }),
        });
      }
      throw error;
    }
  });
}

// Once per container. The verifier holds ingest's public keys only: it can check, never forge.
let deps: ConsumeDeps | undefined;
export const handler = createHandler(
  () =>
    (deps ??= {
      verifier: createEnvelopeVerifier(parsePublicKeys(requireEnv('ENVELOPE_PUBLIC_KEYS'))),
      store: new DynamoEventStore(dynamoDocumentClient(), requireEnv('EVENTS_TABLE')),
      retentionDays: numberEnv('EVENT_RETENTION_DAYS', 30),
      now: () => new Date(),
    }),
);
