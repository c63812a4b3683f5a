import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { AttemptResult, EmailMessage, EmailSender } from '../delivery/ports';

// SES errors that sending again will not cure.
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'BadRequestException',
  'NotFoundException',
]);
const THROTTLED = new Set(['TooManyRequestsException', 'LimitExceededException', 'SendingPausedException']);

export class SesEmailSender implements EmailSender {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
    /** Every mail goes through it: the account's suppression list (bounces, complaints) applies. */
    private readonly configurationSet?: string,
  ) {}

  async send(message: EmailMessage): Promise<AttemptResult> {
    const started = performance.now();
    try {
      await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
              ...(message.headers?.length
                ? { Headers: message.headers.map((h) => ({ Name: h.name, Value: h.value })) }
                : {}),
            },
          },
        }),
      );
      return { durationMs: performance.now() - started, statusCode: 200 };
    } catch (error) {
      const name = (error as { name?: string }).name ?? 'Error';
      const durationMs = performance.now() - started;
      if (PERMANENT.has(name)) {
        return { durationMs, error: { class: 'rejected', message: name, retryable: false } };
      }
      if (THROTTLED.has(name))
        return { durationMs, error: { class: 'throttled', message: name, retryable: true } };
      return { durationMs, error: { class: 'unavailable', message: name, retryable: true } };
    }
  }
}
