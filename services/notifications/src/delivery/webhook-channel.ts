/**
 * The webhook channel: the event signed with every active secret of the subscription (for a `v1a`
 * one, every active Ed25519 key: its secrets are the keys' seeds) and POSTed
 * with the subscription's own headers (the sender checks the target's addresses first), waiting
 * for the answer the subscription's timeoutSeconds or the stage's default. Reports an
 * AttemptResult like every channel.
 */
import { headersToSend } from '../subscriptions/custom-headers';
import { privateKeyFromSeed } from '../subscriptions/signing-keys';
import { activeSecrets, secretContext, type SecretCipher } from '../subscriptions/signing-secrets';
import type { Channel, WebhookSender } from './ports';
import { webhookBody, webhookHeaders, type WebhookSigning } from './webhook-message';

export function webhookChannel(deps: {
  sender: WebhookSender;
  cipher: SecretCipher;
  /** The stage's default wait for an answer. */
  timeoutMs: number;
  /** The stage's maximum: a subscription's own timeout is cut to it if the stage lowered it since. */
  maxTimeoutMs: number;
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
      const [keys, custom] = await Promise.all([
        Promise.all(secrets.map((secret) => deps.cipher.decrypt(secret.ciphertext, context))),
        headersToSend(subscription.tenantId, subscription.id, subscription.headers ?? {}, deps.cipher),
      ]);
      const body = webhookBody(envelope);
      const signing: WebhookSigning =
        subscription.signatureScheme === 'v1a'
          ? { privateKeys: keys.map(privateKeyFromSeed) }
          : { secrets: keys };
      // Herald's own headers last: none of the custom ones may name them (custom-headers.ts), and
      // should one ever slip through, Herald's value wins.
      const headers = {
        ...custom,
        ...webhookHeaders({ messageId: delivery.id, timestamp: now, body, correlationId, ...signing }),
      };
      const timeoutMs =
        subscription.timeoutSeconds === undefined
          ? deps.timeoutMs
          : Math.min(subscription.timeoutSeconds * 1000, deps.maxTimeoutMs);
      return deps.sender.post({ url: subscription.url, headers, body, timeoutMs });
    },
  };
}
