import { httpHandler } from '@herald/shared/entry/http';
import { answering } from '../problems';
import { testFilter, type TestFilterDeps } from '../history/test-filter';
import validate from '../schemas/test-filter.validator.generated';
import { eventLog, settings } from '../wiring';

export function createHandler(deps: () => Omit<TestFilterDeps, 'now'>) {
  return httpHandler(
    async (event, context) => {
      const answer = await answering(() =>
        testFilter(context.auth.tenantId, event.body, { ...deps(), now: () => new Date() }),
      );
      return { statusCode: 200, body: answer };
    },
    // A filter is at most 4 KiB of JSON; the rest of the body is small.
    { scopes: ['subscriptions:read'], validator: validate, maxBodyBytes: 16 * 1024 },
  );
}

export const handler = createHandler(() => ({
  events: eventLog(),
  retentionDays: settings().retentionDays,
}));
