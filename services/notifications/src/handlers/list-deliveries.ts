import { httpHandler } from '@herald/shared/entry/http';
import { answering } from '../problems';
import { listDeliveries } from '../history/deliveries-list';
import type { DeliveryHistory, SubscriptionLookup } from '../history/ports';
import { pageQuery } from '../model/pages';
import validate from '../schemas/list-deliveries.validator.generated';
import { deliveryStore, subscriptionStore } from '../wiring';

export function createHandler(deps: () => { history: DeliveryHistory; subscriptions: SubscriptionLookup }) {
  return httpHandler(
    async (event, context) => {
      const page = await answering(() =>
        listDeliveries(
          context.auth.tenantId,
          event.pathParameters!.id!,
          pageQuery(event.queryStringParameters),
          deps(),
        ),
      );
      return { statusCode: 200, body: page };
    },
    { scopes: ['subscriptions:read'], validator: validate },
  );
}

export const handler = createHandler(() => ({
  history: deliveryStore(),
  subscriptions: subscriptionStore(),
}));
