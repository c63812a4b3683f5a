import { httpHandler } from '@herald/shared/entry/http';
import { HttpProblem, problemType } from '@herald/shared/problem';
import { answering } from '../problems';
import validate from '../schemas/subscription-id.validator.generated';
import {
  ConfirmationNotSent,
  resendConfirmation,
  ResendTooSoon,
  type EmailLinkDeps,
} from '../subscriptions/email-confirmation';
import { emailLinkDeps } from '../wiring';

export function createHandler(deps: () => EmailLinkDeps) {
  return httpHandler(
    async (event, context) => {
      const id = event.pathParameters!.id!;
      try {
        return {
          statusCode: 200,
          body: await answering(() => resendConfirmation(context.auth.tenantId, id, deps())),
        };
      } catch (error) {
        if (error instanceof ConfirmationNotSent) {
          throw new HttpProblem(503, {
            type: problemType('mail-not-sent'),
            detail: error.message,
            headers: { 'retry-after': '60' },
          });
        }
        if (!(error instanceof ResendTooSoon)) throw error;
        throw new HttpProblem(429, {
          type: problemType('too-many-requests'),
          detail: error.message,
          headers: { 'retry-after': String(error.retryAfterSeconds) },
        });
      }
    },
    { scopes: ['subscriptions:write'], validator: validate },
  );
}

export const handler = createHandler(emailLinkDeps);
