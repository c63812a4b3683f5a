import { httpHandler } from '@herald/shared/entry/http';
import { pageQuery } from '../model/pages';
import { listSubscriptions } from '../subscriptions/list';
import type { SubscriptionStore } from '../subscriptions/ports';
import { answering } from '../problems';
import validate from '../schemas/list-subscriptions.validator.generated';
import { subscriptionStore } from '../wiring';

export function createHandler(store: () => SubscriptionStore) {
  return httpHandler(
    async (event, context) => {
      const page = await answering(() =>
        listSubscriptions(context.auth.tenantId, pageQuery(event.queryStringParameters), store()),
      );
      return { statusCode: 200, body: page };
    },
    { scopes: ['subscriptions:read'], validator: validate },
  );
}

export const handler = createHandler(subscriptionStore);
