import { httpHandler } from '@herald/shared/entry/http';
import { answering } from '../problems';
import validate from '../schemas/subscription-id.validator.generated';
import type { DestinationTest } from '../schemas/responses.types.generated';
import { testSubscriptionDestination } from '../subscriptions/destination-test';
import type { SubscriptionDeps } from '../subscriptions/ports';
import { subscriptionDeps } from '../wiring';

export function createHandler(deps: () => SubscriptionDeps) {
  return httpHandler(
    async (event, context) => {
      const all = deps();
      const body: DestinationTest = await answering(() =>
        testSubscriptionDestination(context.auth.tenantId, event.pathParameters!.id!, {
          ...all.destinations!(),
          repository: all.repository,
          cipher: all.cipher,
          now: all.now,
        }),
      );
      return { statusCode: 200, body };
    },
    { scopes: ['subscriptions:write'], validator: validate },
  );
}

export const handler = createHandler(subscriptionDeps);
