import { httpHandler } from '@herald/shared/entry/http';
import { eventDeliveries, type EventDeliveriesDeps } from '../history/event-deliveries';
import validate from '../schemas/event-deliveries.validator.generated';
import { deliveryStore, subscriptionStore } from '../wiring';

export function createHandler(deps: () => EventDeliveriesDeps) {
  return httpHandler(
    async (event, context) => {
      const page = await eventDeliveries(context.auth.tenantId, event.pathParameters!.id!, deps());
      return { statusCode: 200, body: page };
    },
    { scopes: ['subscriptions:read'], validator: validate },
  );
}

export const handler = createHandler(() => ({
  subscriptions: subscriptionStore(),
  history: deliveryStore(),
}));
