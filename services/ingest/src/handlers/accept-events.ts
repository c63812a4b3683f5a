import { dynamoDocumentClient } from '@herald/shared/aws/dynamodb';
import { secretString } from '@herald/shared/aws/secrets';
import { sqsClient } from '@herald/shared/aws/sqs';
import { numberEnv, requireEnv } from '@herald/shared/env';
import { httpHandler } from '@herald/shared/http';
import { logger } from '@herald/shared/logger';
import { getHeader } from '@herald/shared/middleware/headers';
import { HttpProblem, problemType } from '@herald/shared/problem';
import { createEnvelopeSigner } from '@herald/shared/signing';
import { monotonicFactory } from 'ulid';
import {
  acceptEvents,
  isBatch,
  type AcceptEventsBody,
  type EnvelopeQueue,
  type EnvelopeSigner,
} from '../accept-events';
import { DynamoIdempotencyStore } from '../adapters/dynamo-idempotency-store';
import { SqsEnvelopeQueue } from '../adapters/sqs-envelope-queue';
import { MAX_ENVELOPE_BYTES } from '../batches';
import { parseIdempotencyKey, type IdempotencyStore } from '../idempotency';
import validate from '../schemas/accept-events.validator.generated';

export interface AcceptEventsPorts {
  queue: EnvelopeQueue;
  signer: EnvelopeSigner;
  idempotency: IdempotencyStore;
}

export interface AcceptEventsSettings {
  maxBodyBytes: number;
  idempotencyTtlSeconds: number;
}

export function createHandler(ports: () => Promise<AcceptEventsPorts>, settings: AcceptEventsSettings) {
  // Monotonic: ids made in the same millisecond still sort in the order of the batch.
  const newId = monotonicFactory();
  return httpHandler<AcceptEventsBody>(
    async (event, context) => {
      const key = parseIdempotencyKey(getHeader(event.headers, 'idempotency-key'));
      if (!key.ok) {
        throw new HttpProblem(400, { type: problemType('invalid-idempotency-key'), detail: key.reason });
      }
      const { queue, signer, idempotency } = await ports();
      const outcome = await acceptEvents(
        event.body,
        { tenantId: context.auth.tenantId, correlationId: context.correlationId },
        {
          queue,
          signer,
          idempotency,
          newId,
          now: () => new Date(),
          idempotencyTtlSeconds: settings.idempotencyTtlSeconds,
          warn: (message, details) => logger.warn(message, details),
        },
        key.key === undefined ? {} : { idempotencyKey: key.key },
      );
      switch (outcome.kind) {
        case 'too-large':
          throw new HttpProblem(413, {
            type: problemType('event-too-large'),
            detail: `A signed event must not exceed ${MAX_ENVELOPE_BYTES} bytes; send large payloads by reference`,
            extra: {
              errors: outcome.indexes.map((index) => ({
                pointer: isBatch(event.body) ? `/body/events/${index}` : '/body',
                message: `is larger than ${MAX_ENVELOPE_BYTES} bytes once signed`,
              })),
            },
          });
        case 'key-reused':
          // The IETF Idempotency-Key draft's answer to a key reused with another payload.
          throw new HttpProblem(422, {
            type: problemType('idempotency-key-reused'),
            title: 'Unprocessable Content',
            detail:
              'This idempotency key (or event id) was already used for a different request; use a new key for a new request',
          });
        case 'replayed':
          return { statusCode: 202, body: { ids: outcome.ids }, headers: { 'idempotent-replayed': 'true' } };
        case 'queued':
          break;
      }
      const ids = outcome.items.map((item) => item.id);
      if (outcome.failed === 0) return { statusCode: 202, body: { ids } };
      if (outcome.accepted === 0) {
        throw new HttpProblem(503, {
          detail: 'No event could be queued; retry the request.',
          headers: { 'retry-after': '1' },
          extra: { events: outcome.items },
        });
      }
      // Some queued, some not: say exactly which, so the client retries only the failed ones.
      return {
        statusCode: 207,
        body: { ids, accepted: outcome.accepted, failed: outcome.failed, events: outcome.items },
      };
    },
    { scopes: ['events:write'], validator: validate, maxBodyBytes: settings.maxBodyBytes },
  );
}

// Built on first use and kept for the container's life; the signing key is fetched once.
let ports: Promise<AcceptEventsPorts> | undefined;
const awsPorts = () =>
  (ports ??= secretString(requireEnv('SIGNING_KEY_SECRET_ID'))
    .then(createEnvelopeSigner)
    .then((signer) => ({
      signer,
      queue: new SqsEnvelopeQueue(sqsClient(), requireEnv('INBOUND_QUEUE_URL'), (error, ids) =>
        logger.error('Could not queue envelopes', { error: error as Error, ids }),
      ),
      idempotency: new DynamoIdempotencyStore(dynamoDocumentClient(), requireEnv('IDEMPOTENCY_TABLE')),
    }))
    .catch((error: unknown) => {
      ports = undefined;
      throw error;
    }));

export const handler = createHandler(awsPorts, {
  maxBodyBytes: numberEnv('MAX_BODY_BYTES', 1024 * 1024),
  idempotencyTtlSeconds: numberEnv('IDEMPOTENCY_TTL_SECONDS', 24 * 60 * 60),
});
