import { httpHandler } from '@herald/shared/entry/http';
import { answering } from '../problems';
import validate from '../schemas/subscription-id.validator.generated';
import type { DestinationTest } from '../schemas/responses.types.generated';
import { testSubscriptionDestination } from '../subscriptions/destination-test';
import { destinationDeps, subscriptionDeps } from '../wiring';

export function createHandler(deps: () => Parameters<typeof testSubscriptionDestination>[2]) {
  return httpHandler(
    async (event, context) => {
      const body: DestinationTest = await answering(() =>
        testSubscriptionDestination(context.auth.tenantId, event.pathParameters!.id!, deps()),
      );
      return { statusCode: 200, body };
    },
    { scopes: ['subscriptions:write'], validator: validate },
  );
}

export const handler = createHandler(() => {
  const { repository, cipher, now } = subscriptionDeps();
  return { ...destinationDeps(), repository, cipher, now };
});
