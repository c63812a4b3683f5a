/**
 * The e-mail channel: the event as a plain-text message through the e-mail sender (SES).
 * Reports an AttemptResult like every channel.
 */
import type { Envelope } from '@herald/shared/contracts';
import type { SubscriptionRecord } from '../model/subscription';
import type { Channel, EmailMessage, EmailSender } from './ports';

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

/**
 * RFC 8058 one-click unsubscribe: mail clients POST `List-Unsubscribe=One-Click` to the link, which
 * is signed for this subscription and address (see subscriptions/email-confirmation).
 */
export function unsubscribeHeaders(link: string): { name: string; value: string }[] {
  return [
    { name: 'List-Unsubscribe', value: `<${link}>` },
    { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
  ];
}

export function emailChannel(
  sender: EmailSender,
  unsubscribeLink?: (subscription: SubscriptionRecord) => Promise<string>,
): Channel {
  return {
    async attempt({ delivery, subscription, envelope }) {
      if (!subscription.email) {
        return {
          durationMs: 0,
          error: { class: 'no-address', message: 'the subscription has no address', retryable: false },
        };
      }
      const message = emailMessage(subscription.email, envelope, delivery.id);
      if (unsubscribeLink) {
        const link = await unsubscribeLink(subscription);
        message.headers = unsubscribeHeaders(link);
        message.text += `\n\nUnsubscribe: ${link}`;
      }
      return sender.send(message);
    },
  };
}
