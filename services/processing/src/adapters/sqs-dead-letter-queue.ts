import type { SQSClient } from '@aws-sdk/client-sqs';
import { sendMessages, type SendError } from '@herald/shared/aws/sqs-send';
import type { DeadLetter, DeadLetterQueue } from '../publish-events';

/** A dead letter SQS did not take, and why. */
export type RefusedLetter = { letter: DeadLetter } & SendError;

/**
 * The publish dead-letter queue: one message per event the bus can never take, naming its key.
 * Throws unless every letter is queued, after telling `onRefused` of each refused one with its code.
 */
export class SqsDeadLetterQueue implements DeadLetterQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly onRefused: (refused: RefusedLetter[]) => void = () => {},
  ) {}

  async send(letters: readonly DeadLetter[]): Promise<void> {
    const outcomes = await sendMessages(
      this.sqs,
      this.queueUrl,
      letters.map((letter) => ({ body: JSON.stringify(letter) })),
    );
    const refused = outcomes.flatMap(({ index, error }) =>
      error === undefined ? [] : [{ letter: letters[index]!, ...error }],
    );
    if (refused.length === 0) return;
    this.onRefused(refused);
    throw new Error(`SQS refused ${refused.length} of ${letters.length} dead letter(s)`);
  }
}
