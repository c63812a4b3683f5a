import { concurrentSqsHandler } from '@herald/shared/sqs-concurrent';
import { takeCallCounts } from '../adapters/aws-call-counter';
import {
  deliveryStore,
  emailSender,
  envelopeVerifier,
  publisher,
  queues,
  settings,
  subscriptionHealth,
  subscriptionStore,
} from '../adapters/wiring';
import { emailChannel } from '../channels';
import { deliverTask, type DeliverDeps } from '../deliver';
import { parseTask } from '../delivery-task';

export function createHandler(deps: () => Omit<DeliverDeps, 'log'>) {
  return concurrentSqsHandler(
    async (record, context) => {
      const outcome = await deliverTask(parseTask(record.body), record.messageId, {
        ...deps(),
        log: context.log,
      });
      context.log.debug('Task done', { outcome });
    },
    { summary: () => ({ awsCalls: takeCallCounts() }) },
  );
}

export const handler = createHandler(() => ({
  store: deliveryStore(),
  subscriptions: subscriptionStore(),
  health: subscriptionHealth(),
  events: deliveryStore(),
  verifier: envelopeVerifier(),
  queue: queues(),
  bus: publisher(),
  channel: emailChannel(emailSender()),
  config: {
    schedule: settings().schedule,
    lane: 'email',
    leaseMs: 120_000,
    slowThresholdMs: settings().slowThresholdMs,
    disableAfterMs: settings().disableAfterMs,
    disableAfterFailures: settings().disableAfterFailures,
  },
  now: () => new Date(),
}));
