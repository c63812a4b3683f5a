/**
 * Notifications' dead-letter queues, for the operator routes (`@herald/shared/dead-letters`): each
 * queue's goes back to that queue through SQS's message-move API; the stored-events rule's, which the
 * bus (not an SQS queue) feeds, is forwarded to the dispatch queue, where the rule would have put it.
 */
import type { DeadLetterQueueSpec } from '@herald/shared/dead-letters/catalog';

/** A queue's name and its dead-letter queue's. */
export interface QueuePair {
  queue: string;
  deadLetters: string;
}

export interface NotificationsQueueNames {
  dispatch: QueuePair;
  delivery: QueuePair;
  slowDelivery: QueuePair;
  email: QueuePair;
  destinations: QueuePair;
  ruleDeadLetters: string;
}

export function notificationsDeadLetterQueues(names: NotificationsQueueNames): DeadLetterQueueSpec[] {
  const back = (id: string, pair: QueuePair, holds: string): DeadLetterQueueSpec => ({
    id,
    queue: pair.deadLetters,
    holds,
    redrive: { kind: 'move', source: pair.queue },
  });
  const failedInDeliver =
    'failed on every receive inside the function (DynamoDB, KMS, a malformed task), never at the receiver: receivers’ failures are retried by schedule.';
  return [
    back(
      'dispatch',
      names.dispatch,
      'Stored events and replay or release jobs dispatch failed on every receive: tampered, malformed, or dispatch failing.',
    ),
    back('delivery', names.delivery, `Webhook delivery tasks that ${failedInDeliver}`),
    back('delivery-slow', names.slowDelivery, `Slow-lane webhook delivery tasks that ${failedInDeliver}`),
    back('email', names.email, `E-mail delivery tasks that ${failedInDeliver}`),
    back(
      'destinations',
      names.destinations,
      `AWS destination delivery tasks that ${failedInDeliver.replace('the receiver', 'the destination')}`,
    ),
    {
      id: 'rule',
      queue: names.ruleDeadLetters,
      holds: 'Stored events the bus could not hand to the dispatch queue.',
      redrive: { kind: 'forward', to: names.dispatch.queue },
    },
  ];
}
