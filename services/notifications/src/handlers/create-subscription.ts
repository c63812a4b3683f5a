import { auditRecorder } from '@herald/shared/audit';
import { httpHandler } from '@herald/shared/entry/http';
import { logger } from '@herald/shared/logger';
import { limitsFor } from '../model/tenant-limits';
import { answering } from '../problems';
import { createSubscription } from '../subscriptions/create';
import type { ConfirmationMail } from '../subscriptions/email-confirmation';
import { securityEvent } from '../subscriptions/security-events';
import type { SubscriptionDeps } from '../subscriptions/ports';
import validate from '../schemas/create-subscription.validator.generated';
import type { CreatedSubscription } from '../schemas/responses.types.generated';
import type { StageTenantLimits } from '@herald/shared/tenants/limits';
import { destinationDeps, settings, subscriptionDeps } from '../wiring';

export function createHandler(
  deps: () => SubscriptionDeps,
  stageTenantLimits: () => StageTenantLimits = () => ({}),
) {
  return httpHandler(
    async (event, context) => {
      const base = deps();
      // The tenant's own subscription limit takes over the stage's default.
      const tenantLimits = limitsFor(context.auth, base.tenantLimits, stageTenantLimits());
      const { subscription, secret, publicKey, confirmationMail } = await answering(() =>
        createSubscription(context.auth.tenantId, event.body, {
          ...base,
          tenantLimits,
          audit: auditRecorder(context.auth, event, context.correlationId),
        }),
      );
      logger.info(
        'Subscription created',
        securityEvent('created', subscription.id, context.auth.subject, { kind: subscription.kind }),
      );
      if (confirmationMail && !confirmationMail.sent) {
        logger.warn('Confirmation mail not sent', {
          subscriptionId: subscription.id,
          reason: confirmationMail.reason,
        });
      }
      return {
        statusCode: 201,
        headers: { location: `/v1/subscriptions/${subscription.id}` },
        // The only time the secret is ever returned.
        body: {
          ...subscription,
          ...(secret === undefined ? {} : { secret }),
          ...(publicKey === undefined ? {} : { publicKey }),
          ...(confirmationMail
            ? { confirmationMail: confirmationMailView(subscription.id, confirmationMail) }
            : {}),
        },
      };
    },
    { scopes: ['subscriptions:write'], validator: validate, maxBodyBytes: 16 * 1024 },
  );
}

/** What the client is told of the confirmation mail: when it was not sent, how to have it sent. */
function confirmationMailView(
  id: string,
  mail: ConfirmationMail,
): NonNullable<CreatedSubscription['confirmationMail']> {
  if (mail.sent) return { sent: true };
  return {
    sent: false,
    detail: `The confirmation mail could not be sent; the subscription stays pending until its address confirms. Ask for the mail again with POST /v1/subscriptions/${id}/resend-confirmation.`,
  };
}

// Only creation tests a destination: update and rotate-secret never bundle STS and its clients.
export const handler = createHandler(
  () => ({ ...subscriptionDeps(), destinations: destinationDeps }),
  () => settings().stageTenantLimits,
);
