import type { SQSRecord } from 'aws-lambda';
import { concurrentSqsHandler } from '@herald/shared/sqs-concurrent';
import { takeCallCounts } from '../adapters/aws-call-counter';
import {
  deliveryStore,
  envelopeVerifier,
  publisher,
  queues,
  secretCipher,
  settings,
  subscriptionHealth,
  subscriptionStore,
  webhookSender,
} from '../adapters/wiring';
import { webhookChannel } from '../channels';
import { deliverTask, type DeliverDeps } from '../deliver';
import { parseTask, type Lane } from '../delivery-task';

/**
 * One function for both webhook lanes (its two queues are two event sources, polled apart): the
 * lane a task came from decides whether a slow subscription's task moves to the slow lane.
 */
export function createHandler(
  deps: (lane: Lane) => Omit<DeliverDeps, 'log'>,
  laneOf: (record: SQSRecord) => Lane,
) {
  return concurrentSqsHandler(
    async (record, context) => {
      const lane = laneOf(record);
      const outcome = await deliverTask(parseTask(record.body), record.messageId, {
        ...deps(lane),
        log: context.log,
      });
      context.log.debug('Task done', { outcome, lane });
    },
    { summary: () => ({ awsCalls: takeCallCounts() }) },
  );
}

const LEASE_MS = 120_000;

export const handler = createHandler(
  (lane) => ({
    store: deliveryStore(),
    subscriptions: subscriptionStore(),
    health: subscriptionHealth(),
    events: deliveryStore(),
    verifier: envelopeVerifier(),
    queue: queues(),
    bus: publisher(),
    channel: webhookChannel({
      sender: webhookSender(),
      cipher: secretCipher(),
      timeoutMs: settings().timeoutMs,
    }),
    config: {
      schedule: settings().schedule,
      lane,
      leaseMs: LEASE_MS,
      slowThresholdMs: settings().slowThresholdMs,
      disableAfterMs: settings().disableAfterMs,
      disableAfterFailures: settings().disableAfterFailures,
    },
    now: () => new Date(),
  }),
  (record) => (record.eventSourceARN.endsWith(`:${process.env.SLOW_DELIVERY_QUEUE_NAME}`) ? 'slow' : 'fast'),
);
