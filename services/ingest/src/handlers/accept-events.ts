import { secretString } from '@herald/shared/aws/secrets';
import { sqsClient } from '@herald/shared/aws/sqs';
import { numberEnv, requireEnv } from '@herald/shared/env';
import { httpHandler } from '@herald/shared/http';
import { logger } from '@herald/shared/logger';
import { HttpProblem } from '@herald/shared/problem';
import { createEnvelopeSigner } from '@herald/shared/signing';
import { ulid } from 'ulid';
import {
  acceptEvents,
  type AcceptEventsBody,
  type EnvelopeQueue,
  type EnvelopeSigner,
} from '../accept-events';
import { SqsEnvelopeQueue } from '../adapters/sqs-envelope-queue';
import validate from '../schemas/accept-events.validator.generated';

export interface AcceptEventsPorts {
  queue: EnvelopeQueue;
  signer: EnvelopeSigner;
}

export function createHandler(ports: () => Promise<AcceptEventsPorts>, maxBodyBytes: number) {
  return httpHandler<AcceptEventsBody>(
    async (event, context) => {
      const { queue, signer } = await ports();
      const result = await acceptEvents(
        event.body,
        { tenantId: context.auth.tenantId, correlationId: context.correlationId },
        { queue, signer, newId: ulid, now: () => new Date() },
      );
      const ids = result.items.map((item) => item.id);
      if (result.failed === 0) return { statusCode: 202, body: { ids } };
      if (result.accepted === 0) {
        throw new HttpProblem(503, {
          detail: 'No event could be queued; retry the request.',
          headers: { 'retry-after': '1' },
          extra: { events: result.items },
        });
      }
      // Some queued, some not: say exactly which, so the client retries only the failed ones.
      return {
        statusCode: 207,
        body: { ids, accepted: result.accepted, failed: result.failed, events: result.items },
      };
    },
    { scopes: ['events:write'], validator: validate, maxBodyBytes },
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
    }))
    .catch((error: unknown) => {
      ports = undefined;
      throw error;
    }));

export const handler = createHandler(awsPorts, numberEnv('MAX_BODY_BYTES', 1024 * 1024));
