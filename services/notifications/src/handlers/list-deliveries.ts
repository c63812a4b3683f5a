import { httpHandler } from '@herald/shared/http';
import { answering } from '../problems';
import { listDeliveries, type DeliveryHistory, type SubscriptionLookup } from '../history';
import validate from '../schemas/list-deliveries.validator.generated';
import { deliveryStore, subscriptionStore } from '../adapters/wiring';

export function createHandler(deps: () => { history: DeliveryHistory; subscriptions: SubscriptionLookup }) {
  return httpHandler(
    async (event, context) => {
      const { limit, cursor } = event.queryStringParameters ?? {};
      const page = await answering(() =>
        listDeliveries(
          context.auth.tenantId,
          event.pathParameters!.id!,
          { ...(limit ? { limit: Number(limit) } : {}), ...(cursor ? { cursor } : {}) },
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
