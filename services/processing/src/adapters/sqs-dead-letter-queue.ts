import type { sqsClient } from '@herald/shared/aws/sqs';
import { sendMessages } from '@herald/shared/aws/sqs-messages';
import type { DeadLetter, DeadLetterQueue } from '../publish-events';

/** The publish dead-letter queue: one message per event the bus can never take, naming its key. */
export class SqsDeadLetterQueue implements DeadLetterQueue {
  constructor(
    private readonly sqs: ReturnType<typeof sqsClient>,
    private readonly queueUrl: string,
  ) {}

  send(letters: readonly DeadLetter[]): Promise<void> {
    return sendMessages(
      this.sqs,
      this.queueUrl,
      letters.map((letter) => JSON.stringify(letter)),
    );
  }
}
