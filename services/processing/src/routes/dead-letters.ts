/**
 * Processing's dead-letter queues, for the operator routes (`@herald/shared/dead-letters`): the inbound
 * queue's goes back to the inbound queue through SQS's message-move API; the publish and bus queues,
 * which no SQS queue feeds, are republished from the events table (republish.ts).
 */
import type { DeadLetterQueueSpec } from '@herald/shared/dead-letters/catalog';
import type { Resender } from '@herald/shared/dead-letters/ports';
import { REPUBLISH_DOES } from '../republish';

export interface ProcessingQueueNames {
  inbound: string;
  inboundDeadLetters: string;
  publishDeadLetters: string;
  busDeadLetters: string;
}

export function processingDeadLetterQueues(
  names: ProcessingQueueNames,
  republisher: () => Resender,
): DeadLetterQueueSpec[] {
  return [
    {
      id: 'inbound',
      queue: names.inboundDeadLetters,
      holds:
        'Envelopes consume failed on every receive: unsigned, tampered, malformed, signed with a key processing does not know, too large to publish, or not stored.',
      redrive: { kind: 'move', source: names.inbound },
    },
    {
      id: 'publish',
      queue: names.publishDeadLetters,
      holds:
        'Stored events the bus refused for good (by tenant and event id), and stream batches whose retries ran out (by shard and sequence numbers).',
      redrive: { kind: 'resend', does: REPUBLISH_DOES, resender: republisher },
    },
    {
      id: 'bus',
      queue: names.busDeadLetters,
      holds: 'Events the bus could not process (its KMS key unusable).',
      redrive: { kind: 'resend', does: REPUBLISH_DOES, resender: republisher },
    },
  ];
}
