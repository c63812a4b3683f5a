import { httpHandler } from '@herald/shared/entry/http';
import { destinationExternalIdView, type ExternalIdStore } from '../subscriptions/destination-external-id';
import validate from '../schemas/destination-external-id.validator.generated';
import type { DestinationExternalId } from '../schemas/responses.types.generated';
import { destinationsRolePathPrefix, externalIds } from '../wiring';

export function createHandler(
  deps: () => { externalIds: ExternalIdStore; rolePathPrefix: string; principals: string[] },
) {
  return httpHandler(
    async (_event, context) => {
      const { externalIds, rolePathPrefix, principals } = deps();
      const body: DestinationExternalId = await destinationExternalIdView(
        context.auth.tenantId,
        externalIds,
        rolePathPrefix,
        principals,
      );
      return { statusCode: 200, body };
    },
    { scopes: ['subscriptions:read'], validator: validate },
  );
}

export const handler = createHandler(() => ({
  externalIds: externalIds(),
  rolePathPrefix: destinationsRolePathPrefix(),
  // The stage's roles that assume destination roles, separated by commas (serverless.yml).
  principals: (process.env.DESTINATIONS_PRINCIPALS ?? '').split(',').filter(Boolean),
}));
