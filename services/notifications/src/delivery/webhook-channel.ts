/**
 * The webhook channel: the event signed with every active secret of the subscription and POSTed
 * (the sender checks the target's addresses first). Reports an AttemptResult like every channel.
 */
import { activeSecrets, secretContext, type SecretCipher } from '../subscriptions/signing-secrets';
import type { Channel, WebhookSender } from './ports';
import { webhookBody, webhookHeaders } from './webhook-message';

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
