import { httpHandler } from '@herald/shared/entry/http';
import { tenantOverview, type OverviewDeps, type OverviewWindow } from '../stats/overview';
import validate from '../schemas/stats.validator.generated';
import { statsStore, subscriptionStore } from '../wiring';

export function createHandler(deps: () => OverviewDeps) {
  return httpHandler(
    async (event, context) => {
      // The validator admits 1h and 24h alone.
      const window = (event.queryStringParameters?.window ?? '1h') as OverviewWindow;
      return { statusCode: 200, body: await tenantOverview(context.auth.tenantId, window, deps()) };
    },
    { scopes: ['subscriptions:read'], validator: validate },
  );
}

export const handler = createHandler(() => ({
  stats: statsStore(),
  subscriptions: subscriptionStore(),
  now: () => new Date(),
}));
