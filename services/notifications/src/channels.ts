/**
 * The two ways a delivery goes out. A webhook is signed with every active secret of the
 * subscription and POSTed; an e-mail carries the event as text. Both report an AttemptResult.
 */
import type { Envelope } from '@herald/shared/contracts';
import type { AttemptResult, Channel } from './deliver';
import { activeSecrets, secretContext, type SecretCipher } from './signing-secrets';
import { webhookBody, webhookHeaders } from './webhook-message';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** Sends one request, checking the target's addresses first; never follows a redirect. */
export interface WebhookSender {
  post(request: WebhookRequest): Promise<AttemptResult>;
}

export function webhookChannel(deps: {
  sender: WebhookSender;
  cipher: SecretCipher;
  timeoutMs: number;
}): Channel {
  return {
    async attempt({ delivery, subscription, envelope, correlationId, now }) {
      const secrets = activeSecrets(subscription.secrets ?? [], now);
      if (secrets.length === 0 || !subscription.url) {
        return {
          durationMs: 0,
          error: {
            class: 'no-signing-secret',
            message: 'the subscription has no active signing secret',
            retryable: false,
          },
        };
      }
      const context = secretContext(subscription.tenantId, subscription.id);
      const keys = await Promise.all(
        secrets.map((secret) => deps.cipher.decrypt(secret.ciphertext, context)),
      );
      const body = webhookBody(envelope);
      const headers = webhookHeaders({
        messageId: delivery.id,
        timestamp: now,
        body,
        secrets: keys,
        correlationId,
      });
      return deps.sender.post({ url: subscription.url, headers, body, timeoutMs: deps.timeoutMs });
    },
  };
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<AttemptResult>;
}

const MAX_EMAIL_DATA_CHARS = 100_000;

export function emailMessage(to: string, envelope: Envelope, deliveryId: string): EmailMessage {
  let data = JSON.stringify(envelope.data, null, 2);
  if (data.length > MAX_EMAIL_DATA_CHARS) data = `${data.slice(0, MAX_EMAIL_DATA_CHARS)}\n… (truncated)`;
  const lines = [
    `Herald delivered an event you subscribed to.`,
    '',
    `Type:    ${envelope.type}`,
    `Event:   ${envelope.id}`,
    `Time:    ${envelope.time}`,
    ...(envelope.subject === undefined ? [] : [`Subject: ${envelope.subject}`]),
    `Message: ${deliveryId}`,
    '',
    data,
  ];
  // Header injection is impossible (SES takes the subject as data), but keep it one clean line.
  const subject = `[Herald] ${envelope.type}${envelope.subject ? ` (${envelope.subject})` : ''}`.replace(
    /[\r\n]+/g,
    ' ',
  );
  return { to, subject: subject.slice(0, 200), text: lines.join('\n') };
}

export function emailChannel(sender: EmailSender): Channel {
  return {
    async attempt({ delivery, subscription, envelope }) {
      if (!subscription.email) {
        return {
          durationMs: 0,
          error: { class: 'no-address', message: 'the subscription has no address', retryable: false },
        };
      }
      return sender.send(emailMessage(subscription.email, envelope, delivery.id));
    },
  };
}
