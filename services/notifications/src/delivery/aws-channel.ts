/**
 * The AWS destinations channel: the event signed as a webhook (the same body, the Standard Webhooks
 * headers as message attributes or in a wrapper) and sent to the subscription's SQS queue, SNS
 * topic, EventBridge bus or Kinesis stream with the credentials of the role it names, assumed with
 * the tenant's ExternalId (subscriptions/destination-role.ts). Reports an AttemptResult like every
 * channel, so retries, disabling, history, redelivery and replay are the pipeline's as for webhooks.
 */
import { destinationTarget } from '../subscriptions/destination-arn';
import {
  destinationError,
  destinationRequest,
  type AwsFailure,
  type DestinationSender,
} from '../subscriptions/destination-message';
import type { RoleCredentials, RoleSessions } from '../subscriptions/destination-role';
import { activeSecrets, secretContext, type SecretCipher } from '../subscriptions/signing-secrets';
import type { AttemptResult, Channel } from './ports';
import { webhookBody, webhookHeaders } from './webhook-message';

export function awsChannel(deps: {
  sender: DestinationSender;
  cipher: SecretCipher;
  /** Undefined where the stage sends with the function's own credentials (local: no STS emulator). */
  sessions: RoleSessions | undefined;
  clock?: () => number;
}): Channel {
  const clock = deps.clock ?? Date.now;
  return {
    async attempt({ delivery, subscription, envelope, correlationId, now }): Promise<AttemptResult> {
      const started = clock();
      const elapsed = () => Math.max(0, clock() - started);
      const secrets = activeSecrets(subscription.secrets ?? [], now);
      const destination = subscription.destination;
      if (!destination || secrets.length === 0) {
        return {
          durationMs: 0,
          error: {
            class: destination ? 'no-signing-secret' : 'no-destination',
            message: destination
              ? 'the subscription has no active signing secret'
              : 'the subscription has no destination',
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
      const request = destinationRequest(destinationTarget(destination.arn), {
        body,
        headers: {
          'webhook-id': headers['webhook-id']!,
          'webhook-timestamp': headers['webhook-timestamp']!,
          'webhook-signature': headers['webhook-signature']!,
        },
        correlationId,
        eventId: envelope.id,
        eventType: envelope.type,
        ...(envelope.subject === undefined ? {} : { subject: envelope.subject }),
        time: envelope.time,
      });
      const role = {
        roleArn: destination.roleArn,
        externalId: destination.externalId,
        subscriptionId: subscription.id,
      };
      let credentials: RoleCredentials | undefined;
      try {
        credentials = deps.sessions ? await deps.sessions.credentials(role) : undefined;
      } catch (error) {
        const mapped = destinationError('sts', error as AwsFailure);
        return {
          durationMs: elapsed(),
          error:
            mapped.class === 'destination-access-denied'
              ? {
                  ...mapped,
                  class: 'assume-role-denied',
                  message: `${mapped.message} (${ASSUME_ROLE_CHECKS})`.slice(0, 500),
                }
              : mapped,
        };
      }
      try {
        await deps.sender.send(request, credentials);
        return { durationMs: elapsed(), statusCode: 200 };
      } catch (error) {
        const mapped = destinationError(request.service, error as AwsFailure);
        // Refused or expired credentials may be stale ones (the owner changed the role): the next
        // attempt assumes the role again.
        if (
          mapped.class === 'destination-access-denied' ||
          mapped.class === 'destination-credentials-expired'
        )
          deps.sessions?.forget(role);
        return { durationMs: elapsed(), error: mapped };
      }
    },
  };
}

/** What to check when STS refuses: it answers one AccessDenied for each of these. */
export const ASSUME_ROLE_CHECKS =
  'check that the role exists under the path prefix, that its trust policy names Herald’s delivery role as principal, that its sts:ExternalId condition is the tenant’s ExternalId, and that the ExternalId matches';
